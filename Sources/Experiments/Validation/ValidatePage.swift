import Figures
import Training

/// The HTML page of `icl validate --out`: the summary table, the verdict, the requirements, and
/// per layer and head the gauge-normalised `W_K^T W_Q` and `P W_V` of the model beside the
/// construction's (layer `k`, its one head), each pair on one colour scale.
struct ValidatePage {
    var report: ValidateReport
    var trained: FoldedLSA
    var construction: FoldedLSA

    /// Layer 0, head 0 beside the construction, all four panels on one scale (as `icl reproduce` draws it).
    var weightsFigure: String {
        Reproduction.weightFigure(trained: trained, reference: construction, referenceName: "construction",
                                  title: "\(report.file): learned vs \(report.construction), layer 0, head 0")
    }

    /// One pair (learned, constructed) of one product on one scale.
    func pairFigure(layer: Int, head: Int, keyQuery: Bool) -> String {
        let D = trained.shape.tokenDimension
        let t = trained.gaugeNormalized(layer: layer, head: head), c = construction.gaugeNormalized(layer: layer, head: 0)
        let name = keyQuery ? "W_K^T W_Q" : "P W_V"
        let (a, b) = keyQuery ? (t.keyQuery, c.keyQuery) : (t.projectionValue, c.projectionValue)
        return MatrixGrid(title: "layer \(layer), head \(head): \(name)",
                          subtitle: "gauge-normalised; tokens (x, y), last row/column = y",
                          panels: [MatrixGrid.Panel(title: "learned", rows: D, cols: D, values: a.elements),
                                   MatrixGrid.Panel(title: "construction", rows: D, cols: D, values: b.elements)],
                          showValues: D <= 12).svg
    }

    var html: String {
        let r = report
        var summary: [(String, String)] = [
            ("file", "\(r.file) (\(r.format), \(r.layout) layout)"),
            ("model", "\(r.layers) layer\(r.layers == 1 ? "" : "s"), \(r.heads) head\(r.heads == 1 ? "" : "s"), d = \(r.d), N = \(r.N), d_y = \(r.dy)"),
            ("construction", r.construction),
            ("trained loss", formatCell(r.trainedLoss)),
            ("construction loss", formatCell(r.constructionLoss)),
            ("relative gap", ValidateRun.gapText(r.relativeGap)),
            ("zero predictor loss", formatCell(r.zeroLoss)),
            ("eta* (least squares)", formatCell(r.etaStar)),
            ("preds diff", formatCell(r.predsDiff)),
            ("model cos", formatCell(r.modelCos)),
            ("model diff", formatCell(r.modelDiff)),
        ]
        if let e = r.preconditionerError { summary.append(("preconditioner relative error", formatCell(e))) }
        var sections = [HTMLPage.Section(heading: "Verdict", blocks: [.paragraph(r.verdict), .table(summary)])]
        if !r.requirements.isEmpty {
            sections.append(HTMLPage.Section(heading: "Requirements", blocks: [.table(r.requirements.map {
                ("\($0.holds ? "holds" : "FAILS"): \($0.requirement)", "\(formatNumber($0.value, significant: 6)) vs \(formatNumber($0.bound, significant: 6))")
            })]))
        }
        var figures: [HTMLPage.Block] = [.paragraph(
            "Each head is brought to the gauge (M, V) -> (M/c, cV) with tr M_xx > 0 and max|M| = max|V| (the products are identified, the factors are not). Each pair shares one colour scale.")]
        for k in 0..<trained.shape.layers {
            for h in 0..<trained.shape.heads {
                figures.append(.figure(svg: pairFigure(layer: k, head: h, keyQuery: true), caption: "Layer \(k), head \(h): W_K^T W_Q, learned and constructed."))
                figures.append(.figure(svg: pairFigure(layer: k, head: h, keyQuery: false), caption: "Layer \(k), head \(h): P W_V, learned and constructed."))
            }
        }
        sections.append(HTMLPage.Section(heading: "Weights", blocks: figures))
        return HTMLPage(title: "icl validate: \(r.file)", sections: sections).html
    }
}
