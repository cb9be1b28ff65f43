/// Marching squares: the segments where a gridded field crosses `level`, in grid
/// coordinates (i along x, j along y), with linear interpolation along cell edges.
/// Saddle cells are split by the cell-centre average.
public func contourSegments(values: (Int, Int) -> Double, nx: Int, ny: Int, level: Double) -> [((Double, Double), (Double, Double))] {
    var segments: [((Double, Double), (Double, Double))] = []
    func cross(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> (Double, Double) {
        let t = (level - a.2) / (b.2 - a.2)
        return (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))
    }
    for j in 0..<(ny - 1) {
        for i in 0..<(nx - 1) {
            let c = [(Double(i), Double(j), values(i, j)), (Double(i + 1), Double(j), values(i + 1, j)),
                     (Double(i + 1), Double(j + 1), values(i + 1, j + 1)), (Double(i), Double(j + 1), values(i, j + 1))]
            guard c.allSatisfy({ $0.2.isFinite }) else { continue }
            var index = 0
            for (k, corner) in c.enumerated() where corner.2 > level { index |= 1 << k }
            if index == 0 || index == 15 { continue }
            // Edges: 0 = (c0,c1), 1 = (c1,c2), 2 = (c2,c3), 3 = (c3,c0).
            func edge(_ e: Int) -> (Double, Double) { cross(c[e], c[(e + 1) % 4]) }
            let pairs: [(Int, Int)]
            switch index {
            case 1, 14: pairs = [(3, 0)]
            case 2, 13: pairs = [(0, 1)]
            case 3, 12: pairs = [(3, 1)]
            case 4, 11: pairs = [(1, 2)]
            case 6, 9: pairs = [(0, 2)]
            case 7, 8: pairs = [(3, 2)]
            case 5, 10:
                let centre = (c[0].2 + c[1].2 + c[2].2 + c[3].2) / 4
                let high02 = index == 5  // corners 0 and 2 above the level
                pairs = (centre > level) == high02 ? [(3, 2), (0, 1)] : [(3, 0), (1, 2)]
            default: pairs = []
            }
            for (a, b) in pairs { segments.append((edge(a), edge(b))) }
        }
    }
    return segments
}
