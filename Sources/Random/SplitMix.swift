/// SplitMix64's finalizer (Steele, Lea & Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014): a bijective mix of 64 bits,
///
///     z = x + 0x9E3779B97F4A7C15;  z = (z ^ z>>30) * 0xBF58476D1CE4E5B9;
///     z = (z ^ z>>27) * 0x94D049BB133111EB;  return z ^ z>>31.
///
/// Seeds of sub-streams are derived with it: `splitMix(splitMix(seed) ^ index)` differs for
/// every (seed, index) pair and spreads nearby seeds over all 64 bits.
public func splitMix(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
