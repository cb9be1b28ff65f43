// swift-tools-version: 6.1
import PackageDescription

// The module graph (ARCHITECTURE.md), as the targets below declare it and their files import it
// (`python3 scripts/check_imports.py` checks the two agree; `make test` runs it):
//   Random <- Linalg <- Weights (CZlibSystem, ZIPFoundation);  Optim (none);  Figures (CZlibSystem; no mathematics);
//   Linalg, Optim, Random <- Constructions;  Linalg <- Phenomenology;  Linalg, Random <- FormalLanguages;
//   Constructions, Linalg, Optim, Random, Weights <- Training;
//   every library <- Experiments;  Experiments and the libraries its options name <- icl.
// No target uses unsafeFlags, so another SwiftPM package can depend on the libraries.
let package = Package(
    name: "ICLTheory",
    products: [
        .library(name: "Random", targets: ["Random"]),
        .library(name: "Linalg", targets: ["Linalg"]),
        .library(name: "Weights", targets: ["Weights"]),
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
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // GSL linked against OpenBLAS's CBLAS (see Sources/CGSL/module.modulemap); zlib for PNG and the npz reader's CRC-32.
        .systemLibrary(name: "CGSL", path: "Sources/CGSL"),
        .systemLibrary(name: "CZlibSystem", path: "Sources/CZlibSystem", pkgConfig: "zlib"),
        .target(name: "Random", dependencies: ["CGSL", .product(name: "BigInt", package: "BigInt")], exclude: ["README.md"]),
        .target(name: "Linalg", dependencies: ["CGSL", "CVectorMath", "Random", .product(name: "BigInt", package: "BigInt")], exclude: ["README.md"]),
        .target(name: "Weights", dependencies: ["CZlibSystem", "Linalg", .product(name: "ZIPFoundation", package: "ZIPFoundation")], exclude: ["README.md"]),
        .target(name: "Optim", exclude: ["README.md"]),
        .target(name: "Constructions", dependencies: ["Linalg", "Optim", "Random"], exclude: ["README.md"]),
        // Vector kernels chosen at run time: the landscapes' log-sum-exp and the batch loss (SLEEF), the running-error product.
        .target(name: "CVectorMath", linkerSettings: [.linkedLibrary("sleef")]),
        .target(name: "Phenomenology", dependencies: ["Linalg", "CGSL", "CVectorMath"], exclude: ["README.md"]),
        .target(name: "FormalLanguages", dependencies: ["Linalg", "Random", .product(name: "BigInt", package: "BigInt")], exclude: ["README.md"]),
        .target(name: "Training", dependencies: ["CGSL", "Constructions", "Linalg", "Optim", "Random", "Weights"], exclude: ["README.md"]),
        .target(name: "Figures", dependencies: ["CZlibSystem"], exclude: ["README.md"]),
        .target(name: "Experiments", dependencies: ["Constructions", "Figures", "FormalLanguages", "Linalg", "Optim", "Phenomenology", "Random", "Training", "Weights", .product(name: "BigInt", package: "BigInt"),
                                                  .product(name: "ZIPFoundation", package: "ZIPFoundation")], exclude: ["README.md"]),
        .executableTarget(
            name: "icl",
            dependencies: [
                "Constructions", "Experiments", "Figures", "FormalLanguages", "Linalg", "Optim", "Phenomenology", "Training", "Weights",
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
            dependencies: ["Linalg", .product(name: "BigInt", package: "BigInt"), .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "RandomTests",
            dependencies: ["Random"]
        ),
        .testTarget(
            name: "WeightsTests",
            dependencies: ["Weights"]
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
            dependencies: ["Training", "Optim", "Constructions", "Linalg", "Random", "Weights", "_TestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "FiguresTests",
            dependencies: ["Figures", "CZlibSystem"]
        ),
        .testTarget(
            name: "ExperimentsTests",
            dependencies: ["Experiments", "Training", "Optim", "Constructions", "Phenomenology", "FormalLanguages", "Linalg", "Weights", "_TestSupport",
                           .product(name: "BigInt", package: "BigInt")]
        ),
        .testTarget(
            name: "FormalLanguagesTests",
            dependencies: [
                "FormalLanguages", "Linalg", "CGSL", "_TestSupport", .product(name: "BigInt", package: "BigInt"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ]
)
