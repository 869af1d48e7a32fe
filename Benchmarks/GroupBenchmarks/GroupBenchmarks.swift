import Benchmark
import MutualMatching

// Issue 5's performance table: group formation and rotation rounds, the whole run minus
// process start and file reading (GroupEngine / RotationEngine: plan, search, repair,
// fairness, coverage, reasons, facilitation, yardsticks, JSON). Pools come from the same
// generator as `mutual generate people --count N --seed 1`.

/// Ten earlier rounds of random pairs over `people` (every person once per round), as a
/// rotation programme's history would hold.
func tenRoundsOfHistory(_ people: [Person]) -> RoundHistory {
    var random = SeededGenerator(seed: 10)
    var history = RoundHistory()
    for round in 1...10 {
        let shuffled = people.shuffled(using: &random)
        for index in stride(from: 0, to: shuffled.count - 1, by: 2) {
            history.meetings.append(.init(a: shuffled[index].id, b: shuffled[index + 1].id, round: round))
        }
    }
    return history
}

let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal]
    let rules = MatchRules.defaults(for: .pairs)

    Benchmark("groups 1,000 into groups of 5", configuration: .init(metrics: metrics, maxDuration: .seconds(20), maxIterations: 5)) { benchmark in
        benchmark.stopMeasurement()
        let people = SyntheticPoolGenerator.generate(count: 1_000, seed: 1)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let result = await GroupEngine.run(people: people, rules: rules, options: GroupOptions(sizeRange: 5...5, seed: 1))
            blackHole(JSONWriter.write(result.json()))
        }
    }

    Benchmark("groups 100,000 into groups of 6", configuration: .init(metrics: metrics, maxDuration: .seconds(300), maxIterations: 1)) { benchmark in
        benchmark.stopMeasurement()
        let people = SyntheticPoolGenerator.generate(count: 100_000, seed: 1)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let result = await GroupEngine.run(people: people, rules: rules, options: GroupOptions(sizeRange: 6...6, seed: 1))
            blackHole(JSONWriter.write(result.json()))
        }
    }

    Benchmark("rotation 10,000 pairs, 10 rounds of history, zero repeats", configuration: .init(metrics: metrics, maxDuration: .seconds(60), maxIterations: 3)) { benchmark in
        benchmark.stopMeasurement()
        let people = SyntheticPoolGenerator.generate(count: 10_000, seed: 1)
        let history = tenRoundsOfHistory(people)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let result = await RotationEngine.pairs(people: people, rules: rules, history: history,
                                                    options: RotationOptions(zeroRepeats: true, seed: 1))
            precondition(result.repeats == 0, "a zero-repeat round repeated a pair")
            blackHole(JSONWriter.write(result.json()))
        }
    }
}
