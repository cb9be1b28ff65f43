// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ICLTheory",
    products: [
        .library(name: "Linalg", targets: ["Linalg"]),
        .library(name: "Optim", targets: ["Optim"]),
        .library(name: "Constructions", targets: ["Constructions"]),
        .library(name: "Phenomenology", targets: ["Phenomenology"]),
        .executable(name: "icl", targets: ["icl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
    ],
    targets: [
        // GSL linked against OpenBLAS's CBLAS (see Sources/CGSL/module.modulemap).
        .systemLibrary(name: "CGSL", path: "Sources/CGSL"),
        .target(
            name: "Linalg",
            dependencies: ["CGSL", .product(name: "BigInt", package: "BigInt")],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        ),
        .target(name: "Optim"),
        .target(name: "Constructions", dependencies: ["Linalg", "CGSL", "Optim"]),
        .target(name: "Phenomenology", dependencies: ["Linalg", "CGSL"]),
        .executableTarget(
            name: "icl",
            dependencies: [
                "Linalg", "Constructions", "Phenomenology",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "LinalgTests",
            dependencies: ["Linalg", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "OptimTests",
            dependencies: ["Optim", "Linalg", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "ConstructionsTests",
            dependencies: [
                "Linalg", "Constructions",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "PhenomenologyTests",
            dependencies: ["Phenomenology", "Linalg", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
    ]
)
