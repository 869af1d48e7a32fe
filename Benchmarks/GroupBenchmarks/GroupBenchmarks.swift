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

/// The rotation benchmark's input, made once before measuring.
struct RotationPool {
    var people: [Person]
    var history: RoundHistory
}

/// Quality figures recorded beside time and memory, so one run gives the whole table row.
let meanScore = BenchmarkMetric.custom("mean group score ×10", polarity: .prefersLarger, useScalingFactor: false)
let minimumScore = BenchmarkMetric.custom("min group score", polarity: .prefersLarger, useScalingFactor: false)
let coverage = BenchmarkMetric.custom("coverage ‰", polarity: .prefersLarger, useScalingFactor: false)
let unplaced = BenchmarkMetric.custom("people not placed", useScalingFactor: false)
let randomMean = BenchmarkMetric.custom("random baseline mean ×10", useScalingFactor: false)
let randomMinimum = BenchmarkMetric.custom("random baseline min", useScalingFactor: false)
let stratifiedMean = BenchmarkMetric.custom("stratified baseline mean ×10", useScalingFactor: false)
let stratifiedMinimum = BenchmarkMetric.custom("stratified baseline min", useScalingFactor: false)
let repeats = BenchmarkMetric.custom("repeats", useScalingFactor: false)
let pairsFormed = BenchmarkMetric.custom("pairs", polarity: .prefersLarger, useScalingFactor: false)

/// Records a group run's quality figures.
func recordQuality(_ result: GroupResult, _ benchmark: Benchmark) {
    benchmark.measurement(meanScore, Int(result.meanGroupScoreTenths))
    benchmark.measurement(minimumScore, result.minimumGroupScore)
    benchmark.measurement(coverage, Int(result.yardsticks.first?.coveragePerMille ?? 0))
    benchmark.measurement(unplaced, result.unmatched.count)
    // The like-for-like yardsticks (same people, same sizes, same hard rules; see docs/groups.md).
    if result.yardsticks.count == 3 {
        benchmark.measurement(randomMean, Int(result.yardsticks[1].meanScoreTenths))
        benchmark.measurement(randomMinimum, result.yardsticks[1].minimumScore)
        benchmark.measurement(stratifiedMean, Int(result.yardsticks[2].meanScoreTenths))
        benchmark.measurement(stratifiedMinimum, result.yardsticks[2].minimumScore)
    }
}

let benchmarks: @Sendable () -> Void = {
    // The pools are made in `setup`, outside the measured part (stopping and restarting the
    // measurement inside the body recorded an empty sample per iteration, which made p50 read 0).
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal]
    let groupMetrics = metrics + [meanScore, minimumScore, coverage, unplaced, randomMean, randomMinimum, stratifiedMean, stratifiedMinimum]
    let rules = MatchRules.defaults(for: .pairs)

    Benchmark("groups 1,000 into groups of 5", configuration: .init(metrics: groupMetrics, maxDuration: .seconds(20), maxIterations: 5)) { (benchmark: Benchmark, people: [Person]) in
        for _ in benchmark.scaledIterations {
            let result = await GroupEngine.run(people: people, rules: rules, options: GroupOptions(sizeRange: 5...5, seed: 1))
            blackHole(JSONWriter.write(result.json()))
            recordQuality(result, benchmark)
        }
    } setup: {
        SyntheticPoolGenerator.generate(count: 1_000, seed: 1)
    }

    Benchmark("groups 100,000 into groups of 6", configuration: .init(metrics: groupMetrics, maxDuration: .seconds(300), maxIterations: 1)) { (benchmark: Benchmark, people: [Person]) in
        for _ in benchmark.scaledIterations {
            let result = await GroupEngine.run(people: people, rules: rules, options: GroupOptions(sizeRange: 6...6, seed: 1))
            blackHole(JSONWriter.write(result.json()))
            recordQuality(result, benchmark)
        }
    } setup: {
        SyntheticPoolGenerator.generate(count: 100_000, seed: 1)
    }

    Benchmark("rotation 10,000 pairs, 10 rounds of history, zero repeats",
              configuration: .init(metrics: metrics + [repeats, pairsFormed, unplaced], maxDuration: .seconds(60), maxIterations: 3)) { (benchmark: Benchmark, pool: RotationPool) in
        for _ in benchmark.scaledIterations {
            let result = await RotationEngine.pairs(people: pool.people, rules: rules, history: pool.history,
                                                    options: RotationOptions(zeroRepeats: true, seed: 1))
            precondition(result.repeats == 0, "a zero-repeat round repeated a pair")
            blackHole(JSONWriter.write(result.json()))
            benchmark.measurement(repeats, result.repeats)
            benchmark.measurement(pairsFormed, result.match.pairs.count)
            benchmark.measurement(unplaced, result.match.unmatched.count)
        }
    } setup: {
        let people = SyntheticPoolGenerator.generate(count: 10_000, seed: 1)
        return RotationPool(people: people, history: tenRoundsOfHistory(people))
    }
}
