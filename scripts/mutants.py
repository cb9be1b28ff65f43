#!/usr/bin/env python3
"""Mutation testing: plausible mistakes, each applied alone to a copy of the source, the
relevant tests run; a mutant is *killed* when a test fails, *survived* when all pass. Every
non-equivalent mutant must be killed: a survivor is a mistake the suite cannot see.

Usage: python3 scripts/mutants.py [--only ID ...] [--targeted]   (writes mutants.json; prints a table)
By default every mutant is run against the full suite: first the tests named in its entry (a
failure there is a failure of the full suite, so the mutant is killed), then, if they pass, every
Swift test and every CLI suite, stopping at the first that fails (about 5 minutes on 2 cores).
--targeted stops after the named tests, for a quick check while writing a test.
Run it from a checkout it may modify (each file is restored after its mutant).
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ICL = os.path.join(ROOT, ".build", "release", "icl")
# One build serves both kinds of test: the product and the test bundle, compiled for testable
# imports (what `swift test -c release` does), so no mutant pays for two compilations.
BUILD = ["swift", "build", "-c", "release", "--build-tests", "-Xswiftc", "-enable-testing"]

# (id, what the mistake is, file, old text (exactly once), new text, how to test:
#  "swift:<filter>" runs `swift test --filter`, "cli:<file>" one command-line suite of Tests/cli,
#  "cli" every one of them)
MUTANTS = [
    ("m01", "P without 1/N", "Sources/Constructions/LSAConstructions.swift",
     "let projection = (eta / S(n)) * Matrix<S>.identity(d + dy)", "let projection = eta * Matrix<S>.identity(d + dy)",
     "swift:LSAGDTests"),
    ("m02", "W_V sign of -I flipped", "Sources/Constructions/LSAConstructions.swift",
     "[w0, -Matrix<S>.identity(dy)]", "[w0, Matrix<S>.identity(dy)]", "swift:LSAGDTests"),
    ("m03", "W_Q carries Gamma^T", "Sources/Constructions/LSAConstructions.swift",
     "let query = Matrix(blocks: [[gamma, .zeros(d, dy)]", "let query = Matrix(blocks: [[gamma.transposed, .zeros(d, dy)]",
     "swift:LSAPGDTests"),
    ("m04", "GD gradient with 1/(N+1)", "Sources/Constructions/GradientDescent.swift",
     "(S.one / S(x.cols)) * ((w * x - y) * x.transposed)", "(S.one / S(x.cols + 1)) * ((w * x - y) * x.transposed)",
     "swift:LSAGDTests"),
    ("m05", "GD++ curvature sign flipped", "Sources/Constructions/LSAConstructions.swift",
     "[[(-gamma) * Matrix<S>.identity(d), .zeros(d, dy)],", "[[gamma * Matrix<S>.identity(d), .zeros(d, dy)],",
     "swift:GDPlusPlusTests"),
    ("m06", "momentum velocity not decayed", "Sources/Constructions/DualForm.swift",
     "velocity = settings.momentum * velocity + step", "velocity = velocity + step", "swift:DualFormTests"),
    ("m07", "Gaussian optimum (n+1)/n -> n/n", "Sources/Constructions/GaussianOptimum.swift",
     "(S(contextCount + 1) / n) * covariance", "(S(contextCount) / n) * covariance", "swift:GaussianOptimumTests"),
    ("m08", "instance seed ignores the index", "Sources/Constructions/Verification/Verifier.swift",
     "return splitMix(splitMix(splitMix(masterSeed) ^ theoremIndex) ^ UInt64(index))",
     "return splitMix(splitMix(splitMix(masterSeed) ^ theoremIndex) ^ UInt64(0 * index))", "swift:OutputAndInputTests"),
    ("m09", "discrimination guard loosened (1e-4 -> 1e4)", "Sources/Constructions/Verification/TheoremID.swift",
     "public static let discrimination = 1e-4", "public static let discrimination = 1e4", "swift:CheckResultTests"),
    ("m10", "zero instances counted as held", "Sources/Constructions/Verification/VerificationRun.swift",
     "if summary.instances == 0 { summary.passed = false }", "if summary.instances == 0 { summary.passed = true }",
     "swift:OutputAndInputTests"),
    ("m11", "dLoss/dxi sign flipped", "Sources/Phenomenology/LossTerms.swift",
     "@inlinable var lossXi: Double { -(w1 * two.pmq + w2 * two.p) }", "@inlinable var lossXi: Double { (w1 * two.pmq + w2 * two.p) }",
     "swift:DerivativeTests"),
    ("m12", "y' = y (missing 1 - y)", "Sources/Phenomenology/LayerOneAttention.swift",
     "let dy = y * oneMinusY", "let dy = y", "swift:DerivativeTests"),
    ("m13", "Hessian (xi r)^2 term as (xi r)", "Sources/Phenomenology/LossTerms.swift",
     "let laa = xr * (xr * varX) - xr * two.oneMinus2p * gg", "let laa = xr * varX - xr * two.oneMinus2p * gg",
     "swift:DerivativeTests"),
    ("m14", "plateau onset with half the slope", "Sources/Phenomenology/CliffMeasurement.swift",
     "let onset = max(0, tc - (losses[0] - lossAtCliff) / smax)", "let onset = max(0, tc - (losses[0] - lossAtCliff) / (2 * smax))",
     "swift:CliffTests|DynamicsTests|ReddyOutputTests"),
    ("m15", "xi* tolerance loosened (1e-13 -> 1e-6)", "Sources/Phenomenology/XiMinimizer.swift",
     "relativeTolerance: Double = 1e-13", "relativeTolerance: Double = 1e-6", "swift:XiStarReferenceTests|MinimizerTests"),
    ("m16", "size rule L >= N loosened to L >= 1", "Sources/Phenomenology/ReddyModelError.swift",
     "guard L >= N else { throw .fewerLabelsThanPairs(N: N, L: L) }", "guard L >= 1 else { throw .fewerLabelsThanPairs(N: N, L: L) }",
     "swift:ModelTests"),
    # (Breaking Paeth's a-tie instead, `pa < pb`, is an equivalent mutant: pa == pb <= pc forces a == b.)
    ("m17", "PNG Paeth b/c tie broken the wrong way", "Sources/Figures/PNGEncoder.swift",
     "predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)", "predictor = pa <= pb && pa <= pc ? a : (pb < pc ? b : c)",
     "swift:PNGTests"),
    ("m18", "CSV does not quote commas", "Sources/Figures/CSVTable.swift",
     'guard s.contains(where: { $0 == "," || $0 == "\\"" || $0.isNewline }) else { return s }',
     'guard s.contains(where: { $0 == "\\"" || $0.isNewline }) else { return s }', "swift:FormatTests"),
    ("m19", "merge accepts a duplicate shard", "Sources/Experiments/VerifyReport.swift",
     "if let other = owner[shard.index] { throw .duplicateShard(shard.description, other, name) }", "",
     "swift:OutputAndInputTests"),
    ("m20", "ragged instance rows accepted", "Sources/Experiments/InstanceFile.swift",
     "if let first = rows.first, let bad = rows.firstIndex(where: { $0.count != first.count }) {",
     "if let first = rows.first, let bad = rows.firstIndex(where: { $0.count != first.count && false }) {",
     "swift:OutputAndInputTests"),
    ("m21", "Adam without bias correction", "Sources/Optim/Adam.swift",
     "let c1 = 1 - pow(b1, t), c2 = 1 - pow(b2, t)", "let c1 = 1.0, c2 = 1.0", "swift:OptimTests"),
    ("m22", "non-finite numbers accepted on the command line", "Sources/icl/Options/Real.swift",
     "guard !trimmed.isEmpty, let value = Double(trimmed), value.isFinite else { return nil }",
     "guard !trimmed.isEmpty, let value = Double(trimmed) else { return nil }", "cli"),
    ("m23", "a shard with no instance accepted", "Sources/icl/Verify.swift",
     "guard shard.size(of: instances) >= 1 else {", "guard shard.size(of: instances) >= 0 else {", "cli"),
    ("m24", "temporary files left on a failed write", "Sources/Experiments/AtomicOutput.swift",
     "        } catch {\n            removeTemporaries()\n            throw error\n",
     "        } catch {\n            throw error\n", "swift:OutputAndInputTests|ReddyOutputTests"),
    ("m25", "rename failure keeps temporaries", "Sources/Experiments/AtomicOutput.swift",
     "            removeBackups()\n            removeTemporaries()\n            throw .cannotRename(",
     "            removeBackups()\n            throw .cannotRename(", "swift:OutputAndInputTests"),
    ("m26", "dE_ctx with 2 dG instead of dG + dG^T", "Sources/Training/TaskPass.swift",
     "s[i * Dp + j] = dG[i * Dp + j] + dG[j * Dp + i]", "s[i * Dp + j] = 2 * dG[i * Dp + j]", "swift:KernelTests|ModelTests"),
    ("m27", "task batches ignore the step", "Sources/Training/RegressionTasks.swift",
     "Philox.fill(buffer, count: words, UInt32(b), UInt32(step), purpose.rawValue, key: key)",
     "Philox.fill(buffer, count: words, UInt32(b), UInt32(0 * step), purpose.rawValue, key: key)", "swift:TaskTests|TrainerTests"),
    ("m28", "least-squares eta* with 1/(N+1)", "Sources/Training/Baselines.swift",
     "g /= Double(n)\n", "g /= Double(n + 1)\n", "swift:ValidationTests"),
    ("m29", "model cos with squared norms", "Sources/Training/Alignment.swift",
     "cos += dot / ((na.squareRoot() + 1e-8) * (nb.squareRoot() + 1e-8))", "cos += dot / ((na + 1e-8) * (nb.squareRoot() + 1e-8))",
     "swift:ValidationTests"),
    ("m30", "uniform sampler never draws the last rank", "Sources/FormalLanguages/UniformSampler.swift",
     "out.withUnsafeMutableBufferPointer { t.unrank(random.uniformInteger(below: c), length: n",
     "out.withUnsafeMutableBufferPointer { t.unrank(random.uniformInteger(below: c - 1), length: n", "swift:SamplingTests"),
    ("m31", "running error bound of a product drops |b| e_a", "Sources/Linalg/RunningError.swift",
     "let propagated = Swift.abs(a.value) * b.error + Swift.abs(b.value) * a.error + a.error * b.error",
     "let propagated = Swift.abs(a.value) * b.error + a.error * b.error", "swift:RunningErrorTests|DiscriminationTests"),
    ("m32", "induction steps all start from W_0", "Sources/Constructions/Verification/LSAChecks.swift",
     "iterate = restart(next)", "iterate = restart(iterate)", "swift:LSAMultistepTests|DiscriminationTests"),
    ("m33", "merge mixes instance-draw schemes", "Sources/Experiments/VerifyReport.swift",
     "reports.first(where: { $0.drawScheme != first.drawScheme })", "reports.first(where: { _ in false })",
     "swift:OutputAndInputTests"),
    ("m34", "safetensors metadata dropped on write", "Sources/Weights/SafeTensors.swift",
     "            if let metadata {", "            if let metadata, metadata.isEmpty {", "swift:SafeTensorsTests|TrainerTests"),
    ("m35", "resume keeps the checkpoint step's metrics line twice", "Sources/Experiments/Training/TrainRun.swift",
     "metrics = directory.readMetrics().filter { $0.step < checkpoint.step }",
     "metrics = directory.readMetrics().filter { $0.step <= checkpoint.step }", "swift:TrainingRunTests"),
    ("m36", "exact integer draws masked one bit short", "Sources/Random/UniformInteger.swift",
     "let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1", "let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits - 1)) - 1",
     "swift:SamplingTests"),
    ("m37", "checkpoint of mixed steps accepted", "Sources/Training/Checkpoint.swift",
     "guard metadata[\"step\"] == String(state.step) else {", "guard true || metadata[\"step\"] == String(state.step) else {",
     "swift:TrainerTests"),
    ("m38", "resume restarts the optimiser", "Sources/Training/Trainer.swift",
     "        if let optimizerState {", "        if let optimizerState, false {", "swift:TrainerTests"),
    ("m39", "seconds of a duration modulo 59", "Sources/Figures/NumberFormat.swift",
     "String(format: \"%d min %02d s\", s / 60, s % 60)", "String(format: \"%d min %02d s\", s / 60, s % 59)", "swift:FormatTests"),
    ("m40", "JSON lines pretty-printed", "Sources/Weights/JSONStyle.swift",
     "private let encoder = JSONStyle.encoder(pretty: false)",
     "private let encoder = JSONStyle.encoder(pretty: true)", "swift:TrainingRunTests|LanguageReportTests"),
    ("m41", "forward takes the costlier association", "Sources/Training/LSAAssociation.swift",
     "< layerFlops(.state, D: D, T: T, keys: keys, paddedKeys: paddedKeys, heads: heads) ? .attention : .state",
     "> layerFlops(.state, D: D, T: T, keys: keys, paddedKeys: paddedKeys, heads: heads) ? .attention : .state", "swift:KernelForwardTests"),
    ("m42", "multimin never hands the objective its gradient buffer", "Sources/Linalg/Multimin.swift",
     "g.map { UnsafeMutableBufferPointer(start: $0.pointee.data, count: n) })",
     "Optional<UnsafeMutableBufferPointer<Double>>.none)", "swift:MultiminTests|MinimizerTests"),
    ("m43", "2^53 written as a string", "Sources/Experiments/ExactInteger.swift",
     "if value <= Self.largestNumber {", "if value < Self.largestNumber {", "swift:LanguageReportTests"),
    ("m44", "checkpoint of another format accepted", "Sources/Training/Checkpoint.swift",
     "guard state.format == Self.format else", "guard true || state.format == Self.format else", "swift:TrainerTests"),
    ("m45", "checkpoint weights written without their step", "Sources/Experiments/Training/RunDirectory.swift",
     "metadata: checkpoint.metadata)", "metadata: [:])", "swift:TrainingRunTests"),
    # m46-m56 (branch seeds, issue 23 items 1 and 5): killed by Tests/cli/seeds.py or options_effect.py.
    ("m46", "train --seed ignored (every run seed 1)", "Sources/icl/Train.swift",
     "batchSize: batchSize, steps: totalSteps, seed: seed ?? 1)", "batchSize: batchSize, steps: totalSteps, seed: 1)", "cli"),
    ("m47", "GSL seed loses its high 32 bits (lang sample 5 = 5 + 2^32)", "Sources/Linalg/RandomSource.swift",
     "UInt(truncatingIfNeeded: seed ^ (seed >> 32) &* 0x9E37_79B9)", "UInt(truncatingIfNeeded: seed)", "cli"),
    ("m48", "tasks' Philox key loses the seed's high half (the initialisation keeps it)", "Sources/Training/RegressionTasks.swift",
     "UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))", "UInt32(truncatingIfNeeded: seed), 0)", "cli"),
    ("m49", "reproduce von-oswald --seed ignored", "Sources/icl/Reproduce+VonOswald.swift",
     "request.seed = options.seed", "_ = options.seed", "cli"),
    ("m50", "train --clip ignored", "Sources/icl/Train.swift", "clipNorm: clip?.value)", "clipNorm: nil)", "cli"),
    ("m51", "train --warmup ignored", "Sources/icl/Train.swift", "warmupSteps: warmup ?? 0, decaySteps", "warmupSteps: 0, decaySteps", "cli"),
    ("m52", "phen flow --threshold ignored", "Sources/icl/Phen+Flow.swift", "request.threshold = threshold.value", "_ = threshold", "cli"),
    ("m53", "lang sample --edits ignored", "Sources/icl/Lang+Sample.swift", "private var editTypes: [EditType] { edits?.types ?? EditType.allCases }", "private var editTypes: [EditType] { EditType.allCases }", "cli"),
    ("m54", "phen landscape --contours ignored", "Sources/icl/Phen+Landscape.swift", "request.contourLevels = contours", "_ = contours", "cli"),
    ("m55", "construct --no-preconditioner ignored", "Sources/icl/Construct.swift",
     "request.ignorePreconditioner = noPreconditioner", "_ = noPreconditioner", "cli"),
    ("m56", "lang sample --seed ignored (every run seed 1)", "Sources/icl/Lang+Sample.swift",
     "try sample.render(count: count, seed: seed, json: json,", "try sample.render(count: count, seed: 1, json: json,", "cli"),
    # m57-m61 (branch files, issue 23 items 3, 4, 6) (issue 23, items 3, 4, 6).
    ("m57", "Hessian-vector product made asymmetric", "Sources/Phenomenology/SymmetricMatrix3.swift",
     "ba * v[0] + aa * v[1] + ax * v[2],", "bx * v[0] + aa * v[1] + ax * v[2],", "swift:HessianVectorTests"),
    ("m58", "heatmap drawn upside down", "Sources/Figures/Heatmap.swift",
     "let j = (h - 1 - r) * (rows - 1) / max(h - 1, 1)", "let j = r * (rows - 1) / max(h - 1, 1)", "swift:FigureDataTests"),
    ("m59", "matrix panels each on their own colour scale", "Sources/Figures/MatrixGrid.swift",
     "let t = v.isFinite ? v / a : 0", "let t = v.isFinite ? v / max(p.values.map(abs).max() ?? 1, 1e-300) : 0",
     "swift:FigureDataTests"),
    ("m60", "y tick labels upside down", "Sources/Figures/PlotFrame.swift",
     "svg.text(formatNumber(t, significant: 4), left - 8, y + 4", "svg.text(formatNumber(yRange.0 + yRange.1 - t, significant: 4), left - 8, y + 4",
     "swift:FigureDataTests"),
    ("m61", "weights file's W_K written transposed", "Sources/Training/LSAModel+Training.swift",
     "[factors.key, factors.query, factors.value, factors.projection]",
     "[factors.key.transposed, factors.query, factors.value, factors.projection]", "cli"),
    # m62-m73: branch repro (issue 23 item 2: reproductions pinned by Fixtures/training; item 6: init, fit).
    ("m62", "eta* fitted on the test tasks", "Sources/Experiments/Training/VonOswaldRun.swift",
     "let eta = Baselines.leastSquaresLearningRate(validation)", "let eta = Baselines.leastSquaresLearningRate(test)",
     "swift:ReproductionReferenceTests"),
    ("m63", "zero predictor's loss not halved", "Sources/Training/TaskBatch.swift",
     "/ Double(2 * taskCount * outputDimension)", "/ Double(taskCount * outputDimension)", "swift:ReproductionReferenceTests"),
    ("m64", "model cos with squared norms", "Sources/Training/Alignment.swift",
     "cos += dot / ((na.squareRoot() + 1e-8) * (nb.squareRoot() + 1e-8))", "cos += dot / ((na + 1e-8) * (nb + 1e-8))",
     "swift:ReproductionReferenceTests"),
    ("m65", "preds diff with the squared norm", "Sources/Training/Alignment.swift",
     "preds += e.squareRoot()", "preds += e", "swift:ReproductionReferenceTests"),
    ("m66", "model diff with the squared norm", "Sources/Training/Alignment.swift",
     "diff += dd.squareRoot()", "diff += dd", "swift:ReproductionReferenceTests"),
    ("m67", "preconditioner error divided by the trained norm", "Sources/Experiments/Training/GaussianOptimumRun.swift",
     "(gamma - gamma0).frobeniusNorm / gamma0.frobeniusNorm", "(gamma - gamma0).frobeniusNorm / gamma.frobeniusNorm",
     "swift:ReproductionReferenceTests"),
    ("m68", "effective preconditioner not transposed", "Sources/Training/Alignment.swift",
     "gamma[i, j] -= n * vyy * m[j, i]", "gamma[i, j] -= n * vyy * m[i, j]", "swift:ReproductionReferenceTests"),
    ("m69", "GD++ fit keeps the worse start", "Sources/Training/Baselines.swift",
     "for fit in fits.dropFirst() where fit.loss < best.loss { best = fit }", "for fit in fits.dropFirst() where fit.loss > best.loss { best = fit }",
     "swift:ReproductionReferenceTests"),
    ("m70", "GD++ curvature step divided by N", "Sources/Training/Baselines.swift",
     "for i in 0..<d { v[i, i] = -gamma }", "for i in 0..<d { v[i, i] = -gamma / Double(shape.contextCount) }",
     "swift:ReproductionReferenceTests"),
    ("m71", "every initial factor from one stream item", "Sources/Training/LSAModel.swift",
     "                item += 1\n", "", "swift:ModelTests"),
    ("m72", "inputs on U(-r, r) instead of U(-r/2, r/2)", "Sources/Training/RegressionTasks.swift",
     "x[i] = -width / 2 + width * Philox.uniform(buffer[next + i])", "x[i] = -width + 2 * width * Philox.uniform(buffer[next + i])",
     "swift:ReproductionClosedFormTests"),
    ("m73", "Gaussian test error halved", "Sources/Experiments/Training/GaussianOptimumRun.swift",
     "let errors = zip(predictions, test.targets).map { ($0 - $1) * ($0 - $1) }",
     "let errors = zip(predictions, test.targets).map { ($0 - $1) * ($0 - $1) / 2 }", "swift:ReproductionClosedFormTests"),
    # m74 (issue 23's list: the bound-to-signal guard measuring the wrong signal).
    ("m74", "bound-to-signal guard measures the tokens, not the change", "Sources/Constructions/Verification/LSAChecks.swift",
     "largest = max(largest, abs(reference[i, j] - initial[i, j % initial.cols]))", "largest = max(largest, abs(reference[i, j]))",
     "swift:CheckResultTests|DiscriminationTests|LSAGDTests|LSAPGDTests"),
    # m75-m76 (issue 23's list: a schedule read one step off, a summary field from the wrong slice).
    ("m75", "learning-rate schedule read one step ahead", "Sources/Training/Trainer.swift",
     "learningRate(atStep: optimizer.state.stepCount)", "learningRate(atStep: optimizer.state.stepCount + 1)", "cli:options_effect.py"),
    ("m76", "final training loss averaged over the first tenth of the log", "Sources/Experiments/Training/TrainRun.swift",
     "let tail = metrics.suffix(max(1, metrics.count / 10))", "let tail = metrics.prefix(max(1, metrics.count / 10))", "swift:TrainingRunTests"),
    # m77-m84 (issue 18, lang: parser limits, operator runs, state budget, sample refusals).
    ("m77", "bracket depth limit off by one (1001 groups accepted)", "Sources/FormalLanguages/RegexParser.swift",
     "guard depth <= Self.maxDepth else {", "guard depth <= Self.maxDepth + 1 else {", "swift:RegexLimitsTests"),
    ("m78", "regex length limit not checked", "Sources/FormalLanguages/RegexParser.swift",
     "guard text.count <= Self.maxLength else {", "guard text.count <= Self.maxLength || true else {", "swift:RegexLimitsTests"),
    ("m79", "a mixed run of postfix operators read as its last operator", "Sources/FormalLanguages/RegexParser.swift",
     'if operators == ["+"] { return .plus(r) }', 'if text[i - 1] == "+" { return .plus(r) }', "swift:RegexLimitsTests"),
    ("m80", "a postfix node over another written without parentheses", "Sources/FormalLanguages/Regex.swift",
     'case .star, .plus, .optional: return "(\\(written(precedence: 2)))"', 'case .star, .plus, .optional: return written(precedence: 2)',
     "swift:RegexLimitsTests"),
    ("m81", "state limit checked with >= (one state too few allowed)", "Sources/FormalLanguages/SubsetConstruction.swift",
     "if let stateLimit, count > stateLimit {", "if let stateLimit, count >= stateLimit {", "swift:RegexLimitsTests"),
    ("m82", "sparse closure misses states reached by two epsilon-moves", "Sources/FormalLanguages/SubsetConstruction.swift",
     "                    stack.append(Int32(t))\n", "", "swift:RegexLimitsTests"),
    ("m83", "--edits accepted without --negatives hard", "Sources/icl/Lang+Sample.swift",
     "if edits != nil && negatives != .hard {", "if edits != nil && negatives == .uniform {", "cli"),
    ("m84", "lang sample size estimate ignores the negatives", "Sources/icl/Lang+Sample.swift",
     "private var strings: Int { negatives == .none ? count : 2 * count }", "private var strings: Int { count }", "cli"),
    # m95-m104 (issue 18: aggregate, phen, bench, one message style).
    ("m95", "aggregate accepts the same bytes twice", "Sources/Experiments/SeedAggregate.swift",
     "if let earlier = contents[data] { throw .duplicate(path, of: earlier) }", "", "swift:TrainingRunTests"),
    ("m96", "aggregate accepts a seed twice", "Sources/Experiments/SeedAggregate.swift",
     "if let earlier = seeds[seed] { throw .repeatedSeed(seed, path, of: earlier) }", "", "swift:TrainingRunTests"),
    ("m97", "aggregate mixes experiments", "Sources/Experiments/SeedAggregate.swift",
     "guard kind == first.kind else { throw .mixed(path, kind, first.path, first.kind) }", "", "swift:TrainingRunTests"),
    ("m98", "aggregate turns every list element into a metric", "Sources/Experiments/SeedAggregate.swift",
     "            guard elements else { return }\n", "", "swift:TrainingRunTests"),
    ("m99", "mean of values near the double range unscaled", "Sources/Training/Statistics.swift",
     "if !mean.isFinite || !s.isFinite {", "if false {", "swift:TrainingRunTests"),
    ("m100", "aggregate prints an interval that overflowed", "Sources/Experiments/SeedAggregate.swift",
     "allSatisfy(\\.isFinite) else { throw .overflow(metric: key) }", "allSatisfy({ _ in true }) else { throw .overflow(metric: key) }",
     "swift:TrainingRunTests"),
    ("m101", "a failed rename leaves the files already renamed", "Sources/Experiments/AtomicOutput.swift",
     "if let backup = backups[j] { rename(backup, published) } else { unlink(published) }", "", "cli"),
    ("m102", "phen flow --lr past --t-max accepted", "Sources/icl/Phen+Flow.swift",
     "guard lr.value <= timeLimit.value else {", "guard lr.value <= timeLimit.value || true else {", "cli"),
    ("m103", "bench starts the timed runs past --max-time", "Sources/icl/Bench.swift",
     "if estimate > maxTime.value && !force {", "if estimate > maxTime.value && force {", "cli"),
    ("m104", "command-line refusals keep the option's accepted form out", "Sources/icl/Options/CommandLineMessage.swift",
     "if text.hasSuffix(\"'\"), let help {", "if text.hasSuffix(\"'\"), let help, help.option.isEmpty {", "cli"),
    # m105-m108: branch i18-fuzz (issue 18: the safetensors and checkpoint readers under libFuzzer).
    ("m105", "a tensor's byte count multiplied without an overflow check", "Sources/Weights/SafeTensors.swift",
     "let (byteCount, byteOverflow) = count.multipliedReportingOverflow(by: width)", "let (byteCount, byteOverflow) = (count &* width, false)",
     "swift:SafeTensorsFuzzFixtureTests"),
    ("m106", "data spans sorted by their start only (an empty tensor before another refused)", "Sources/Weights/SafeTensors.swift",
     "spans.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }", "spans.sort { $0.begin < $1.begin }",
     "swift:SafeTensorsFuzzFixtureTests"),
    ("m107", "a checkpoint's configuration not validated before its weights are read", "Sources/Training/Checkpoint.swift",
     "do { try state.config.validate() } catch {", "do { } catch {", "swift:CheckpointFuzzFixtureTests"),
    ("m108", "a name read from a file quoted raw in a message", "Sources/Weights/MessageText.swift",
     "case .control, .lineSeparator, .paragraphSeparator: out += scalar.escaped(asASCII: true)", "case .lineSeparator: out += scalar.escaped(asASCII: true)",
     "swift:SafeTensorsFuzzFixtureTests"),
    # m85-m94: branch i18-rundir (issue 18: run directories and checkpoints of train and reproduce).
    ("m85", "resume ignores the checkpoint's run id", "Sources/Experiments/Training/TrainRun.swift",
     "guard own?.runId == checkpoints?.runId else {", "guard own?.runId == own?.runId else {", "cli:bad_inputs.py"),
    ("m86", "resume forgets the run's --log-every", "Sources/Experiments/Training/TrainRun.swift",
     "request.logEvery ?? identity?.logEvery ?? max(", "request.logEvery ?? max(", "cli:cli_tests.sh"),
    ("m87", "the run lock is never taken", "Sources/Experiments/Training/RunLock.swift",
     "guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {", "guard flock(fd, LOCK_SH | LOCK_NB) == 0 else {", "cli"),
    ("m88", "a full disk reported as bad input", "Sources/icl/Output/OutputErrorExit.swift",
     'case .cannotWrite, .cannotRename: return RunFailure("\\(flag): \\(error)")', "case .cannotWrite, .cannotRename: return InputError(flag, error)", "cli"),
    ("m89", "resume --steps one below the run's length accepted", "Sources/icl/Train.swift",
     "if let steps, steps < c.steps {", "if let steps, steps < c.steps - 1 {", "cli"),
    ("m90", "resume does not check --log-every", "Sources/icl/Train.swift",
     'if let every = run.logEvery { check("--log-every", logEvery, every) }', "if run.logEvery != nil {}", "cli"),
    ("m91", "--momentum accepted with adamw", "Sources/icl/Train.swift",
     "if momentum != nil && optimizer != .sgd {", "if momentum != nil && optimizer == .adam {", "cli:bad_inputs.py"),
    ("m92", "--weight-decay refused for the wrong optimiser", "Sources/icl/Train.swift",
     "if weightDecay != nil && optimizer == .adam {", "if weightDecay != nil && optimizer == .sgd {", "cli:bad_inputs.py"),
    ("m93", "a corrupt state.json leaks the decoder's error", "Sources/Training/Checkpoint.swift",
     'state.json is not a checkpoint state (\\(JSONStyle.describe(error)))', 'state.json is not a checkpoint state (\\(error))', "cli:bad_inputs.py"),
    ("m94", "a new run accepted into a directory of other files", "Sources/Experiments/Training/TrainRun.swift",
     "try DirectoryPublication.checkReplaceable(dir) { $0.isEmpty }", "try DirectoryPublication.checkReplaceable(dir) { _ in true }", "cli:bad_inputs.py"),
    # issue 19: the token clip (von Oswald A.12)
    ("m109", "no gradient mask through a clipped layer output", "Sources/Training/TaskPass.swift",
     "        maskClipped(delta, output: z(l + 1))\n", "", "swift:TokenClipTests"),
    ("m110", "no gradient mask through the clipped readout", "Sources/Training/LSAKernel.swift",
     "                        pass.maskClippedReadout(w.upstream, readout: w.readout)\n                        pass.backwardQuery(",
     "                        pass.backwardQuery(", "swift:TokenClipTests"),
    ("m111", "the readout not clipped", "Sources/Training/TaskPass.swift",
     "        if let c = clip { for k in 0..<dy { readout[k] = min(max(readout[k], -c), c) } }\n", "", "swift:TokenClipTests"),
    ("m112", "spectral GD factor without 1/N", "Sources/Training/SpectralSteps.swift",
     "(m, b) = (m * (1 - gamma * sigma), b * (1 - rate * sigma))", "(m, b) = (m * (1 - gamma * sigma), b * (1 - etas[k] * sigma))",
     "swift:SpectralStepsTests"),
    ("m113", "spectral forward-mode drops dsigma in dm", "Sources/Training/SpectralSteps.swift",
     "let dmNext = dm[p] * (1 - gamma * sigma) - m * gamma * dSigma", "let dmNext = dm[p] * (1 - gamma * sigma)",
     "swift:SpectralStepsTests"),
    ("m114", "clip detection skips the query token", "Sources/Training/SpectralSteps.swift",
     "                for t in 0..<T {\n                    for r in 0..<d {", "                for t in 0..<n {\n                    for r in 0..<d {",
     "swift:SpectralStepsTests"),
    ("m115", "fit objective: spectral tasks not weighted by their share", "Sources/Training/Baselines.swift",
     "        loss *= 1 - share\n", "", "swift:SpectralStepsTests"),
    ("m116", "Gauss-Newton matrix not divided by B d_y", "Sources/Training/SpectralSteps.swift",
     "        if let gaussNewton { for p in 0..<(P * P) { gaussNewton[p] *= scale } }\n", "", "swift:SpectralStepsTests"),
    ("m117", "Levenberg-Marquardt accepts every step", "Sources/Linalg/LevenbergMarquardt.swift",
     "let lower = next.value < current.value\n", "let lower = true\n", "swift:LevenbergMarquardtTests"),
    ("m118", "multi-start keeps the last start", "Sources/Training/Baselines.swift",
     "for fit in fits.dropFirst() where fit.loss < best.loss { best = fit }", "for fit in fits.dropFirst() { best = fit }",
     "swift:ReproductionReferenceTests"),
    ("m119", "multilayer fits GD on the test tasks", "Sources/Experiments/Training/MultilayerRun.swift",
     "let gd = Baselines.tune(plusPlus: false, layers: K, batch: validation,", "let gd = Baselines.tune(plusPlus: false, layers: K, batch: test,",
     "cli:options_effect.py"),
    ("m120", "median of the unsorted losses", "Sources/Training/LossStatistics.swift",
     "let sorted = losses.sorted()", "let sorted = losses", "swift:LossStatisticsTests"),
    ("m121", "paired verdict lower at +2 SE", "Sources/Training/LossStatistics.swift",
     "mean < -z * standardError ? .lower", "mean < z * standardError ? .lower", "swift:LossStatisticsTests"),
    ("m122", "summary setting loses the seed", "Sources/Experiments/Training/RunSetting.swift",
     "(self.seed, self.steps, self.batchSize) = (seed, steps, batchSize)", "(self.seed, self.steps, self.batchSize) = (0, steps, batchSize)",
     "cli:files_read_back.py"),
    ("m123", "weights metadata without the model's config", "Sources/Training/TrainableModel.swift",
     "if let line = try? JSONStyle.line(config) { metadata[\"model\"] = line }", "", "cli:files_read_back.py"),
    ("m124", "aggregate ignores the setting", "Sources/Experiments/SeedAggregate.swift",
     "guard case .object(var setting)? = object[\"setting\"] else { return object[\"steps\"] }",
     "guard case .object(var setting)? = object[\"nothing\"] else { return object[\"steps\"] }", "swift:TrainingRunTests"),
    ("m125", "multilayer GD++ evaluated without the clip", "Sources/Experiments/Training/MultilayerRun.swift",
     "let ppLosses = kernel.taskLosses(Baselines.gdPlusPlus(shape, etas: pp.best.etas, gammas: pp.best.gammas), test)",
     "let ppLosses = LSAKernel(shape: LSAShape(inputDimension: d, contextCount: n, layers: K)).taskLosses(Baselines.gdPlusPlus(LSAShape(inputDimension: d, contextCount: n, layers: K), etas: pp.best.etas, gammas: pp.best.gammas), test)",
     "cli:options_effect.py"),
    # issue 20: readers, layouts, icl validate
    ("m126", "F16 exponent bias 16 instead of 15", "Sources/Weights/ElementType.swift",
     "exponent: exponent - 15, significand: 1)", "exponent: exponent - 16, significand: 1)", "swift:TensorFileTests"),
    ("m127", "BF16 read as the low half of a binary32", "Sources/Weights/ElementType.swift",
     "out[i] = Double(Float(bitPattern: UInt32(bits) << 16))", "out[i] = Double(Float(bitPattern: UInt32(bits)))", "swift:TensorFileTests"),
    ("m128", "big-endian .npy read as little-endian", "Sources/Weights/NumPyArray.swift",
     "self.littleEndian = order != \">\"", "self.littleEndian = true", "swift:TensorFileTests"),
    ("m129", "Fortran order ignored", "Sources/Weights/NumPyArray.swift",
     "if header.fortranOrder && header.shape.count > 1 {", "if false && header.fortranOrder && header.shape.count > 1 {", "swift:TensorFileTests"),
    ("m130", "npz CRC-32 not compared", "Sources/Weights/NumPyArchive.swift",
     "content.count <= Int(UInt32.max), checksum == entry.checksum else {", "content.count <= Int(UInt32.max) else {", "swift:TensorFileTests"),
    ("m131", "safetensors gaps accepted", "Sources/Weights/SafeTensors.swift",
     "guard s.begin == covered else {", "guard s.begin >= covered else {", "swift:TensorFileTests"),
    ("m132", "Haiku preset not transposed", "Sources/Weights/WeightLayout.swift",
     "layers.append(try Self.split(query: q.transposed, key: key.transposed, value: v.transposed, projection: o.transposed,",
     "layers.append(try Self.split(query: q, key: key, value: v, projection: o,", "swift:ForeignModelTests"),
    ("m133", "heads split by columns of P taken from the first head only", "Sources/Weights/WeightLayout.swift",
     "projection: projection.block(rows: 0..<projection.rows, cols: (h * v)..<((h + 1) * v))), \"\\(label), head \\(h)\"))",
     "projection: projection.block(rows: 0..<projection.rows, cols: 0..<v)), \"\\(label), head \\(h)\"))", "swift:ForeignModelTests"),
    ("m134", "--transpose ignored", "Sources/Weights/WeightLayout.swift",
     "m.append(transpose ? x.transposed : x)", "m.append(x)", "swift:ForeignModelTests"),
    ("m135", "map placeholders matched with any text", "Sources/Weights/NamePattern.swift",
     "guard !digits.isEmpty, digits.count <= 9, let n = Int(digits) else { return nil }",
     "guard !digits.isEmpty, digits.count <= 9, let n = Int(digits) else { return (layer, head) }", "swift:NamePatternTests"),
    ("m136", "folding W_K^T W_Q as W_Q^T W_K", "Sources/Training/FoldedLSA+Factors.swift",
     "for k in 0..<head.key.rows { sm += head.key[k, i] * head.query[k, j] }", "for k in 0..<head.key.rows { sm += head.query[k, i] * head.key[k, j] }",
     "swift:ForeignModelTests"),
    ("m137", "validate's construction fitted on the test tasks", "Sources/Experiments/Validation/ValidateRun.swift",
     "let eta = Baselines.leastSquaresLearningRate(validation)", "let eta = Baselines.leastSquaresLearningRate(test)", "cli:validate.py"),
    ("m138", "requirement >= read as >", "Sources/Experiments/Validation/Requirement.swift",
     "case .atLeast: holds = lhs >= rhs", "case .atLeast: holds = lhs > rhs", "swift:RequirementTests"),
    ("m139", "requirement factor dropped", "Sources/Experiments/Validation/Requirement.swift",
     "let lhs = values[key]!, rhs = factor * (boundKey.map { values[$0]! } ?? 1)", "let lhs = values[key]!, rhs = boundKey.map { values[$0]! } ?? factor",
     "swift:RequirementTests"),
    ("m140", "failed requirements exit 0", "Sources/icl/Validate.swift",
     "if !failed.isEmpty {", "if failed.isEmpty && false {", "cli:validate.py"),
    ("m141", "JUnit failures not marked", "Sources/Experiments/Validation/JUnitReport.swift",
     "if let f = c.failure { lines.append(", "if let f = c.failure, f.isEmpty { lines.append(", "cli:validate.py"),
    ("m142", "verdict ignores the loss gap", "Sources/Experiments/Validation/ValidateRun.swift",
     "let matches = a.modelCos >= cosThreshold && gap <= lossTolerance", "let matches = a.modelCos >= cosThreshold", "swift:ValidateRunTests"),
    ("m145", "stored npz member's CRC-32 not compared", "Sources/Weights/NumPyArchive.swift",
     "guard checksum == entry.checksum else { throw .malformed(", "guard true else { throw .malformed(", "swift:TensorFileTests"),
    ("m143", "parent of /a taken as empty", "Sources/Experiments/PathText.swift",
     "if slash == p.startIndex { return \"/\" }", "if slash == p.startIndex { return \"\" }", "swift:ParentPathTests"),
    ("m144", "npz local header offsets not checked", "Sources/Weights/NumPyArchive.swift",
     "guard local + 30 <= bytes.count, signature(local, 3, 4) else {", "guard local + 30 <= bytes.count || true else {",
     "swift:TensorFileFuzzFixtureTests"),
    ("m146", "the metadata's N not checked", "Sources/Experiments/Validation/ValidateRun.swift",
     "guard (1...1_000_000).contains(saved.contextCount), saved.tokenClip", "guard (0...1_000_000).contains(saved.contextCount + 1), saved.tokenClip",
     "cli:bad_inputs.py"),
    ("m147", "factor sides not capped", "Sources/Weights/WeightLayout.swift",
     "guard t.shape.allSatisfy({ $0 <= LSAFactors.maxTokenDimension }) else {", "guard t.shape.allSatisfy({ $0 <= Int.max }) else {",
     "cli:bad_inputs.py"),
]

def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        return -1, "timeout"


CLI_SUITES = [["python3", "Tests/cli/bad_inputs.py"], ["bash", "Tests/cli/cli_tests.sh"], ["python3", "Tests/cli/seeds.py"],
              ["python3", "Tests/cli/options_effect.py"], ["python3", "Tests/cli/files_read_back.py"], ["python3", "Tests/cli/validate.py"]]


def cli_suites():
    """The exit codes of the command-line suites, stopping at the first failure."""
    for cmd in CLI_SUITES:
        code, _ = run(cmd + [ICL], 900)
        yield code
        if code != 0:
            return


def named_tests_fail(how):
    """Whether the tests named in a mutant's entry fail (a Swift filter, one CLI suite, or every CLI suite)."""
    if how == "cli":
        return any(code != 0 for code in cli_suites())
    if how.startswith("cli:"):
        suite = next(cmd for cmd in CLI_SUITES if cmd[-1].endswith("/" + how[4:]))
        return run(suite + [ICL], 900)[0] != 0
    code, _ = run(["swift", "test", "-c", "release", "--skip-build", "--filter", how.split(":", 1)[1]], 1800)
    return code != 0


def full_suite():
    """Every Swift test, then every command-line suite, stopping at the first failure."""
    code, _ = run(["swift", "test", "-c", "release", "--skip-build"], 3600)
    yield code
    if code == 0:
        yield from cli_suites()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--output", default=os.path.join(ROOT, "mutants.json"))
    parser.add_argument("--targeted", action="store_true", help="run only the tests each mutant names")
    opts = parser.parse_args()
    # The unmutated tree must build (product and tests): otherwise every mutant would look
    # "invalid" or "killed" for a reason that has nothing to do with it.
    code, out = run(BUILD, 3600)
    if code != 0:
        sys.exit(f"the unmutated tree does not build ({' '.join(BUILD)}):\n{out[-2000:]}")
    results = []
    for mid, what, path, old, new, how in MUTANTS:
        if opts.only and mid not in opts.only:
            continue
        full = os.path.join(ROOT, path)
        original = open(full).read()
        if original.count(old) != 1:
            results.append({"id": mid, "mistake": what, "file": path, "outcome": "not applied (text not found once)"})
            print(f"{mid}: text not found once in {path}", file=sys.stderr)
            continue
        start, by = time.time(), ""
        try:
            open(full, "w").write(original.replace(old, new))
            code, out = run(BUILD, 1800)
            if code != 0:
                outcome = "invalid (does not compile)"
            elif named_tests_fail(how):
                # The named tests are part of the full suite: their failure is the full suite's.
                outcome, by = "killed", "named tests"
            elif opts.targeted:
                outcome = "survived"
            else:
                outcome = "killed" if any(code != 0 for code in full_suite()) else "survived"
                by = "full suite"
        finally:
            open(full, "w").write(original)
        results.append({"id": mid, "mistake": what, "file": path, "tests": how, "outcome": outcome, "by": by,
                        "seconds": round(time.time() - start)})
        print(f"{mid} {outcome:9} {what} ({path})", file=sys.stderr, flush=True)
        with open(opts.output, "w") as f:
            json.dump(results, f, indent=1)
    killed = sum(r["outcome"] == "killed" for r in results)
    print("| id | mistake | file | tests | outcome |\n| --- | --- | --- | --- | --- |")
    for r in results:
        print(f"| {r['id']} | {r['mistake']} | `{r['file']}` | {r.get('tests', '')} | {r['outcome']} |")
    print(f"\nmutation score: {killed}/{len(results)} killed")
    run(["swift", "build", "-c", "release"], 1800)
    sys.exit(0 if killed == len(results) else 1)


if __name__ == "__main__":
    main()
