import Experiments
import Foundation

/// The result could not be written to standard output (a full disk, `/dev/full`, a closed
/// pipe): exit code 1 with the reason, never a silent success.
struct OutputFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { "cannot write the result to standard output: \(reason)" }
}

/// Writes `text` and a newline to standard output (file descriptor 1, unbuffered), checking
/// every `write`: partial writes continue, an interrupted one is retried, any other failure
/// throws.
func writeStandardOutput(_ text: String) throws {
    let bytes = Array((text + "\n").utf8)
    var offset = 0
    try bytes.withUnsafeBytes { buffer in
        while offset < buffer.count {
            let written = write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw OutputFailure(reason: String(cString: strerror(errno)))
            }
            offset += written
        }
    }
}

/// Writes one line to standard error.
func writeToStandardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Prints a result as the project's JSON (sorted keys) or as text.
func emit(_ value: some Encodable, json: Bool, text: @autoclosure () -> String) throws {
    try writeStandardOutput(json ? try jsonText(value) : text())
}

/// Signals that stop a run cleanly: the temporary files of an atomic write are removed, a
/// line says what happened, and the exit code is 128 + the signal (130 for Ctrl-C, 143 for
/// SIGTERM), as a shell expects. A closed pipe on standard output becomes a write error
/// (exit 1) instead of killing the process silently.
enum Interrupts {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    static func install() {
        signal(SIGPIPE, SIG_IGN)
        // The stop waits for a rename in progress (`Interruptions.critical`) to finish.
        Interruptions.install { number in
            TemporaryFiles.removeAll()
            writeToStandardError("\n\(number == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)"): stopped; no partial output was left")
            _exit(128 + number)
        }
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global(qos: .userInteractive))
            source.setEventHandler { Interruptions.deliver(number) }
            source.resume()
            sources.append(source)
        }
    }
}
