import Experiments
import Foundation

/// Shows training progress on stderr: a bar rewritten in place (at most 10 times a second) when
/// stderr is a terminal, else a plain line every 10% of the run.
final class ProgressPrinter {
    let tty = isatty(2) != 0
    var lastDraw = Date.distantPast
    var lastDecile = -1
    var label = ""

    /// Shows `p`, prefixed by `label` (a new label starts a new run of lines).
    func show(_ p: TrainingProgress, label: String) {
        if label != self.label { self.label = label; lastDecile = -1 }
        show(p)
    }

    func show(_ p: TrainingProgress) {
        if tty {
            let now = Date()
            guard now.timeIntervalSince(lastDraw) >= 0.1 || p.step == p.totalSteps else { return }
            lastDraw = now
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + label + p.line(barWidth: 24)).utf8))
            if p.step == p.totalSteps { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            let decile = p.totalSteps > 0 ? 10 * p.step / p.totalSteps : 10
            guard decile > lastDecile else { return }
            lastDecile = decile
            writeToStandardError(label + p.line())
        }
    }
}
