import MutualMatching
#if canImport(Glibc)
import Glibc
#endif

// `mutual match` without the web stack: the same generator as `mutual generate people
// --count N --seed 1`, the CSV written and read back as the command reads it, and the same
// entry point with the command's defaults (pairs, default rules, seed 0). Prints wall time per
// phase, the total, bound, gap, peak RSS and a hash of the result JSON without timings (so two
// builds can be checked to give the same bytes).
//
//   swift build -c release --product match-bench
//   .build/release/match-bench [count=100000] [--prove] [--runs N] [--json path]

var count = 100_000
var prove = false
var runs = 1
var jsonPath: String?
var arguments = Array(CommandLine.arguments.dropFirst())
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "--prove": prove = true
    case "--runs": runs = Int(arguments.removeFirst())!
    case "--json": jsonPath = arguments.removeFirst()
    default: count = Int(argument)!
    }
}

/// Peak resident set (VmHWM) in MB, read from /proc/self/status.
func peakResidentMB() -> Int {
    guard let file = fopen("/proc/self/status", "r") else { return -1 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, 256, file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("VmHWM:") {
            let digits = text.filter { $0.isNumber }
            return (Int(digits) ?? 0) / 1024
        }
    }
    return -1
}

/// FNV-1a over the bytes, for comparing outputs between builds.
func fnv1a(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x100_0000_01b3
    }
    return hash
}

let clock = ContinuousClock()
func seconds(_ duration: Duration) -> String {
    let ms = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    return "\(ms / 1000).\(String(repeating: "0", count: 3 - String(ms % 1000).count))\(ms % 1000)"
}

let generated = clock.now
let csv = Array(PeopleCSVWriter.write(SyntheticPoolGenerator.generate(count: count, seed: 1), includeMentoringColumns: true).utf8)
print("pool \(count): generated in \(seconds(generated.duration(to: clock.now))) s, \(csv.count) bytes")

for run in 1...runs {
    let started = clock.now
    var reader = PeopleCSVReader()
    var offset = 0
    while offset < csv.count {
        try reader.feed(csv[offset..<min(csv.count, offset + 65_536)])
        offset += 65_536
    }
    let table = try reader.finish()
    let read = started.duration(to: clock.now)
    let options = MatchOptions(model: .pairs, prove: prove, preview: false, seed: 0, partnersPerPerson: nil)
    let result = await MatchEngine.run(people: table.people, rules: .defaults(for: .pairs), options: options)
    let json = JSONWriter.write(result.json(includeTimings: false))
    let total = started.duration(to: clock.now)
    let phases = result.timings.map { "\($0.0.rawValue) \($0.1) ms" }.joined(separator: ", ")
    let gap = result.gapPerHundredThousand
    print("run \(run): wall \(seconds(total)) s (read \(seconds(read)) s, \(phases)); status \(result.status.rawValue), "
        + "matched \(result.matchedCount), total \(result.totalWeight), bound \(result.upperBound), "
        + "gap \(gap / 1000).\(String(repeating: "0", count: 3 - String(gap % 1000).count))\(gap % 1000) %, "
        + "pricing rounds \(result.pricingRounds), peak RSS \(peakResidentMB()) MB, json fnv \(String(fnv1a(json), radix: 16))")
    if let jsonPath, let file = fopen(jsonPath, "w") {
        fputs(json, file)
        fclose(file)
    }
}
