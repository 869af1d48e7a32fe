import Benchmark
import MutualMatching

// The performance table, measured as the whole `mutual match` pipeline minus
// process start: parse the people CSV (streamed in 64 KiB chunks), build candidates,
// solve, prove or bound, explain, and render the JSON. Pools come from the same
// generator as `mutual generate people --count N --seed 1`.

/// The people CSV for a synthetic pool, generated once per process (not measured).
func peopleCSV(_ count: Int) -> [UInt8] { Array(PeopleCSVWriter.write(SyntheticPoolGenerator.generate(count: count, seed: 1), includeMentoringColumns: true).utf8) }

let pool2k = peopleCSV(2_000)
let pool10k = peopleCSV(10_000)

/// Runs one match end to end and returns the result document (so nothing is optimised away).
func matchEndToEnd(_ csv: [UInt8], options: MatchOptions) async throws -> String {
    var reader = PeopleCSVReader()
    var offset = 0
    while offset < csv.count {
        try reader.feed(csv[offset..<min(csv.count, offset + 65_536)])
        offset += 65_536
    }
    let table = try reader.finish()
    let result = await MatchEngine.run(people: table.people, rules: .defaults(for: options.model), options: options)
    precondition(!options.prove || result.status == .optimal, "the proof did not close")
    return JSONWriter.write(result.json())
}

let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal]

    Benchmark("pairs 2,000 proven optimum", configuration: .init(metrics: metrics, maxDuration: .seconds(20), maxIterations: 10)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try await matchEndToEnd(pool2k, options: MatchOptions(model: .pairs, prove: true, seed: 1)))
        }
    }

    Benchmark("pairs 10,000 proven optimum", configuration: .init(metrics: metrics, maxDuration: .seconds(60), maxIterations: 3)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try await matchEndToEnd(pool10k, options: MatchOptions(model: .pairs, prove: true, seed: 1)))
        }
    }

    Benchmark("pairs 10,000 preview", configuration: .init(metrics: metrics, maxDuration: .seconds(20), maxIterations: 10)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try await matchEndToEnd(pool10k, options: MatchOptions(model: .pairs, preview: true, seed: 1)))
        }
    }

    // The pool is made in `setup`, so smaller runs do not pay for it and it stays outside the
    // measurement (stopping and restarting the measurement in the body recorded an empty sample).
    Benchmark("pairs 100,000 candidate graph with certified gap", configuration: .init(metrics: metrics, maxDuration: .seconds(300), maxIterations: 1)) { (benchmark: Benchmark, pool100k: [UInt8]) in
        for _ in benchmark.scaledIterations {
            blackHole(try await matchEndToEnd(pool100k, options: MatchOptions(model: .pairs, seed: 1)))
        }
    } setup: {
        peopleCSV(100_000)
    }
}
