import ImpactWorkloads
import MutualImpact

// A plain release timing of the impact estimate over 100,000 employees (issue 15), beside the
// package-benchmark suite: `swift run -c release impact-bench [people]`.
let people = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 100_000 : 100_000
let population = ImpactPopulation(people: people)
let clock = ContinuousClock()
var timings: [Duration] = []
var last: ImpactReport?
for _ in 0..<5 {
    let start = clock.now
    last = population.estimate()
    timings.append(start.duration(to: clock.now))
}
let report = last!.outcomes[0]
print("impact over \(people) employees, one outcome: runs \(timings.map { "\($0)" }.joined(separator: ", "))")
print("median \(timings.sorted()[2]); participants \(report.intentionToTreat.participants), effect \(report.intentionToTreat.effect ?? .nan), raw \(report.intentionToTreat.rawDifference ?? .nan), interval \(report.intentionToTreat.ciLow ?? .nan)…\(report.intentionToTreat.ciHigh ?? .nan), coarsening \(last!.coarsening.description)")
