import Experiments
import Figures
import Foundation
import Synchronization

/// The one progress display of long work, on standard error: nothing for the first second
/// (short runs stay quiet), then on a terminal one line redrawn at most ten times a second,
/// `label [#######.......] 45% 4500/10000 items, 3.1 s, ETA 3.8 s, detail`, and when standard
/// error is not a terminal a plain line at every 10%. Durations in `formatDuration`'s format;
/// the ETA assumes the rate so far. `update` may be called from any thread.
final class ProgressBar: Sendable {
    private struct State {
        var done = 0
        var lastDraw = 0.0
        var lastDecile = 0
        var shown = false
        var detail: String?
    }

    let label: String
    let unit: String
    private let fixedTotal: Int
    private let start = Date()
    private let tty = isatty(2) != 0
    private let state = Mutex(State())

    init(_ label: String, total: Int, unit: String) {
        (self.label, self.fixedTotal, self.unit) = (label, max(total, 1), unit)
    }

    /// `done` items of the bar's total are finished (monotone; smaller values are ignored).
    func update(done: Int) { update(done: done, of: fixedTotal) }

    /// `done` of `total` items are finished; `detail` (e.g. the loss) ends the line.
    func update(done: Int, of total: Int, detail: String? = nil) {
        let total = max(total, 1)
        let elapsed = Date().timeIntervalSince(start)
        let line: String? = state.withLock { s in
            guard done > s.done || done == total else { return nil }
            s.done = done
            s.detail = detail
            guard elapsed >= 1 else { return nil }
            if tty {
                guard elapsed - s.lastDraw >= 0.1 || done == total else { return nil }
                s.lastDraw = elapsed
            } else {
                let decile = done * 10 / total
                guard decile > s.lastDecile else { return nil }
                s.lastDecile = decile
            }
            s.shown = true
            return render(done: done, total: total, elapsed: elapsed, detail: detail)
        }
        if let line { write(line) }
    }

    /// Ends the line on a terminal (if anything was shown).
    func finish() {
        let shown = state.withLock { $0.shown }
        if shown && tty { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func render(done: Int, total: Int, elapsed: Double, detail: String?) -> String {
        let fraction = Double(done) / Double(total)
        let width = 24
        let filled = min(width, Int(fraction * Double(width)))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let eta = done > 0 ? elapsed * Double(total - done) / Double(done) : .infinity
        return "\(label) [\(bar)] \(Int(fraction * 100))% \(done)/\(total) \(unit), \(formatDuration(elapsed)), ETA \(formatDuration(eta))"
            + (detail.map { ", " + $0 } ?? "")
    }

    private func write(_ line: String) {
        FileHandle.standardError.write(Data((tty ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }
}

/// Shows a sequence of `ProgressEvent`s: one `ProgressBar` per label, a new label finishing
/// the previous bar. For work that reports through `Experiments`' progress callbacks.
final class ProgressDisplay: @unchecked Sendable {
    private var bar: ProgressBar?
    private var label: String?
    private let lock = NSLock()

    func show(_ event: ProgressEvent) {
        lock.lock(); defer { lock.unlock() }
        if event.label != label {
            bar?.finish()
            bar = ProgressBar(event.label, total: event.total, unit: event.unit)
            label = event.label
        }
        bar?.update(done: event.done, of: event.total, detail: event.detail)
    }

    /// Ends the last line.
    func finish() {
        lock.lock(); defer { lock.unlock() }
        bar?.finish()
        bar = nil
        label = nil
    }
}
