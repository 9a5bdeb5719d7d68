// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// Model plugins: one target per folder under `Plugins/`, depending on the core only. Adding a
/// plugin is its folder plus its line (and import) in `Sources/ZooPlugins/BuiltinPlugins.swift`.
let pluginNames = ((try? FileManager.default.contentsOfDirectory(atPath: Context.packageDirectory + "/Plugins")) ?? [])
    .filter { !$0.hasPrefix(".") }
    .sorted()

let package = Package(
    name: "ModelZoo",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ModelZoo", targets: ["ModelZoo"]),
        .library(name: "ZooPlugins", targets: ["ZooPlugins"]),
        .executable(name: "zoo", targets: ["zoo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `zoo serve` only (target ZooServe): HTTP server, graceful shutdown, metrics.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["libz-dev"])]
        ),
        // Hot loops clang compiles better than Swift does (the forest walk: eight rows in registers).
        .target(name: "CZooKernels", path: "Sources/CZooKernels"),
        .target(name: "ModelZoo", dependencies: ["CZlib", "CZooKernels"], path: "Sources/ModelZoo"),
    ]
        + pluginNames.map { name in
            .target(name: name, dependencies: ["ModelZoo"], path: "Plugins/\(name)")
        } + [
            // The one place that knows every built-in plugin.
            .target(
                name: "ZooPlugins",
                dependencies: ["ModelZoo"] + pluginNames.map { .target(name: $0) },
                path: "Sources/ZooPlugins"
            ),
            // `zoo serve`: the HTTP server (Open Inference Protocol v2, MLflow scoring, zoo page). The only
            // target that knows networking; the core stays free of it.
            .target(
                name: "ZooServe",
                dependencies: [
                    "ModelZoo",
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "HummingbirdCore", package: "hummingbird"),
                    .product(name: "HTTPTypes", package: "swift-http-types"),
                    .product(name: "NIOCore", package: "swift-nio"),
                    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                    .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                    .product(name: "Logging", package: "swift-log"),
                    .product(name: "Metrics", package: "swift-metrics"),
                    .product(name: "Prometheus", package: "swift-prometheus"),
                ],
                path: "Sources/ZooServe",
                resources: [.embedInCode("Resources/openapi.json")]
            ),
            .executableTarget(
                name: "zoo",
                dependencies: [
                    "ModelZoo", "ZooPlugins", "ZooServe",
                    .product(name: "ArgumentParser", package: "swift-argument-parser"),
                ],
                path: "Sources/zoo"
            ),
            // Temporary files for the test targets, removed when the test process exits.
            .target(name: "TestScratch", path: "Tests/Support"),
            .testTarget(name: "ModelZooTests", dependencies: ["ModelZoo", "TestScratch"], path: "Tests/ModelZooTests"),
            // Fuzzing: the harness, and one executable per target (Tests/Fuzz/run.sh builds them with libFuzzer).
            .target(name: "FuzzHarness", dependencies: ["ModelZoo", "ZooPlugins"], path: "Tests/Fuzz/Harness"),
            .executableTarget(name: "FuzzCSV", dependencies: ["FuzzHarness"], path: "Tests/Fuzz/FuzzCSV"),
            .executableTarget(name: "FuzzNNM", dependencies: ["FuzzHarness"], path: "Tests/Fuzz/FuzzNNM"),
            .executableTarget(name: "FuzzFloat", dependencies: ["FuzzHarness"], path: "Tests/Fuzz/FuzzFloat"),
            .testTarget(
                name: "PluginTests",
                dependencies: ["ModelZoo", "ZooPlugins", "FuzzHarness", "TestScratch"] + pluginNames.map { .target(name: $0) },
                path: "Tests/PluginTests"
            ),
            // ZooPlugins: golden texts derive what depends on the plugins (kinds, hyperparameters) from the registry.
            // Golden/: expected whole outputs, read from the source tree.
            .testTarget(
                name: "ZooServeTests", dependencies: ["ZooServe", "ModelZoo", "ZooPlugins", "TestScratch"], path: "Tests/ZooServeTests"),
            .testTarget(
                name: "ZooCLITests", dependencies: ["zoo", "ModelZoo", "ZooPlugins", "TestScratch"], path: "Tests/ZooCLITests",
                exclude: ["Golden"]),
        ]
)
