import Experiments
import Foundation
import Synchronization
import Testing

/// A directory is published whole: a previous result is replaced in one step, a directory of
/// other files is refused unchanged, and an interrupt waits for a rename in progress.
@Suite struct DirectoryPublicationTests {
    @Test func publishReplacesAPreviousResultWhole() throws {
        let root = NSTemporaryDirectory() + "icl-publish-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/out"
        try DirectoryPublication.publish(dir, files: [("a", Data("1".utf8)), ("b", Data("2".utf8))])
        try DirectoryPublication.publish(dir, files: [("a", Data("3".utf8))]) { $0.isSubset(of: ["a", "b"]) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a"])
        #expect(try String(contentsOfFile: dir + "/a", encoding: .utf8) == "3")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["out"], "a staging directory was left")
    }

    @Test func directoryOfOtherFilesIsRefusedUnchanged() throws {
        let root = NSTemporaryDirectory() + "icl-publish-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/out"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "mine".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(throws: OutputError.self) {
            try DirectoryPublication.publish(dir, files: [("a", Data("1".utf8))]) { $0.isSubset(of: ["a"]) }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["notes.txt"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["out"])
    }

    @Test func anInterruptWaitsForTheCriticalSection() {
        let stopped = Mutex<[Int32]>([])
        Interruptions.install { signal in stopped.withLock { $0.append(signal) } }
        let seenInside: [Int32] = Interruptions.critical {
            Interruptions.deliver(SIGTERM)
            return stopped.withLock { $0 }
        }
        #expect(seenInside.isEmpty, "the stop ran inside the critical section")
        #expect(stopped.withLock { $0 } == [SIGTERM])
        Interruptions.deliver(SIGINT)
        #expect(stopped.withLock { $0 } == [SIGTERM, SIGINT])
    }
}

/// `parentPath`: the path without its last component, for one-character names too (where
/// Foundation's `deletingLastPathComponent` traps).
@Suite struct ParentPathTests {
    @Test func parents() {
        let cases = ["a/b": "a", "/a": "/", "a": "", "q": "", ".": "", "/": "/", "a/b/": "a", "a//b": "a", "/a/b/c": "/a/b", "ab": "", "x/y/z.json": "x/y"]
        for (path, parent) in cases { #expect(parentPath(path) == parent, "\(path)") }
    }
}
