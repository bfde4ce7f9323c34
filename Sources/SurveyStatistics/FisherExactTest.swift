import Foundation

/// Fisher's exact test of independence for a 2×2 table, two-sided: the chance, with the
/// table's totals fixed, of a table no more likely than the one observed.
public struct FisherExactTest: Sendable, Hashable, Codable {
    public let pValue: Double

    /// Tests the table's two answered rows by its two answered columns (empty ones are left
    /// out, as in the chi-square test).
    public init(_ table: CrossTab) throws(FisherExactTest.Unsuitable) {
        let rows = table.answeredRows
        let columns = table.answeredColumns
        do {
            try UntestableTable.check(table, answeredRows: rows.count, answeredColumns: columns.count)
        } catch {
            throw .untestable(error)
        }
        guard rows.count == 2, columns.count == 2 else { throw .notTwoByTwo }
        self.init(
            table[rows[0], columns[0]], table[rows[0], columns[1]],
            table[rows[1], columns[0]], table[rows[1], columns[1]]
        )
    }

    /// The table  a b / c d.
    public init(_ a: Int, _ b: Int, _ c: Int, _ d: Int) {
        precondition(a >= 0 && b >= 0 && c >= 0 && d >= 0, "counts are never negative")
        let firstRow = a + b
        let secondRow = c + d
        let firstColumn = a + c
        let total = firstRow + secondRow
        // With the margins fixed, the table is known from its top-left cell, which follows the
        // hypergeometric law: C(firstRow, k) C(secondRow, firstColumn − k) / C(total, firstColumn).
        let logDenominator = Self.logChoose(total, firstColumn)
        func probability(_ k: Int) -> Double {
            exp(Self.logChoose(firstRow, k) + Self.logChoose(secondRow, firstColumn - k) - logDenominator)
        }
        let observed = probability(a)
        // Tables whose probability equals the observed one up to rounding count as "no more
        // likely": without this margin, symmetric tables would be dropped by a last-bit difference.
        let threshold = observed * (1 + 1e-7)
        var sum = 0.0
        for k in max(0, firstColumn - secondRow)...min(firstRow, firstColumn) {
            let p = probability(k)
            if p <= threshold { sum += p }
        }
        pValue = min(1, sum)
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        SpecialFunctions.logFactorial(n) - SpecialFunctions.logFactorial(k) - SpecialFunctions.logFactorial(n - k)
    }

    /// Why the exact test does not apply.
    public enum Unsuitable: Error, Sendable, Hashable {
        case untestable(UntestableTable)
        /// Implemented for 2×2 tables only; larger tables get the chi-square test and a warning.
        case notTwoByTwo
    }
}
