import Foundation
import Synchronization

/// A result could not be written.
public enum OutputError: Error, Equatable, CustomStringConvertible {
    /// The directory does not exist and cannot be made (a part of the path is a file, or permission is denied).
    case cannotCreateDirectory(String)
    /// A file could not be written (disk full, permission denied): its path and the OS's
    /// reason; nothing was changed.
    case cannotWrite(path: String, reason: String)
    /// The output directory exists and may not be replaced (a file, or a directory of other files).
    case occupied(path: String, reason: String)
    /// The finished file could not be moved to its name.
    case cannotRename(from: String, to: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotCreateDirectory(path):
            return "cannot create the output directory '\(path)': a part of the path is a file, or permission is denied"
        case let .cannotWrite(path, reason):
            return "cannot write '\(path)': \(reason)"
        case let .occupied(path, reason):
            return "'\(path)' cannot be replaced: \(reason)"
        case let .cannotRename(from, to, reason):
            return "cannot rename \(from) to \(to): \(reason)"
        }
    }
}

/// Writes every file or none: all contents are computed before this is called; each file is
/// written to a temporary file `.NAME.tmp-PID` in the same directory and then renamed over
/// its name, so a reader never sees a half-written file; when a later rename fails, the files
/// already renamed are put back as they were (a set such as trajectory.csv, flow.svg and
/// summary.json is replaced whole or not at all). The one place where the project writes
/// results.
///
/// Temporary files are registered with `TemporaryFiles` while they exist, so an interrupt
/// (SIGINT, SIGTERM) removes them; those left by a run that was killed outright (its PID no
/// longer alive) are removed by the next write into the same directory.
public func writeAtomically(directory: String, files: [(name: String, contents: String)]) throws(OutputError) {
    try writeAtomically(directory: directory, data: files.map { ($0.name, Data($0.contents.utf8)) })
}

/// `writeAtomically(directory:files:)` for files of bytes (e.g. safetensors weights).
public func writeAtomically(directory: String, data files: [(name: String, bytes: Data)]) throws(OutputError) {
    // Interrupts wait for the write to end (`Interruptions.critical`): a handler removing a
    // temporary file mid-write or mid-rename would turn an interrupt into a write error.
    try Interruptions.critical { () throws(OutputError) in try writeFilesAtomically(directory: directory, files: files) }
}

private func writeFilesAtomically(directory: String, files: [(name: String, bytes: Data)]) throws(OutputError) {
    let fm = FileManager.default
    do {
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
        throw .cannotCreateDirectory(directory)
    }
    TemporaryFiles.removeStale(in: directory)
    var temporaries: [(String, String)] = []
    func removeTemporaries() {
        for (temporary, _) in temporaries {
            try? fm.removeItem(atPath: temporary)
            TemporaryFiles.forget(temporary)
        }
    }
    for file in files {
        let final = (directory as NSString).appendingPathComponent(file.name)
        let temporary = (directory as NSString).appendingPathComponent(".\(file.name).tmp-\(getpid())")
        TemporaryFiles.register(temporary)
        temporaries.append((temporary, final))
        do {
            try DirectoryPublication.writeFile(temporary, file.bytes)
        } catch {
            removeTemporaries()
            throw error
        }
    }
    // Publish as a set: the file each rename replaces is kept as `.NAME.old.tmp-PID` (a hard
    // link, else a copy) until every rename has succeeded, so a failed rename puts back the
    // files already replaced and removes those that did not exist: all of the set or none.
    var backups: [String?] = []
    func removeBackups() { for case let backup? in backups { unlink(backup) } }
    for (_, final) in temporaries {
        // Only a regular file is kept: over anything else (a directory) the rename fails.
        var info = stat()
        guard lstat(final, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { backups.append(nil); continue }
        let backup = (directory as NSString).appendingPathComponent(".\((final as NSString).lastPathComponent).old.tmp-\(getpid())")
        unlink(backup)
        if link(final, backup) != 0 {
            do { try fm.copyItem(atPath: final, toPath: backup) } catch {
                removeBackups()
                removeTemporaries()
                throw .cannotWrite(path: backup, reason: "cannot keep a copy of the file it replaces (\(error.localizedDescription))")
            }
        }
        backups.append(backup)
    }
    for (k, (temporary, final)) in temporaries.enumerated() {
        guard rename(temporary, final) == 0 else {
            let reason = String(cString: strerror(errno))
            for j in 0..<k {
                let published = temporaries[j].1
                if let backup = backups[j] { rename(backup, published) } else { unlink(published) }
            }
            removeBackups()
            removeTemporaries()
            throw .cannotRename(from: temporary, to: final, reason: reason)
        }
    }
    for (temporary, _) in temporaries { TemporaryFiles.forget(temporary) }
    removeBackups()
}

/// The temporary files of `writeAtomically` that exist right now, so that an interrupt
/// handler can remove them before the process exits.
public enum TemporaryFiles {
    private static let paths = Mutex<Set<String>>([])

    static func register(_ path: String) { paths.withLock { _ = $0.insert(path) } }
    static func forget(_ path: String) { paths.withLock { _ = $0.remove(path) } }

    /// Removes every registered temporary file or staged directory (from the signal
    /// handler's dispatch queue).
    public static func removeAll() {
        for path in paths.withLock({ $0 }) where unlink(path) != 0 { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Removes `.NAME.tmp-PID` files in `directory` whose process no longer exists.
    static func removeStale(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(".") {
            guard let range = name.range(of: ".tmp-", options: .backwards), let pid = Int32(name[range.upperBound...]),
                  pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            if unlink(path) != 0 { try? FileManager.default.removeItem(atPath: path) }
        }
    }
}
