import Figures
/// Where long work is, for a progress display (the CLI's `ProgressBar`): `done` of `total`
/// units of the work named `label`, with an optional detail (e.g. the current loss). A new
/// label starts a new line of progress.
public struct ProgressEvent: Sendable, Equatable {
    public var label: String
    public var done: Int
    public var total: Int
    /// What is counted, plural: "steps", "rows", "instances".
    public var unit: String
    public var detail: String?

    public init(label: String, done: Int, total: Int, unit: String, detail: String? = nil) {
        (self.label, self.done, self.total, self.unit, self.detail) = (label, done, total, unit, detail)
    }

    /// A training step's progress: `detail` is the step's loss.
    static func training(_ label: String, step: Int, of steps: Int, loss: Double) -> ProgressEvent {
        ProgressEvent(label: label, done: step, total: steps, unit: "steps", detail: "loss \(formatNumber(loss, significant: 5))")
    }
}
