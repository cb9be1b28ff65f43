import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Directories published as a unit: the files are written into a fresh temporary directory
/// `.NAME.tmp-PID` beside the destination, which then takes the destination's place in one
/// rename (or, when the destination exists, one atomic exchange of the two names, after which
/// the old contents are removed). A reader sees the old directory or the new one, never a mix.
public enum DirectoryPublication {
    /// Writes `files` into a new directory and publishes it as `path`. An existing `path` is
    /// replaced only when `mayReplace` accepts the names of its entries (a previous result of
    /// the same command); otherwise `OutputError.occupied` is thrown and nothing is written.
    public static func publish(_ path: String, files: [(name: String, bytes: Data)],
                               mayReplace: (Set<String>) -> Bool = { $0.isEmpty }) throws(OutputError) {
        try checkReplaceable(path, mayReplace: mayReplace)
        try Interruptions.critical { () throws(OutputError) in
            let staging = try stage(beside: path, files: files)
            try install(staging, as: path)
        }
    }

    /// Checks, before any work and without changing anything, that `publish` could put a
    /// directory at `path`: no file in the way (`.cannotCreateDirectory`), its nearest existing
    /// ancestor writable (`.cannotWrite`), and an existing `path` replaceable (`.occupied`).
    public static func checkPublishable(_ path: String, mayReplace: (Set<String>) -> Bool) throws(OutputError) {
        try checkReplaceable(path, mayReplace: mayReplace)
        var ancestor = parentPath(path)
        var isDirectory: ObjCBool = false
        while !ancestor.isEmpty && !FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
            ancestor = parentPath(ancestor)
        }
        if ancestor.isEmpty { ancestor = "."; isDirectory = true }
        guard isDirectory.boolValue else { throw .cannotCreateDirectory(parentPath(path)) }
        guard access(ancestor, W_OK | X_OK) == 0 else { throw .cannotWrite(path: ancestor, reason: String(cString: strerror(errno))) }
    }

    /// Throws `.occupied` when `path` exists and is not a directory `mayReplace` accepts.
    public static func checkReplaceable(_ path: String, mayReplace: (Set<String>) -> Bool) throws(OutputError) {
        if [".", "..", "/", ""].contains((path as NSString).lastPathComponent) {
            throw .occupied(path: path, reason: "name the directory to create, not '.', '..' or '/'")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw .occupied(path: path, reason: "it is a file") }
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
        guard mayReplace(names) else {
            let foreign = names.sorted().prefix(3).joined(separator: ", ")
            throw .occupied(path: path, reason: "it holds files this command did not write (\(foreign)); choose a new or empty directory")
        }
    }

    /// A fresh directory `.NAME.tmp-PID` beside `path` holding `files` (registered with
    /// `TemporaryFiles`, so an interrupt removes it). Call it and `install` inside one
    /// `Interruptions.critical`, so that an interrupt does not remove it while it is written.
    public static func stage(beside path: String, files: [(name: String, bytes: Data)]) throws(OutputError) -> String {
        let parent = parentPath(path)
        let name = (path as NSString).lastPathComponent
        let parentPath = parent.isEmpty ? "." : parent
        try makeParent(parentPath)
        TemporaryFiles.removeStale(in: parentPath)
        let staging = (parentPath as NSString).appendingPathComponent(".\(name).tmp-\(getpid())")
        TemporaryFiles.register(staging)
        removeTree(staging)
        guard mkdir(staging, 0o755) == 0 else {
            let reason = String(cString: strerror(errno))
            TemporaryFiles.forget(staging)
            throw .cannotWrite(path: staging, reason: reason)
        }
        for file in files {
            do { try writeFile((staging as NSString).appendingPathComponent(file.name), file.bytes) } catch {
                discard(staging)
                throw error
            }
        }
        return staging
    }

    /// Puts the directory `staging` in the place of `path` in one step, signals deferred
    /// meanwhile (`Interruptions.critical`); the old directory, if any, is removed afterwards.
    public static func install(_ staging: String, as path: String) throws(OutputError) {
        // After an exchange the old contents are at `staging` (still registered, so an
        // interrupt removes them); after a plain rename nothing is left there.
        let (status, reason): (Int32, String) = Interruptions.critical {
            var status = exchange(staging, path)
            if status != 0 && errno == ENOENT {
                status = rename(staging, path)
                if status == 0 { TemporaryFiles.forget(staging) }
            } else if status != 0 && (errno == EINVAL || errno == ENOSYS) {
                // No atomic exchange on this system or file system: the old directory steps aside first.
                let aside = staging + "-old"
                status = rename(path, aside)
                if status == 0 {
                    status = rename(staging, path)
                    if status == 0 { removeTree(aside); TemporaryFiles.forget(staging) } else { _ = rename(aside, path) }
                }
            }
            return (status, status == 0 ? "" : String(cString: strerror(errno)))
        }
        guard status == 0 else {
            discard(staging)
            throw .cannotWrite(path: path, reason: reason)
        }
        discard(staging)
    }

    /// Removes a staged directory and forgets it.
    public static func discard(_ staging: String) {
        removeTree(staging)
        TemporaryFiles.forget(staging)
    }

    /// Writes `bytes` to a new file at `path`, every error with the OS's reason.
    public static func writeFile(_ path: String, _ bytes: Data) throws(OutputError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        var failure: Int32 = 0
        bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; failure = errno; return }
                offset += n
            }
        }
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure != 0 { throw .cannotWrite(path: path, reason: String(cString: strerror(failure))) }
    }

    static func makeParent(_ parent: String) throws(OutputError) {
        do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
            throw .cannotCreateDirectory(parent)
        }
    }

    static func removeTree(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    /// Swaps the names `a` and `b` atomically (Linux `renameat2(RENAME_EXCHANGE)`, macOS
    /// `renamex_np(RENAME_SWAP)`); -1 with `errno` EINVAL or ENOSYS where that is not available.
    static func exchange(_ a: String, _ b: String) -> Int32 {
        #if canImport(Darwin)
        return renamex_np(a, b, UInt32(RENAME_SWAP))
        #else
        guard let function = renameat2 else { errno = ENOSYS; return -1 }
        return function(AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */)
        #endif
    }

    #if !canImport(Darwin)
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    /// glibc's `renameat2` (2.28 and later), looked up at run time: Swift's Glibc module does not export it.
    nonisolated(unsafe) private static let renameat2: RenameAt2? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2")
        .map { unsafeBitCast($0, to: RenameAt2.self) }
    #endif
}

/// Where an interrupt (SIGINT, SIGTERM) may stop the process: anywhere but inside a critical
/// section (writing and publishing a result). A signal arriving inside one is held, and the
/// section's end stops the process; once a stop has begun, a thread entering a section waits
/// for the exit. So the handler's removal of temporaries never races a write or a rename.
public enum Interruptions {
    private struct State { var depth = 0; var pending: Int32?; var stopping = false }
    private static let state = Mutex(State())
    nonisolated(unsafe) private static var stop: (@Sendable (Int32) -> Void)?

    /// Sets what a signal does once it may act (remove temporaries, say so, exit).
    public static func install(stop: @escaping @Sendable (Int32) -> Void) { Self.stop = stop }

    /// Called by the signal handler: acts now, or holds the signal for the end of the section.
    public static func deliver(_ signal: Int32) {
        let now = state.withLock { s -> Bool in
            if s.depth > 0 { s.pending = s.pending ?? signal; return false }
            s.stopping = true
            return true
        }
        if now { stopNow(signal) }
    }

    /// Runs the stop (which normally exits); should it return, sections may be entered again.
    private static func stopNow(_ signal: Int32) {
        stop?(signal)
        state.withLock { $0.stopping = false }
    }

    /// Runs `body` with interrupts held until it returns.
    public static func critical<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        // While a stop is in progress (it ends the process), a new section waits.
        while !state.withLock({ s -> Bool in
            if !s.stopping { s.depth += 1 }
            return !s.stopping
        }) { usleep(1000) }
        defer {
            let pending = state.withLock { s -> Int32? in
                s.depth -= 1
                guard s.depth == 0, let p = s.pending else { return nil }
                s.pending = nil
                s.stopping = true
                return p
            }
            if let pending { stopNow(pending) }
        }
        return try body()
    }
}
