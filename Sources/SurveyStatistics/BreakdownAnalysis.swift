import MultipleTesting

/// Everything said about one breakdown: which test was used, its p-value (adjusted when
/// several breakdowns are read together), the size of the effect, and the warnings.
public struct BreakdownAnalysis: Sendable, Hashable, Codable {
    public let table: CrossTab
    /// The level under which a difference is called probably real.
    public let significanceLevel: Double
    /// Nil when the table cannot be tested (see `untestable`).
    public let chiSquare: ChiSquareTest?
    /// Present when it replaced the chi-square test: a 2×2 table expecting fewer than five
    /// answers in some cell.
    public let fisherExact: FisherExactTest?
    public let untestable: UntestableTable?
    public let cramersV: CramersV?
    /// The Benjamini–Hochberg adjusted p-value when this breakdown was read with others.
    public let adjustedPValue: Double?
    /// How many tested breakdowns were read together (1 when alone).
    public let breakdownsReadTogether: Int
    public let warnings: [BreakdownWarning]

    /// The level used unless staff choose another.
    public static let defaultSignificanceLevel = 0.05

    /// Analyses one breakdown read on its own.
    public init(_ table: CrossTab, significanceLevel: Double = defaultSignificanceLevel) {
        self.init(table, significanceLevel: significanceLevel, adjustedPValue: nil, readTogether: 1)
    }

    /// Analyses breakdowns read together: each keeps its own test, and its verdict rests on
    /// the Benjamini–Hochberg adjusted p-value among the testable ones.
    public static func readTogether(_ tables: [CrossTab], significanceLevel: Double = defaultSignificanceLevel) -> [BreakdownAnalysis] {
        let alone = tables.map { BreakdownAnalysis($0, significanceLevel: significanceLevel) }
        let tested = alone.indices.compactMap { index in alone[index].pValue.map { (index, $0) } }
        guard tested.count > 1 else { return alone }
        let adjusted = BenjaminiHochberg.adjusted(tested.map(\.1))
        var result = alone
        for (position, (index, _)) in tested.enumerated() {
            result[index] = BreakdownAnalysis(
                tables[index], significanceLevel: significanceLevel, adjustedPValue: adjusted[position], readTogether: tested.count
            )
        }
        return result
    }

    private init(_ table: CrossTab, significanceLevel: Double, adjustedPValue: Double?, readTogether: Int) {
        precondition(significanceLevel > 0 && significanceLevel < 1, "a significance level lies strictly between 0 and 1")
        self.table = table
        self.significanceLevel = significanceLevel
        self.adjustedPValue = adjustedPValue
        breakdownsReadTogether = readTogether
        var warnings: [BreakdownWarning] = []
        let emptyRows = table.rowTotals.indices.filter { table.rowTotals[$0] == 0 }.map { table.rowLabels[$0] }
        let emptyColumns = table.columnTotals.indices.filter { table.columnTotals[$0] == 0 }.map { table.columnLabels[$0] }
        do {
            let chiSquare = try ChiSquareTest(table)
            self.chiSquare = chiSquare
            untestable = nil
            cramersV = CramersV(chiSquare, table: table)
            let isTwoByTwo = table.answeredRows.count == 2 && table.answeredColumns.count == 2
            if chiSquare.cellsExpectingFewerThanFive > 0, isTwoByTwo {
                fisherExact = try? FisherExactTest(table)
            } else {
                fisherExact = nil
                if chiSquare.cellsExpectingFewerThanFive > 0 {
                    warnings.append(.smallExpectedCounts(
                        cells: chiSquare.cellsExpectingFewerThanFive, of: chiSquare.testedCellCount, smallest: chiSquare.smallestExpectedCount
                    ))
                }
            }
            if !emptyRows.isEmpty || !emptyColumns.isEmpty {
                warnings.append(.emptyCategoriesLeftOut(rows: emptyRows, columns: emptyColumns))
            }
        } catch {
            chiSquare = nil
            fisherExact = nil
            untestable = error
            cramersV = nil
        }
        self.warnings = warnings
    }

    /// The test whose p-value decides.
    public var method: TestMethod? {
        if fisherExact != nil { return .fisherExact }
        return chiSquare == nil ? nil : .chiSquare
    }

    /// The p-value of the test used, before any adjustment.
    public var pValue: Double? { fisherExact?.pValue ?? chiSquare?.pValue }

    /// The p-value the verdict rests on: adjusted when read with others.
    public var decisivePValue: Double? { adjustedPValue ?? pValue }

    public var verdict: BreakdownVerdict {
        if let untestable { return .notTestable(untestable) }
        guard let decisivePValue else { return .notTestable(.noAnswers) }
        return decisivePValue < significanceLevel ? .differenceProbablyReal : .couldBeChance
    }
}

/// Which independence test produced the p-value.
public enum TestMethod: String, Sendable, Hashable, Codable {
    case chiSquare
    case fisherExact
}

/// What the figures allow one to say.
public enum BreakdownVerdict: Sendable, Hashable, Codable {
    /// The p-value is under the level: chance alone would rarely give so large a difference.
    case differenceProbablyReal
    /// The p-value is at or above the level: the difference could be chance.
    case couldBeChance
    case notTestable(UntestableTable)
}

/// What a reader should keep in mind next to the verdict.
public enum BreakdownWarning: Sendable, Hashable, Codable {
    /// A table larger than 2×2 expects fewer than five answers in some cells: the chi-square
    /// p-value is an approximation there, and no exact test is run.
    case smallExpectedCounts(cells: Int, of: Int, smallest: Double)
    /// Rows or columns nobody is in were left out of the test.
    case emptyCategoriesLeftOut(rows: [String], columns: [String])
}
