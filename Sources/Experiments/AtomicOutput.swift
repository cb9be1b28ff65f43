import Foundation

/// A result could not be written.
public enum OutputError: Error, Equatable, CustomStringConvertible {
    /// The directory does not exist and cannot be made (a part of the path is a file, or permission is denied).
    case cannotCreateDirectory(String)
    /// A file could not be written (disk full, permission denied); nothing was changed.
    case cannotWrite(directory: String)
    /// The finished file could not be moved to its name.
    case cannotRename(from: String, to: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotCreateDirectory(path):
            return "cannot create the output directory '\(path)': a part of the path is a file, or permission is denied"
        case let .cannotWrite(directory):
            return "cannot write to '\(directory)' (disk full or permission denied?); no output file was changed"
        case let .cannotRename(from, to, reason):
            return "cannot rename \(from) to \(to): \(reason)"
        }
    }
}

/// Writes every file or none: all contents are computed before this is called; each file is
/// written to a temporary file in the same directory and then renamed over its name, so a
/// reader never sees a half-written file. The one place where the project writes results.
public func writeAtomically(directory: String, files: [(name: String, contents: String)]) throws(OutputError) {
    try writeAtomically(directory: directory, data: files.map { ($0.name, Data($0.contents.utf8)) })
}

/// `writeAtomically(directory:files:)` for files of bytes (e.g. safetensors weights).
public func writeAtomically(directory: String, data files: [(name: String, bytes: Data)]) throws(OutputError) {
    let fm = FileManager.default
    do {
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
        throw .cannotCreateDirectory(directory)
    }
    var temporaries: [(String, String)] = []
    func removeTemporaries() { for (temporary, _) in temporaries { try? fm.removeItem(atPath: temporary) } }
    for file in files {
        let final = (directory as NSString).appendingPathComponent(file.name)
        let temporary = (directory as NSString).appendingPathComponent(".\(file.name).tmp-\(getpid())")
        do {
            try file.bytes.write(to: URL(fileURLWithPath: temporary))
        } catch {
            try? fm.removeItem(atPath: temporary)
            removeTemporaries()
            throw .cannotWrite(directory: directory)
        }
        temporaries.append((temporary, final))
    }
    for (temporary, final) in temporaries {
        guard rename(temporary, final) == 0 else {
            let reason = String(cString: strerror(errno))
            removeTemporaries()
            throw .cannotRename(from: temporary, to: final, reason: reason)
        }
    }
}
