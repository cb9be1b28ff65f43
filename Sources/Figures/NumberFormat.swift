import Foundation

/// `x` with `significant` significant digits: fixed notation for 1e-4 <= |x| < 1e6, else
/// `d.ddde±x` (for SVG labels and tables). Trailing zeros are dropped; subnormals and the
/// largest doubles format like any other number.
public func formatNumber(_ x: Double, significant: Int = 4) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    if x == 0 { return "0" }
    let sign = x < 0 ? "-" : ""
    // C's correctly rounded "%.{n}e" gives the digits and the exponent, subnormals included
    // (scaling by 10^-e would overflow for |x| < 1e-308).
    let significant = min(max(significant, 1), 17)
    let scientific = String(format: "%.\(significant - 1)e", abs(x))
    let parts = scientific.split(separator: "e")
    let e = Int(parts[1])!
    var s = parts[0].filter { $0 != "." }
    if e >= -4 && e < 6 {
        // Place the decimal point.
        let pointPosition = e + 1
        if pointPosition <= 0 {
            s = "0." + String(repeating: "0", count: -pointPosition) + s
        } else if pointPosition < s.count {
            s.insert(".", at: s.index(s.startIndex, offsetBy: pointPosition))
        } else {
            s += String(repeating: "0", count: pointPosition - s.count)
        }
        if s.contains(".") { while s.hasSuffix("0") { s.removeLast() }; if s.hasSuffix(".") { s.removeLast() } }
        return sign + s
    }
    var mantissa = s
    if mantissa.count > 1 {
        mantissa.insert(".", at: mantissa.index(after: mantissa.startIndex))
        while mantissa.hasSuffix("0") { mantissa.removeLast() }
        if mantissa.hasSuffix(".") { mantissa.removeLast() }
    }
    return sign + mantissa + "e" + (e < 0 ? "-" : "") + String(abs(e))
}

/// Up to about `target` "nice" tick values (1, 2, 5 times a power of ten) covering [lo, hi].
public func niceTicks(_ lo: Double, _ hi: Double, target: Int = 6) -> [Double] {
    guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
    let raw = (hi - lo) / Double(max(target, 1))
    let p = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * p }.first { $0 >= raw } ?? 10 * p
    var ticks: [Double] = []
    var t = (lo / step).rounded(.up) * step
    while t <= hi + step * 1e-9 {
        ticks.append(abs(t) < step * 1e-9 ? 0 : t)
        t += step
    }
    return ticks
}

/// A duration for a person, the project's one format: `12.3 s`, `4 min 05 s`, `2 h 03 min`,
/// `3.5 days`, `1.2e+03 years`; `?` when not finite.
public func formatDuration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    if seconds < 60 { return String(format: "%.1f s", seconds) }
    if seconds < 86400 {
        let s = Int(seconds.rounded())
        if s < 3600 { return String(format: "%d min %02d s", s / 60, s % 60) }
        return String(format: "%d h %02d min", s / 3600, (s % 3600) / 60)
    }
    if seconds < 86400 * 365 { return String(format: "%.3g days", seconds / 86400) }
    return String(format: "%.3g years", seconds / (86400 * 365))
}
