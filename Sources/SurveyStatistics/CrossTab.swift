/// The counts of one closed question (rows) by another or by a profile field (columns), as
/// PostgreSQL counted them; totals and percentages are derived here so every page agrees.
public struct CrossTab: Sendable, Hashable, Codable {
    public let rowLabels: [String]
    public let columnLabels: [String]
    /// `counts[row][column]`, every row as long as `columnLabels`.
    public let counts: [[Int]]

    public init(rowLabels: [String], columnLabels: [String], counts: [[Int]]) throws(CrossTabError) {
        guard counts.count == rowLabels.count else {
            throw .rowCountMismatch(labels: rowLabels.count, countRows: counts.count)
        }
        for (row, rowCounts) in counts.enumerated() {
            guard rowCounts.count == columnLabels.count else {
                throw .columnCountMismatch(row: row, labels: columnLabels.count, counts: rowCounts.count)
            }
            if let column = rowCounts.firstIndex(where: { $0 < 0 }) {
                throw .negativeCount(row: row, column: column)
            }
        }
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.counts = counts
    }

    /// Builds the table from the rows of a `GROUP BY row, column` query, which only returns the
    /// combinations someone chose: every other combination of the given labels counts zero.
    public init(rowLabels: [String], columnLabels: [String], groupedCounts: [(row: String, column: String, count: Int)]) throws(CrossTabError) {
        let rowIndex = Dictionary(rowLabels.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let columnIndex = Dictionary(columnLabels.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var counts = Array(repeating: Array(repeating: 0, count: columnLabels.count), count: rowLabels.count)
        var seen = Set<[String]>()
        for group in groupedCounts {
            guard let row = rowIndex[group.row] else { throw .unknownRowLabel(group.row) }
            guard let column = columnIndex[group.column] else { throw .unknownColumnLabel(group.column) }
            guard seen.insert([group.row, group.column]).inserted else { throw .repeatedCombination(row: group.row, column: group.column) }
            counts[row][column] = group.count
        }
        try self.init(rowLabels: rowLabels, columnLabels: columnLabels, counts: counts)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            rowLabels: container.decode([String].self, forKey: .rowLabels),
            columnLabels: container.decode([String].self, forKey: .columnLabels),
            counts: container.decode([[Int]].self, forKey: .counts)
        )
    }

    public var rowCount: Int { rowLabels.count }
    public var columnCount: Int { columnLabels.count }

    public subscript(row: Int, column: Int) -> Int { counts[row][column] }

    public var rowTotals: [Int] { counts.map { $0.reduce(0, +) } }

    public var columnTotals: [Int] {
        (0..<columnCount).map { column in counts.reduce(0) { $0 + $1[column] } }
    }

    public var grandTotal: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// The cell as a percentage (0–100) of its row; nil when nobody is in the row.
    public func rowPercentage(row: Int, column: Int) -> Double? {
        percentage(counts[row][column], of: counts[row].reduce(0, +))
    }

    /// The cell as a percentage (0–100) of its column; nil when nobody is in the column.
    public func columnPercentage(row: Int, column: Int) -> Double? {
        percentage(counts[row][column], of: counts.reduce(0) { $0 + $1[column] })
    }

    /// The cell as a percentage (0–100) of everyone in the table; nil for an empty table.
    public func percentageOfTotal(row: Int, column: Int) -> Double? {
        percentage(counts[row][column], of: grandTotal)
    }

    /// The rows and columns someone is in: the tests leave the others out, since an empty
    /// category carries no information about independence and would divide by zero.
    var answeredRows: [Int] { rowTotals.indices.filter { rowTotals[$0] > 0 } }
    var answeredColumns: [Int] { columnTotals.indices.filter { columnTotals[$0] > 0 } }
}

func percentage(_ part: Int, of whole: Int) -> Double? {
    whole > 0 ? 100 * Double(part) / Double(whole) : nil
}

/// Why counts do not make a table.
public enum CrossTabError: Error, Sendable, Hashable {
    case rowCountMismatch(labels: Int, countRows: Int)
    case columnCountMismatch(row: Int, labels: Int, counts: Int)
    case negativeCount(row: Int, column: Int)
    case unknownRowLabel(String)
    case unknownColumnLabel(String)
    case repeatedCombination(row: String, column: String)
}
