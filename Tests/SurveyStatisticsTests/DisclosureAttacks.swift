import SurveyStatistics

/// What a reader of a published table could work out, tried two ways, independently of how
/// the library chooses what to hide: by linear algebra on the sums, and by searching every
/// table that fits all that is published (shown counts, sums, and the labels' bounds).
struct DisclosureAttacks {
    let minimumCount: Int
    /// The published table with its totals as one grid: rows, then the column totals; columns,
    /// then the row totals.
    let published: [[PublishedCount]]
    /// The real counts, to check the attacks' answers, never used to make them.
    let truth: [[Int]]

    var rows: Int { published.count - 1 }
    var columns: Int { published[0].count - 1 }

    init(table: CrossTab, published: ProtectedCrossTab) {
        self.init(table: table, grid: (0..<table.rowCount).map { published.cells[$0] + [published.rowTotals[$0]] } + [published.columnTotals + [published.grandTotal]],
                  minimumCount: published.rule.minimumCount)
    }

    init(table: CrossTab, grid: [[PublishedCount]], minimumCount: Int) {
        self.minimumCount = minimumCount
        published = grid
        truth = table.counts.map { $0 + [$0.reduce(0, +)] } + [table.columnTotals + [table.grandTotal]]
    }

    struct Position: Hashable, CustomStringConvertible {
        let row: Int
        let column: Int
        var description: String { "(\(row), \(column))" }
    }

    var hidden: [Position] {
        (0...rows).flatMap { row in (0...columns).compactMap { published[row][$0].isHidden ? Position(row: row, column: $0) : nil } }
    }

    /// Every line of the grid as (position, coefficient): cells count +1, the line's total −1.
    var lines: [[(Position, Int)]] {
        let rowLines = (0...rows).map { row in (0...columns).map { (Position(row: row, column: $0), $0 == columns ? -1 : 1) } }
        let columnLines = (0...columns).map { column in (0...rows).map { (Position(row: $0, column: column), $0 == rows ? -1 : 1) } }
        return rowLines + columnLines
    }

    // MARK: Linear algebra

    /// The hidden counts the sums alone pin down, with the value they give: a hidden count is
    /// determined when its unit vector lies in the row space of the system, i.e. when a row of
    /// the reduced echelon form has a single non-zero coefficient.
    func determinedByTheSums() -> [Position: Int] {
        let unknowns = hidden
        let index = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
        var matrix: [[Double]] = lines.map { line in
            var equation = Array(repeating: 0.0, count: unknowns.count + 1)
            for (position, coefficient) in line {
                if let column = index[position] {
                    equation[column] += Double(coefficient)
                } else if let value = published[position.row][position.column].shownValue {
                    equation[unknowns.count] -= Double(coefficient * value)
                }
            }
            return equation
        }
        var pivotRow = 0
        for column in 0..<unknowns.count where pivotRow < matrix.count {
            guard let best = (pivotRow..<matrix.count).max(by: { abs(matrix[$0][column]) < abs(matrix[$1][column]) }),
                abs(matrix[best][column]) > 1e-9
            else { continue }
            matrix.swapAt(pivotRow, best)
            let pivot = matrix[pivotRow][column]
            matrix[pivotRow] = matrix[pivotRow].map { $0 / pivot }
            for other in matrix.indices where other != pivotRow && abs(matrix[other][column]) > 1e-12 {
                let factor = matrix[other][column]
                matrix[other] = zip(matrix[other], matrix[pivotRow]).map { $0 - factor * $1 }
            }
            pivotRow += 1
        }
        var determined: [Position: Int] = [:]
        for equation in matrix {
            let nonZero = (0..<unknowns.count).filter { abs(equation[$0]) > 1e-9 }
            if nonZero.count == 1 {
                determined[unknowns[nonZero[0]]] = Int((equation[unknowns.count] / equation[nonZero[0]]).rounded())
            }
        }
        return determined
    }

    // MARK: Search over every fitting table

    /// The bounds the labels give a hidden count; a masked count has no upper bound, so the
    /// search stops at a horizon far above every real count (any table it finds is genuine).
    func bounds(_ position: Position) -> ClosedRange<Int> {
        switch published[position.row][position.column] {
        case .shown(let value): value...value
        case .belowMinimum: 0...(minimumCount - 1)
        case .masked: minimumCount...(truth[rows][columns] * 2 + minimumCount * 4)
        }
    }

    /// Another table, fitting everything published, whose count at `position` differs from
    /// the real one; nil when every fitting table has the real count there, i.e. when a reader
    /// can work it out.
    func alternativeTable(changing position: Position) -> [Position: Int]? {
        var domains: [Position: ClosedRange<Int>] = [:]
        for unknown in hidden { domains[unknown] = bounds(unknown) }
        let real = truth[position.row][position.column]
        var found: [Position: Int]?
        for value in domains[position]! where value != real {
            var start = domains
            start[position] = value...value
            if let table = search(start) {
                found = table
                break
            }
        }
        return found
    }

    /// Depth-first search with propagation: a line with one unknown left fixes it, and a line
    /// whose unknowns cannot reach its sum within their bounds ends the branch.
    private func search(_ start: [Position: ClosedRange<Int>]) -> [Position: Int]? {
        var domains = start
        var changed = true
        while changed {
            changed = false
            for line in lines {
                var known = 0
                var open: [(Position, Int)] = []
                var low = 0
                var high = 0
                for (position, coefficient) in line {
                    if let value = published[position.row][position.column].shownValue {
                        known += coefficient * value
                        continue
                    }
                    let domain = domains[position]!
                    if domain.count == 1 {
                        known += coefficient * domain.lowerBound
                    } else {
                        open.append((position, coefficient))
                        low += coefficient > 0 ? coefficient * domain.lowerBound : coefficient * domain.upperBound
                        high += coefficient > 0 ? coefficient * domain.upperBound : coefficient * domain.lowerBound
                    }
                }
                if open.isEmpty {
                    if known != 0 { return nil }
                    continue
                }
                guard known + low <= 0, known + high >= 0 else { return nil }
                // Each open count is bounded by what the others can make up.
                for (position, coefficient) in open {
                    let domain = domains[position]!
                    let ownLow = coefficient > 0 ? coefficient * domain.lowerBound : coefficient * domain.upperBound
                    let ownHigh = coefficient > 0 ? coefficient * domain.upperBound : coefficient * domain.lowerBound
                    let restLow = low - ownLow
                    let restHigh = high - ownHigh
                    // coefficient × x ∈ [−known − restHigh, −known − restLow]
                    var lower = -known - restHigh
                    var upper = -known - restLow
                    if coefficient < 0 { (lower, upper) = (-upper, -lower) }
                    let narrowed = max(domain.lowerBound, lower)...max(max(domain.lowerBound, lower), min(domain.upperBound, upper))
                    if min(domain.upperBound, upper) < max(domain.lowerBound, lower) { return nil }
                    if narrowed != domain {
                        domains[position] = narrowed
                        changed = true
                    }
                }
            }
        }
        guard let branch = domains.filter({ $0.value.count > 1 }).min(by: { $0.value.count < $1.value.count }) else {
            return domains.mapValues(\.lowerBound)
        }
        for value in branch.value {
            var next = domains
            next[branch.key] = value...value
            if let table = search(next) { return table }
        }
        return nil
    }
}
