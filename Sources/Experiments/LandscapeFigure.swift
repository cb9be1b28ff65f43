import Figures
import Phenomenology

extension Landscape {
    /// The landscape as a heatmap (loss on the colour scale, contours), with an optional
    /// trajectory projected on the two axes.
    func heatmap(title: String, contourLevels: Int, trajectory: GradientFlow.Trajectory?) -> Heatmap {
        let names = coordinateNames
        let subtitle: String
        switch third {
        case .fixed(let c): subtitle = "\(names[thirdIndex]) = \(formatNumber(c)) fixed"
        case let .minimized(l, u, _): subtitle = "\(names[thirdIndex]) minimized over [\(formatNumber(l)), \(formatNumber(u))]"
        }
        let path = trajectory.map { t in
            let start = (0..<3).map { formatNumber(t.points[0][$0], significant: 3) }.joined(separator: ", ")
            return Heatmap.Path(points: t.points.map { ($0[x.index], $0[y.index]) },
                                caption: "red: gradient flow from (\(start)), projected on (\(names[x.index]), \(names[y.index])) (\(names[thirdIndex]) varies along it); white dot = start")
        }
        return Heatmap(values: values, columns: x.count, rows: y.count, xRange: (x.lower, x.upper), yRange: (y.lower, y.upper),
                       xLabel: names[x.index], yLabel: names[y.index], valueLabel: "loss", title: title, subtitle: subtitle,
                       contourLevels: contourLevels, path: path)
    }

    /// CSV with a header: the two axis coordinates, the third coordinate and the loss (by name).
    var csvText: String {
        let names = coordinateNames
        return CSVTable.numeric(header: [names[x.index], names[y.index], names[thirdIndex], "loss"], count: values.count) { k in
            let (i, j) = (k % x.count, k / x.count)
            return [x.value(i), y.value(j), third(i, j), values[k]]
        }
    }
}
