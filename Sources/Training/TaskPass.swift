import Linalg

/// One task's forward and backward pass through a folded LSA stack, on memory owned by a
/// `TaskWorkspace`. Tokens are rows of `Dp` numbers (`D` padded with zeros; padding is exact:
/// zero token entries and zero weight rows and columns change no sum).
///
/// Layer `l < K - 1` (every token is needed by the next layer), in folded form:
///
///     G = E_ctx E_ctx^T,   R_h = V_h G,   A = sum_h R_h M_h,   Z' = Z + A Z
///
/// (tokens as rows: `Z' = Z + Z A^T`). Its backward pass, from `Delta = dL/dZ'`:
///
///     dA = Delta^T Z,  dZ = Delta + Delta A,  E_h = dA M_h^T,  dV_h += E_h G,
///     dM_h += R_h^T dA,  dG = sum_h V_h^T E_h,  dE_ctx += E_ctx (dG + dG^T).
///
/// A forward-only pass may take the attention form instead (`forwardAllTokensAttention`,
/// `LSAAssociation`): per head `P = Z M_h^T`, `S = P E_ctx^T`, `W = S E_ctx`, `Z' = Z + W V_h^T`.
///
/// The last layer is read only at the query's y-rows, so it is evaluated for the query alone,
/// in attention form: `u_h = M_h z_q`, `t_h = E_ctx^T u_h`, `w_h = E_ctx t_h`,
/// `out = z_q + sum_h V_h w_h`, and backward from `g = dL/dout` (y-rows only):
/// `a_h = V_h^T g`, `p_h = E_ctx^T a_h`, `q_h = E_ctx p_h`, `dV_h += g w_h^T`, `dM_h += q_h z_q^T`,
/// `dz_q += g + M_h^T q_h`, `dz_i += p_{h,i} u_h + t_{h,i} a_h` for the keys `i`.
///
/// With a token clip `c` every layer's output entries (the query's readout included) become
/// `clamp(z, -c, c)`, and the backward pass zeroes the gradient of every clipped entry
/// (`d clamp(z)/dz = 1{|z| < c}`, read from the stored output: a clipped entry is `+-c`).
struct TaskPass<Products: TaskProducts> {
    let D: Int, Dp: Int, d: Int, dy: Int
    /// Tokens per task `N + 1`; the query is row `N`.
    let T: Int, N: Int
    /// Keys (and values) per task: `N`, or `N + 1` with the query.
    let keys: Int
    let K: Int, H: Int
    /// Token entries are clipped to `[-clip, clip]` after every layer (`nil`: never).
    let clip: Double?
    /// Padded `M`, `M^T`, `V`, `V^T`, `K x H x Dp x Dp`.
    let m: UnsafePointer<Double>, mt: UnsafePointer<Double>, v: UnsafePointer<Double>, vt: UnsafePointer<Double>
    let w: TaskWorkspace

    var dp2: Int { Dp * Dp }
    @inline(__always) func z(_ layer: Int) -> UnsafeMutablePointer<Double> { w.z + layer * T * Dp }
    @inline(__always) func mat(_ p: UnsafePointer<Double>, _ layer: Int, _ head: Int) -> UnsafePointer<Double> { p + (layer * H + head) * dp2 }

    @inline(__always)
    func product(_ a: UnsafePointer<Double>, transposeA: Bool = false, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
                 m: Int, k: Int, accumulate: Bool) {
        Products.product(a, lda: Dp, transposeA: transposeA, b, ldb: Dp, c, ldc: Dp, m: m, n: Dp, k: k, accumulate: accumulate)
    }

    /// Copies task tokens (`T x D`, unpadded) into layer 0's input.
    func load(_ tokens: UnsafePointer<Double>) {
        let z0 = z(0)
        for t in 0..<T {
            for c in 0..<D { z0[t * Dp + c] = tokens[t * D + c] }
            for c in D..<Dp { z0[t * Dp + c] = 0 }
        }
    }

    /// Layer `l` on every token: `z(l) -> z(l + 1)`, keeping `G`, `R_h`, `A` for the backward pass.
    /// A forward-only pass may form `G` by `Products.gram` (`dsyrk` for `dgemm` sizes: the same
    /// sums, rounded in another order); the training passes keep one `product`.
    func forwardAllTokens(_ l: Int, symmetricGram: Bool = false) {
        let zl = z(l), next = z(l + 1)
        let g = w.g + l * dp2, a = w.a + l * dp2, at = w.at + l * dp2
        if symmetricGram { Products.gram(zl, lda: Dp, g, ldc: Dp, n: Dp, k: keys) }
        else { product(zl, transposeA: true, zl, g, m: Dp, k: keys, accumulate: false) }
        for h in 0..<H {
            let r = w.r + (l * H + h) * dp2
            product(mat(v, l, h), g, r, m: Dp, k: Dp, accumulate: false)
            product(r, mat(m, l, h), a, m: Dp, k: Dp, accumulate: h > 0)
        }
        for i in 0..<Dp { for j in 0..<Dp { at[j * Dp + i] = a[i * Dp + j] } }
        next.update(from: zl, count: T * Dp)
        product(zl, at, next, m: T, k: Dp, accumulate: true)
        clipTokens(next)
    }

    /// `z <- clamp(z, -c, c)` on the `T x D` entries of one layer's output.
    @inline(__always)
    func clipTokens(_ z: UnsafeMutablePointer<Double>) {
        guard let c = clip else { return }
        for t in 0..<T { for col in 0..<D { z[t * Dp + col] = min(max(z[t * Dp + col], -c), c) } }
    }

    /// `delta <- delta * 1{|z| < c}`: the gradient through the clip of the layer output `z`.
    @inline(__always)
    func maskClipped(_ delta: UnsafeMutablePointer<Double>, output z: UnsafePointer<Double>) {
        guard let c = clip else { return }
        for t in 0..<T { for col in 0..<D where abs(z[t * Dp + col]) >= c { delta[t * Dp + col] = 0 } }
    }

    /// `g_k <- g_k * 1{|readout_k| < c}`: the gradient at the query's readout through its clip.
    @inline(__always)
    func maskClippedReadout(_ g: UnsafeMutablePointer<Double>, readout: UnsafePointer<Double>) {
        guard let c = clip else { return }
        for k in 0..<dy where abs(readout[k]) >= c { g[k] = 0 }
    }

    /// Layer `l` on every token in attention form, `z(l) -> z(l + 1)`, tokens as rows: with
    /// `E_ctx^T` (`Dp x keysP`, zero columns past the keys), per head
    ///
    ///     P = Z M_h^T  (rows M_h z_j),   S = P E_ctx^T  (s_ji = e_i . M_h z_j),
    ///     W = S E_ctx  (rows sum_i s_ji e_i),   Z' += W V_h^T,
    ///
    /// starting from `Z' = Z`. Keeps nothing for a backward pass.
    func forwardAllTokensAttention(_ l: Int) {
        let zl = z(l), next = z(l + 1), scratch = w.attention
        let keysP = scratch.paddedKeys, et = scratch.contextTransposed
        let p = scratch.queries, s = scratch.scores, values = scratch.values
        for c in 0..<Dp {
            for i in 0..<keys { et[c * keysP + i] = zl[i * Dp + c] }
            for i in keys..<keysP { et[c * keysP + i] = 0 }
        }
        next.update(from: zl, count: T * Dp)
        for h in 0..<H {
            product(zl, mat(mt, l, h), p, m: T, k: Dp, accumulate: false)
            Products.product(p, lda: Dp, transposeA: false, et, ldb: keysP, s, ldc: keysP, m: T, n: keysP, k: Dp, accumulate: false)
            Products.product(s, lda: keysP, transposeA: false, zl, ldb: Dp, values, ldc: Dp, m: T, n: Dp, k: keys, accumulate: false)
            product(values, mat(vt, l, h), next, m: T, k: Dp, accumulate: true)
        }
        clipTokens(next)
    }

    /// The last layer at the query: writes `out`'s y-rows into `readout` (`d_y` numbers).
    func forwardQuery(readout: UnsafeMutablePointer<Double>) {
        let l = K - 1, zl = z(l), zq = zl + N * Dp
        for k in 0..<dy { readout[k] = zq[d + k] }
        for h in 0..<H {
            let u = w.u + h * Dp, t = w.t + h * T, wh = w.w + h * Dp
            let mh = mat(m, l, h), vh = mat(v, l, h)
            for r in 0..<Dp { u[r] = dot(mh + r * Dp, zq) }
            for i in 0..<keys { t[i] = dot(zl + i * Dp, u) }
            for c in 0..<Dp { wh[c] = 0 }
            for i in 0..<keys { axpy(t[i], zl + i * Dp, wh) }
            for k in 0..<dy { readout[k] += dot(vh + (d + k) * Dp, wh) }
        }
        if let c = clip { for k in 0..<dy { readout[k] = min(max(readout[k], -c), c) } }
    }

    /// Backward through the last layer from `g` (`d_y` numbers, the gradient at the y-rows of
    /// the query's output before its clip: see `maskClippedReadout`). Adds to `dM`, `dV` (padded, `K x H`) when given; with `needTokens`
    /// leaves `dL/dz(K-1)` in `w.delta`.
    func backwardQuery(_ g: UnsafePointer<Double>, dM: UnsafeMutablePointer<Double>?, dV: UnsafeMutablePointer<Double>?, needTokens: Bool) {
        let l = K - 1, zl = z(l), zq = zl + N * Dp
        for h in 0..<H {
            let u = w.u + h * Dp, t = w.t + h * T, wh = w.w + h * Dp
            let av = w.av + h * Dp, p = w.p + h * T, q = w.q + h * Dp
            let vh = mat(v, l, h)
            for c in 0..<Dp { av[c] = 0 }
            for k in 0..<dy { axpy(g[k], vh + (d + k) * Dp, av) }
            for i in 0..<keys { p[i] = dot(zl + i * Dp, av) }
            for c in 0..<Dp { q[c] = 0 }
            for i in 0..<keys { axpy(p[i], zl + i * Dp, q) }
            if let dV {
                let dvh = dV + (l * H + h) * dp2
                for k in 0..<dy { axpy(g[k], wh, dvh + (d + k) * Dp) }
            }
            if let dM {
                let dmh = dM + (l * H + h) * dp2
                for r in 0..<D { axpy(q[r], zq, dmh + r * Dp) }
            }
            _ = u; _ = t
        }
        guard needTokens else { return }
        let delta = w.delta
        delta.update(repeating: 0, count: T * Dp)
        let dq = delta + N * Dp
        for k in 0..<dy { dq[d + k] += g[k] }
        for h in 0..<H {
            let u = w.u + h * Dp, t = w.t + h * T, av = w.av + h * Dp, p = w.p + h * T, q = w.q + h * Dp
            let mh = mat(m, l, h)
            for r in 0..<D { axpy(q[r], mh + r * Dp, dq) }
            for i in 0..<keys {
                axpy(p[i], u, delta + i * Dp)
                axpy(t[i], av, delta + i * Dp)
            }
        }
    }

    /// Backward through layer `l` (all tokens): `w.delta = dL/dz(l+1)` becomes `dL/dz(l)`.
    func backwardAllTokens(_ l: Int, dM: UnsafeMutablePointer<Double>?, dV: UnsafeMutablePointer<Double>?) {
        let zl = z(l), delta = w.delta, dz = w.dz
        maskClipped(delta, output: z(l + 1))
        let g = w.g + l * dp2, a = w.a + l * dp2
        let dA = w.dA, e = w.e, dG = w.dG, s = w.s
        product(delta, transposeA: true, zl, dA, m: Dp, k: T, accumulate: false)
        dz.update(from: delta, count: T * Dp)
        product(delta, a, dz, m: T, k: Dp, accumulate: true)
        for h in 0..<H {
            product(dA, mat(mt, l, h), e, m: Dp, k: Dp, accumulate: false)
            if let dV { product(e, g, dV + (l * H + h) * dp2, m: Dp, k: Dp, accumulate: true) }
            product(mat(v, l, h), transposeA: true, e, dG, m: Dp, k: Dp, accumulate: h > 0)
            if let dM { product(w.r + (l * H + h) * dp2, transposeA: true, dA, dM + (l * H + h) * dp2, m: Dp, k: Dp, accumulate: true) }
        }
        for i in 0..<Dp { for j in 0..<Dp { s[i * Dp + j] = dG[i * Dp + j] + dG[j * Dp + i] } }
        product(zl, s, dz, m: keys, k: Dp, accumulate: true)
        w.delta = dz
        w.dz = delta
    }

    /// `sum_c x_c y_c` over the padded width: four partial sums over `c mod 4`, added as
    /// `(s0 + s1) + (s2 + s3)` (a fixed order; four independent chains instead of one).
    @inline(__always)
    func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        var s = SIMD4<Double>.zero
        var c = 0
        while c + 4 <= Dp {
            s += SmallProducts.load(x + c) * SmallProducts.load(y + c)
            c += 4
        }
        var tail = 0.0
        while c < Dp { tail += x[c] * y[c]; c += 1 }
        return ((s[0] + s[1]) + (s[2] + s[3])) + tail
    }

    /// `y += alpha x` over the padded width.
    @inline(__always)
    func axpy(_ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        var c = 0
        let a = SIMD4<Double>(repeating: alpha)
        while c + 4 <= Dp {
            SmallProducts.store(SmallProducts.load(y + c) + a * SmallProducts.load(x + c), y + c)
            c += 4
        }
        while c < Dp { y[c] += alpha * x[c]; c += 1 }
    }
}

/// Scratch memory for one worker's `TaskPass`, sized for a shape and reused across calls.
final class TaskWorkspace: @unchecked Sendable {
    let z, g, r, a, at, u, t, w, av, p, q, dA, e, dG, s, readout, upstream: UnsafeMutablePointer<Double>
    var delta, dz: UnsafeMutablePointer<Double>
    private let all: [UnsafeMutablePointer<Double>]
    private let T: Int, Dp: Int, keysP: Int
    /// The attention form's buffers, allocated on first use (training never needs them).
    private(set) lazy var attention = AttentionScratch(Dp: Dp, T: T, paddedKeys: keysP)

    init(Dp: Int, T: Int, K: Int, H: Int, dy: Int, paddedKeys: Int) {
        (self.T, self.Dp, self.keysP) = (T, Dp, paddedKeys)
        func make(_ n: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        let dp2 = Dp * Dp
        z = make((K + 1) * T * Dp)
        g = make(K * dp2); r = make(K * H * dp2); a = make(K * dp2); at = make(K * dp2)
        u = make(H * Dp); t = make(H * T); w = make(H * Dp)
        av = make(H * Dp); p = make(H * T); q = make(H * Dp)
        dA = make(dp2); e = make(dp2); dG = make(dp2); s = make(dp2)
        delta = make(T * Dp); dz = make(T * Dp)
        readout = make(dy); upstream = make(dy)
        all = [z, g, r, a, at, u, t, w, av, p, q, dA, e, dG, s, delta, dz, readout, upstream]
    }

    deinit { for p in all { p.deallocate() } }
}

/// The attention form's scratch: `E_ctx^T` (`Dp x keysP`), `P` and `W` (`T x Dp`), `S` (`T x keysP`).
final class AttentionScratch {
    let paddedKeys: Int
    let contextTransposed, queries, scores, values: UnsafeMutablePointer<Double>

    init(Dp: Int, T: Int, paddedKeys: Int) {
        self.paddedKeys = paddedKeys
        func make(_ n: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        contextTransposed = make(Dp * paddedKeys); queries = make(T * Dp); scores = make(T * paddedKeys); values = make(T * Dp)
    }

    deinit { for p in [contextTransposed, queries, scores, values] { p.deallocate() } }
}
