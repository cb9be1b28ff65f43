import ArgumentParser
import Training

extension OptimizerConfig.Kind: ExpressibleByArgument {}
extension Parameterization: ExpressibleByArgument {}

/// `--input uniform|gaussian`.
enum InputKind: String, ExpressibleByArgument, CaseIterable { case uniform, gaussian }

/// `--schedule constant|cosine`.
enum ScheduleKind: String, ExpressibleByArgument, CaseIterable { case constant, cosine }
