// swift-tools-version:6.2
import PackageDescription

let strictSwift6: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

// The algorithms are CPU-bound: unoptimised, a 25-person group formation took 184 s instead of
// 0.4 s. They are compiled with optimisation in debug builds too, so the test suite, a debug
// server's match runs and the demo load run them at release speed. (Only this module: the rest
// stays quick to build and easy to debug.)
let optimisedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Mutual",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mutual", targets: ["mutual"]),
        .library(name: "MutualMatching", targets: ["MutualMatching"]),
        .library(name: "MutualImpact", targets: ["MutualImpact"]),
        .library(name: "MutualStore", targets: ["MutualStore"]),
        .library(name: "MutualWeb", targets: ["MutualWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        // Outbound HTTP (an OpenID provider's discovery and keys, webhook deliveries) and the
        // ID token's signature check.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
    ],
    targets: [
        // Pure algorithms: no dependencies, so its tests build in seconds.
        .target(
            name: "MutualMatching",
            swiftSettings: strictSwift6 + optimisedInDebug
        ),
        // The impact estimator (matched comparison, bootstrap): Foundation only, like
        // MutualMatching, and optimised in debug too, since the bootstrap redraws every
        // matched person a thousand times.
        .target(
            name: "MutualImpact",
            swiftSettings: strictSwift6 + optimisedInDebug
        ),
        .target(
            name: "MutualStore",
            dependencies: [
                "MutualMatching",
                "MutualImpact",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            resources: [.copy("Mail/Templates")],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "MutualWeb",
            dependencies: [
                "MutualStore",
                "MutualMatching",
                "MutualImpact",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strictSwift6
        ),
        .executableTarget(
            name: "mutual",
            dependencies: [
                "MutualWeb",
                "MutualStore",
                "MutualMatching",
                "MutualImpact",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "MutualTestSupport",
            dependencies: [
                "MutualWeb",
                "MutualStore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                // The tests' own RFC 6238 implementation (HMAC-SHA-1), independent of HummingbirdOTP.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/MutualTestSupport",
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "MutualMatchingTests",
            dependencies: ["MutualMatching"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "MutualImpactTests",
            dependencies: ["MutualImpact"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "MutualStoreTests",
            dependencies: [
                "MutualStore", "MutualImpact", "MutualTestSupport",
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "MutualWebTests",
            dependencies: [
                "MutualWeb", "MutualStore", "MutualImpact", "MutualTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSwift6
        ),
    ]
)
