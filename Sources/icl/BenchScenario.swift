/// One benchmark scenario: `prepare` builds the inputs once (not timed) and returns the
/// work to time, which `icl bench` runs `repeats` times and reports the median of.
/// Each scenario has a peer (NumPy, SciPy, ...) in `Benchmarks/` doing the same work.
struct BenchScenario {
    let name: String
    /// What is computed, for the report.
    let summary: String
    /// Floating-point operations of one run (0 when not meaningful), for the GFLOP/s column.
    let flops: Double
    let prepare: () -> () -> Void
}
