// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ICLTheory",
    products: [
        .library(name: "Linalg", targets: ["Linalg"]),
        .library(name: "Constructions", targets: ["Constructions"]),
        .library(name: "Phenomenology", targets: ["Phenomenology"]),
        .library(name: "FormalLanguages", targets: ["FormalLanguages"]),
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
        .target(name: "Constructions", dependencies: ["Linalg", "CGSL"]),
        .target(name: "Phenomenology", dependencies: ["Linalg", "CGSL"]),
        .target(name: "FormalLanguages", dependencies: ["Linalg", .product(name: "BigInt", package: "BigInt")], exclude: ["README.md"]),
        .executableTarget(
            name: "icl",
            dependencies: [
                "Linalg", "Constructions", "Phenomenology", "FormalLanguages",
                .product(name: "BigInt", package: "BigInt"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "LinalgTests",
            dependencies: ["Linalg", .product(name: "PropertyBased", package: "swift-property-based")]
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
        .testTarget(
            name: "FormalLanguagesTests",
            dependencies: [
                "FormalLanguages", "Linalg", "CGSL", .product(name: "BigInt", package: "BigInt"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ]
)
