/// Benjamini–Hochberg adjusted p-values: looking at many results at once (breakdowns of a survey,
/// statements of an opinion map group), some would look
/// significant by chance alone; comparing the adjusted values with the usual level keeps the
/// expected share of false discoveries among the reported ones at that level.
public enum BenjaminiHochberg {
    /// The adjusted p-values, in the order given: for the i-th smallest of m p-values,
    /// min over j ≥ i of m × p₍ⱼ₎ / j, at most 1.
    public static func adjusted(_ pValues: [Double]) -> [Double] {
        precondition(pValues.allSatisfy { (0...1).contains($0) }, "p-values lie between 0 and 1")
        let count = pValues.count
        let ascending = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = Array(repeating: 1.0, count: count)
        var runningMinimum = 1.0
        // From the largest down, so each keeps the smallest of the scaled values above it.
        for rank in stride(from: count, through: 1, by: -1) {
            let index = ascending[rank - 1]
            runningMinimum = min(runningMinimum, pValues[index] * Double(count) / Double(rank))
            adjusted[index] = runningMinimum
        }
        return adjusted
    }
}
