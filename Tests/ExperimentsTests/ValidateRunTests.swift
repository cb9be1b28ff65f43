import Experiments
import Foundation
import Linalg
import Testing
import Training
import Weights

/// `ValidateRun` on models whose answer is known: one GD step written as a weights file is
/// judged to be GD exactly (zero prediction difference, equal losses); the same step at twice
/// the rate points the same way (model cos 1) but has a worse loss, and is not called GD.
@Suite struct ValidateRunTests {
    /// One GD step at rate `eta` as documented factors: `W_K = I`, `W_Q = [[I,0],[0,0]]`, `P = I`, `W_V = [[0,0],[0,-eta/N]]`.
    static func gdFile(eta: Double, d: Int, n: Int, in directory: URL) throws -> String {
        let D = d + 1
        var q = Matrix<Double>.zeros(D, D), v = Matrix<Double>.zeros(D, D)
        for i in 0..<d { q[i, i] = 1 }
        v[d, d] = -eta / Double(n)
        let tensors: [String: SafeTensors.Tensor] = [
            "layers.0.heads.0.W_K": SafeTensors.Tensor(Matrix<Double>.identity(D)), "layers.0.heads.0.W_Q": SafeTensors.Tensor(q),
            "layers.0.heads.0.W_V": SafeTensors.Tensor(v), "layers.0.heads.0.P": SafeTensors.Tensor(Matrix<Double>.identity(D)),
        ]
        let url = directory.appendingPathComponent("gd-\(eta).safetensors")
        try Data(SafeTensors.encode(tensors)).write(to: url)
        return url.path
    }

    @Test func gdIsGDAndTwiceTheRateIsNot() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var request = ValidateRequest(weightsPath: try Self.gdFile(eta: 1, d: 4, n: 6, in: dir))
        request.contextCount = 6
        request.tasks = 2000
        let eta = try ValidateRun.run(request).etaStar
        request.weightsPath = try Self.gdFile(eta: eta, d: 4, n: 6, in: dir)
        let gd = try ValidateRun.run(request)
        #expect(gd.predsDiff == 0 && gd.trainedLoss == gd.constructionLoss && gd.modelDiff == 0, "\(gd.predsDiff) \(gd.trainedLoss) \(gd.constructionLoss)")
        // Model cos adds 1e-8 to each sensitivity norm (von Oswald et al.), so equal sensitivities of norm s give 1 - 2e-8/s.
        #expect(abs(gd.modelCos - 1) < 1e-6 && gd.matches && gd.verdict.hasPrefix("implements one GD step at eta*"))
        #expect(gd.preconditionerError! < 1e-12 && gd.residualTerms == 0)
        request.weightsPath = try Self.gdFile(eta: 2 * eta, d: 4, n: 6, in: dir)
        let twice = try ValidateRun.run(request)
        #expect(abs(twice.modelCos - 1) < 1e-6)
        #expect(twice.trainedLoss > 1.02 * twice.constructionLoss && !twice.matches, "\(twice.trainedLoss) vs \(twice.constructionLoss)")
        #expect(twice.verdict.hasPrefix("aligned with one GD step at eta* (model cos 1) but its loss is +"), "\(twice.verdict)")
        #expect(abs(twice.preconditionerError! - 1) < 1e-12)
    }
}
