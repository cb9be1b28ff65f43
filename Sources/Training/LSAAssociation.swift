/// The two ways to evaluate one LSA layer on every token of a task, the same monomials
/// associated differently (so the same forward-error bound, `forwardRoundings` in the tests):
///
/// - `state`: `G = E_ctx E_ctx^T` (`D x D`), `A = sum_h V_h G M_h`, `Z' = Z + A Z`:
///   `2 D^2 keys + 4 H D^3 + 2 D^2 T` FLOPs;
/// - `attention`: per head the scores `S = E_ctx^T M_h Z` (`keys x T`), then the values
///   `Z' = Z + sum_h V_h E_ctx S`: `H (4 D^2 T + 4 D keys T)` FLOPs,
///
/// with `T = N + 1` tokens and `keys` context tokens. The state form is linear in `N`, the
/// attention form in `D`'s square: the state form wins once `N` exceeds about `D`.
public enum LSAAssociation: Sendable, Equatable, CaseIterable {
    case state, attention

    /// FLOPs of one layer on one task, for token width `D` (padded, when the products pad),
    /// `T` tokens, `keys` keys and their padded count `paddedKeys` (the scores' row width).
    public static func layerFlops(_ association: LSAAssociation, D: Int, T: Int, keys: Int, paddedKeys: Int, heads H: Int) -> Double {
        let (D, T, keys, paddedKeys, H) = (Double(D), Double(T), Double(keys), Double(paddedKeys), Double(H))
        switch association {
        case .state: return 2 * D * D * keys + 4 * H * D * D * D + 2 * D * D * T
        case .attention: return H * (4 * D * D * T + 2 * D * paddedKeys * T + 2 * D * keys * T)
        }
    }

    /// The cheaper association for these widths (the state form on a tie).
    public static func cheaper(D: Int, T: Int, keys: Int, paddedKeys: Int, heads: Int) -> LSAAssociation {
        layerFlops(.attention, D: D, T: T, keys: keys, paddedKeys: paddedKeys, heads: heads)
            < layerFlops(.state, D: D, T: T, keys: keys, paddedKeys: paddedKeys, heads: heads) ? .attention : .state
    }
}
