// swift-tools-version:6.3
import PackageDescription

// The benchmarks live in a package of their own, referring to Mutual by path, so the product's
// build and CI never compile the harness. Run from this folder:
//   swift package benchmark                      (package-benchmark: every suite)
//   swift package benchmark --target MatchingBenchmarks
//   swift package benchmark --target StoreBenchmarks
//   swift package benchmark --target DashboardBenchmarks   (MUTUAL_BENCH_POSTGRES=… for PostgreSQL)
//   swift run -c release store-bench             (the same store workloads, plain timing)
//
// The path dependency is named explicitly: otherwise SwiftPM identifies it by its folder name,
// which differs between clones (CI clones into another folder). Targets use only the products
// they need, so SwiftPM builds MutualMatching alone for the matching suite (see README.md).
let package = Package(
    name: "MutualBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Mutual", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Matching: the `mutual match` pipeline end to end.
        .executableTarget(
            name: "MatchingBenchmarks",
            dependencies: [
                .product(name: "MutualMatching", package: "Mutual"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "MatchingBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Groups and rotation (issue 5): GroupEngine and RotationEngine on generated pools.
        .executableTarget(
            name: "GroupBenchmarks",
            dependencies: [
                .product(name: "MutualMatching", package: "Mutual"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "GroupBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Impact against a matched control (issue 15): the whole estimate over 100,000 employees.
        .target(
            name: "ImpactWorkloads",
            dependencies: [.product(name: "MutualImpact", package: "Mutual")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "ImpactBenchmarks",
            dependencies: ["ImpactWorkloads", .product(name: "MutualImpact", package: "Mutual"), .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/ImpactBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "impact-bench",
            dependencies: ["ImpactWorkloads"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Finding a time (issue 14): SlotFinder for a pair and a group of eight over 14 days.
        .executableTarget(
            name: "SlotBenchmarks",
            dependencies: [
                .product(name: "MutualStore", package: "Mutual"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SlotBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // People import and directory search on SQLite: shared by both runners below.
        .target(
            name: "StoreWorkloads",
            dependencies: [
                .product(name: "MutualStore", package: "Mutual"),
                .product(name: "MutualMatching", package: "Mutual"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "StoreBenchmarks",
            dependencies: ["StoreWorkloads", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/StoreBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The job queue and the event append (issue 12), on SQLite and PostgreSQL.
        .executableTarget(
            name: "JobBenchmarks",
            dependencies: ["StoreWorkloads", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/JobBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // A person's calendar feed (issue 14): rendering, and the whole request on SQLite.
        .executableTarget(
            name: "CalendarBenchmarks",
            dependencies: ["StoreWorkloads", .product(name: "MutualStore", package: "Mutual"), .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/CalendarBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "DashboardBenchmarks",
            dependencies: ["StoreWorkloads", .product(name: "MutualStore", package: "Mutual"), .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/DashboardBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "jobs-bench",
            dependencies: ["StoreWorkloads"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The hourly nudge scan over 100,000 relationships (issue 14).
        .executableTarget(
            name: "dashboard-bench",
            dependencies: ["StoreWorkloads", .product(name: "MutualStore", package: "Mutual")],
            path: "Sources/dashboard-bench",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "nudge-bench",
            dependencies: ["StoreWorkloads"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // `mutual match` on the generated 100,000 (or any count) as a plain release executable:
        // MutualMatching only, so it builds in minutes where the `mutual` command needs the web stack.
        .executableTarget(
            name: "match-bench",
            dependencies: [.product(name: "MutualMatching", package: "Mutual")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "store-bench",
            dependencies: ["StoreWorkloads"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
