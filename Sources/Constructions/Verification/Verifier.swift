import Linalg
import Random

/// Runs the theorem checks on seeded random instances.
///
/// Instance `i` of theorem `t` under master seed `s` is drawn from its own random stream,
/// seeded by `(s, t, i)`, so any slice of the instances (a shard) reproduces the same draws.
/// Normal deviates come from GSL's ziggurat (`RandomSource.NormalMethod.ziggurat`): drawing
/// them by the polar method took a quarter of a floating-point `lsa-gd` check.
public struct Verifier: Sendable {
    public var sizes: SizeRanges

    public init(sizes: SizeRanges = .standard) { self.sizes = sizes }

    /// The scheme by which instances are drawn from their seeds, written into every report so
    /// that `icl merge` refuses shards whose same seeds meant different instances: 1, normals by
    /// the polar method (versions before 2026-12); 2, normals by the ziggurat (this version).
    public static let instanceDraws = 2

    /// The seed of instance `index` of `theorem` under `masterSeed` (SplitMix64 of the three).
    public static func instanceSeed(masterSeed: UInt64, theorem: TheoremID, index: Int) -> UInt64 {
        let theoremIndex = UInt64(TheoremID.allCases.firstIndex(of: theorem)!)
        return splitMix(splitMix(splitMix(masterSeed) ^ theoremIndex) ^ UInt64(index))
    }

    /// Checks `theorem` on the instance drawn from `seed`, in floating point on `RunningError`
    /// scalars (`Double` values with running error bounds) or, with `exact`, in `Rational`.
    public func check(_ theorem: TheoremID, seed: UInt64, exact: Bool) throws -> CheckResult {
        let random = RandomSource(seed: seed, normals: .ziggurat)
        switch theorem {
        case .lsaGD:
            return checkMultistep(.random(random, sizes: sizes, layers: 1, preconditioned: false), layers: 1, preconditioned: false, exact: exact)
        case .lsaPGD:
            return checkMultistep(.random(random, sizes: sizes, layers: 1, preconditioned: true), layers: 1, preconditioned: true, exact: exact)
        case .lsaMultistep:
            let instance = LinearInstance.random(random, sizes: sizes, preconditioned: true)
            return checkMultistep(instance, layers: instance.etas.count, preconditioned: true, exact: exact)
        case .gdPlusPlus:
            return checkPlusPlus(.random(random, sizes: sizes, layers: 1, preconditioned: false), exact: exact)
        case .lsaFeatures:
            return checkFeatures(.random(random, sizes: sizes, layers: 1, preconditioned: false), random: random, exact: exact)
        case .dualForm:
            return checkDualForm(.random(random, sizes: sizes), exact: exact)
        case .gaussianOptimum:
            return try checkGaussianOptimum(.random(random, sizes: sizes), exact: exact)
        }
    }
}
