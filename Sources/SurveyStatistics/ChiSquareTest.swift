/// Pearson's chi-square test of independence of a table's rows and columns.
public struct ChiSquareTest: Sendable, Hashable, Codable {
    /// Σ (observed − expected)² / expected over the answered rows and columns.
    public let statistic: Double
    /// (answered rows − 1) × (answered columns − 1).
    public let degreesOfFreedom: Int
    /// The probability of a statistic at least this large if rows and columns were independent.
    public let pValue: Double
    /// Row total × column total / grand total for every cell, shaped like the table (zero in
    /// an unanswered row or column, which the test leaves out).
    public let expectedCounts: [[Double]]
    /// The smallest expected count among the cells the test uses.
    public let smallestExpectedCount: Double
    /// How many of the cells the test uses expect fewer than five answers, and how many it uses.
    public let cellsExpectingFewerThanFive: Int
    public let testedCellCount: Int

    /// The expected count below which the chi-square approximation is not trusted.
    public static let reliableExpectedCount = 5.0

    public init(_ table: CrossTab) throws(UntestableTable) {
        let rows = table.answeredRows
        let columns = table.answeredColumns
        try UntestableTable.check(table, answeredRows: rows.count, answeredColumns: columns.count)
        let rowTotals = table.rowTotals
        let columnTotals = table.columnTotals
        let grandTotal = Double(table.grandTotal)
        var expected = Array(repeating: Array(repeating: 0.0, count: table.columnCount), count: table.rowCount)
        var statistic = 0.0
        var smallest = Double.infinity
        var belowFive = 0
        for row in rows {
            for column in columns {
                let expectedCount = Double(rowTotals[row]) * Double(columnTotals[column]) / grandTotal
                expected[row][column] = expectedCount
                let difference = Double(table[row, column]) - expectedCount
                statistic += difference * difference / expectedCount
                smallest = min(smallest, expectedCount)
                if expectedCount < Self.reliableExpectedCount { belowFive += 1 }
            }
        }
        self.statistic = statistic
        degreesOfFreedom = (rows.count - 1) * (columns.count - 1)
        pValue = SpecialFunctions.chiSquareSurvival(statistic, degreesOfFreedom: degreesOfFreedom)
        expectedCounts = expected
        smallestExpectedCount = smallest
        cellsExpectingFewerThanFive = belowFive
        testedCellCount = rows.count * columns.count
    }
}

/// Why a table cannot be tested for independence: there is nothing to compare.
public enum UntestableTable: Error, Sendable, Hashable, Codable {
    /// Nobody is in the table.
    case noAnswers
    /// Everyone is in one row (or the table has one row): no groups to compare.
    case fewerThanTwoAnsweredRows
    /// Everyone is in one column (or the table has one column): no spread of answers to compare.
    case fewerThanTwoAnsweredColumns

    static func check(_ table: CrossTab, answeredRows: Int, answeredColumns: Int) throws(UntestableTable) {
        if table.grandTotal == 0 { throw .noAnswers }
        if answeredRows < 2 { throw .fewerThanTwoAnsweredRows }
        if answeredColumns < 2 { throw .fewerThanTwoAnsweredColumns }
    }
}
