import Benchmark
import ImpactWorkloads
import MutualImpact

// Issue 15: impact over 100,000 employees in under 5 s — the whole estimate for one outcome
// (matching, ATT for everyone and for completers, 1,000 bootstrap replicates each, balance).
let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal]

    Benchmark("impact 100,000 employees, one outcome", configuration: .init(metrics: metrics, maxDuration: .seconds(60), maxIterations: 5)) {
        (benchmark: Benchmark, population: ImpactPopulation) in
        for _ in benchmark.scaledIterations {
            blackHole(population.estimate())
        }
    } setup: {
        ImpactPopulation(people: 100_000)
    }
}
