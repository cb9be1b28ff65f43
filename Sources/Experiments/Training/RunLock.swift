import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The exclusive lock of a run directory: `flock(LOCK_EX | LOCK_NB)` on `DIR/.lock`, which
/// holds the holder's process id. The kernel releases it when the process ends, however it
/// ends, so a killed run never leaves a stale lock; a second writer is refused with the pid.
final class RunLock {
    static let fileName = ".lock"
    private let descriptor: Int32

    /// Takes the lock of `directory` (which must exist), or throws naming the holder.
    init(directory: String) throws(TrainRunError) {
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw TrainRunError("cannot open the lock file '\(path)': \(String(cString: strerror(errno)))", cause: .output)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            defer { close(fd) }
            guard reason == EWOULDBLOCK else {
                throw TrainRunError("cannot lock '\(path)': \(String(cString: strerror(reason)))", cause: .output)
            }
            throw Self.busy(directory: directory, lockPath: path, fd: fd)
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, text, text.count, 0)
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Throws `.busy` naming the holder when another process holds the lock of `directory`;
    /// creates no file.
    static func checkFree(_ directory: String) throws(TrainRunError) {
        let path = (directory as NSString).appendingPathComponent(fileName)
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) != 0, errno == EWOULDBLOCK else { return }
        throw busy(directory: directory, lockPath: path, fd: fd)
    }

    private static func busy(directory: String, lockPath: String, fd: Int32) -> TrainRunError {
        var holder = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &holder, 31, 0)
        let pid = n > 0 ? String(decoding: holder[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
        return TrainRunError("'\(directory)' is in use by another run (process \(pid) holds the lock \(lockPath))", cause: .busy)
    }
}
