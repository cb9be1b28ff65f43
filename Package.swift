// swift-tools-version: 6.1
import PackageDescription

// The module graph (ARCHITECTURE.md): dependencies point one way,
//   Linalg <- Optim, Constructions, Phenomenology, FormalLanguages;  Figures (no mathematics);
//   Linalg, Optim, Constructions <- Training;
//   Constructions, Phenomenology, FormalLanguages, Training, Figures <- Experiments <- icl.
// No target uses unsafeFlags, so another SwiftPM package can depend on the libraries.
let package = Package(
    name: "ICLTheory",
    products: [
        .library(name: "Linalg", targets: ["Linalg"]),
        .library(name: "Optim", targets: ["Optim"]),
        .library(name: "Constructions", targets: ["Constructions"]),
        .library(name: "Phenomenology", targets: ["Phenomenology"]),
        .library(name: "Training", targets: ["Training"]),
        .library(name: "Figures", targets: ["Figures"]),
        .library(name: "Experiments", targets: ["Experiments"]),
        .library(name: "FormalLanguages", targets: ["FormalLanguages"]),
        .executable(name: "icl", targets: ["icl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
    ],
    targets: [
        // GSL linked against OpenBLAS's CBLAS (see Sources/CGSL/module.modulemap); zlib for PNG.
        .systemLibrary(name: "CGSL", path: "Sources/CGSL"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib"),
        .target(name: "Linalg", dependencies: ["CGSL", "CVectorMath", .product(name: "BigInt", package: "BigInt")], exclude: ["README.md"]),
        .target(name: "Optim", exclude: ["README.md"]),
        .target(name: "Constructions", dependencies: ["Linalg", "CGSL", "Optim"], exclude: ["README.md"]),
        // Vector kernels chosen at run time: the landscapes' log-sum-exp and the batch loss (SLEEF), the running-error product.
        .target(name: "CVectorMath", linkerSettings: [.linkedLibrary("sleef")]),
        .target(name: "Phenomenology", dependencies: ["Linalg", "CGSL", "CVectorMath"], exclude: ["README.md"]),
        .target(name: "FormalLanguages", dependencies: ["Linalg", .product(name: "BigInt", package: "BigInt")], exclude: ["README.md"]),
        .target(name: "Training", dependencies: ["Linalg", "Optim", "Constructions", "CGSL"], exclude: ["README.md"]),
        .target(name: "Figures", dependencies: ["CZlib"], exclude: ["README.md"]),
        .target(name: "Experiments", dependencies: ["Linalg", "Optim", "Constructions", "Phenomenology", "FormalLanguages", "Training", "Figures", .product(name: "BigInt", package: "BigInt")], exclude: ["README.md"]),
        .executableTarget(
            name: "icl",
            dependencies: [
                "Linalg", "Constructions", "Phenomenology", "FormalLanguages", "Training", "Figures", "Experiments",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers shared by the test suites (generators, tolerances, fixtures).
        .target(
            name: "_TestSupport",
            dependencies: ["Linalg", "Constructions", "Phenomenology", .product(name: "PropertyBased", package: "swift-property-based")],
            path: "Tests/_TestSupport"
        ),
        .testTarget(
            name: "LinalgTests",
            dependencies: ["Linalg", "_TestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "OptimTests",
            dependencies: ["Optim", "Linalg", "_TestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "ConstructionsTests",
            dependencies: ["Linalg", "Constructions", "_TestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "PhenomenologyTests",
            dependencies: ["Phenomenology", "CVectorMath", "Linalg", "_TestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "TrainingTests",
            dependencies: ["Training", "Optim", "Constructions", "Linalg", "_TestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "FiguresTests",
            dependencies: ["Figures", "CZlib"]
        ),
        .testTarget(
            name: "ExperimentsTests",
            dependencies: ["Experiments", "Training", "Optim", "Constructions", "Phenomenology", "FormalLanguages", "Linalg", "_TestSupport",
                           .product(name: "BigInt", package: "BigInt")]
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
