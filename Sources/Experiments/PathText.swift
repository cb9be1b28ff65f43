/// `path` without its last component, as `NSString.deletingLastPathComponent` gives it
/// (`"a/b"` -> `"a"`, `"/a"` -> `"/"`, `"a"` -> `""`, trailing slashes ignored). Written out
/// because swift-corelibs-foundation 6.3's `deletingLastPathComponent` traps on a path of one
/// character (`"q"`, `"."`), which made `--out q` crash.
public func parentPath(_ path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/") else { return "" }
    if slash == p.startIndex { return "/" }
    var parent = p[..<slash]
    while parent.count > 1 && parent.hasSuffix("/") { parent = parent.dropLast() }
    return String(parent)
}
