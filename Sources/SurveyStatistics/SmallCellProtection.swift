/// The smallest count a published table shows; fewer people than this could be recognised.
public struct SmallCellRule: Sendable, Hashable, Codable {
    public let minimumCount: Int

    public static let `default` = try! SmallCellRule(minimumCount: 10)

    /// At least 2: with a minimum of 1 the label « < 1 » would itself say the count is zero.
    public init(minimumCount: Int) throws(Invalid) {
        guard minimumCount >= 2 else { throw .minimumBelowTwo(minimumCount) }
        self.minimumCount = minimumCount
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(minimumCount: container.decode(Int.self, forKey: .minimumCount))
    }

    public enum Invalid: Error, Sendable, Hashable {
        case minimumBelowTwo(Int)
    }
}

/// How one count of a protected table is published.
public enum PublishedCount: Sendable, Hashable, Codable {
    case shown(Int)
    /// Fewer than the minimum, zero included, so that an empty cell looks exactly like a
    /// small one (« < 10 »).
    case belowMinimum
    /// At least the minimum, hidden so that a count below it cannot be worked out from the
    /// rest (secondary suppression).
    case masked

    /// A shown count encodes as its number, a hidden one as `"belowMinimum"` or `"masked"`:
    /// what an API client would expect, and nothing of the hidden value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .shown(let value): try container.encode(value)
        case .belowMinimum: try container.encode(Self.belowMinimumCode)
        case .masked: try container.encode(Self.maskedCode)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .shown(value)
            return
        }
        switch try container.decode(String.self) {
        case Self.belowMinimumCode: self = .belowMinimum
        case Self.maskedCode: self = .masked
        case let other:
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown published count \"\(other)\"")
        }
    }

    private static let belowMinimumCode = "belowMinimum"
    private static let maskedCode = "masked"

    public var shownValue: Int? {
        if case .shown(let value) = self { value } else { nil }
    }

    public var isHidden: Bool { shownValue == nil }
}

/// A table fit to publish: counts under the minimum hidden, and enough others hidden that
/// none of them can be worked out from what is shown.
///
/// What a reader knows: every shown count; that every line adds up (a row and its total, a
/// column and its total, the totals and the grand total); that a « < 10 » count lies in 0…9
/// (an empty cell looks exactly like a small one) and that a « masqué » count is at least 10
/// (the labels stay true). The rule, which "two hidden cells per line" only approximates:
/// write the table with its totals as an (r+1)×(c+1) grid and see each hidden count as an
/// edge between its row and its column; adding +1, −1, +1, … to the counts around a cycle of
/// such edges keeps every sum. A hidden count can be worked out exactly when no other table
/// fits everything published; another table exists exactly when the count lies on a cycle of
/// hidden counts each of which can take its step (+1 or −1) without leaving its label's range
/// — the difference of two fitting tables is a sum of such cycles. So every hidden count is
/// required to lie on such a cycle, which the tests check by trying to recompute every hidden
/// count from the rest. Counts are hidden greedily: for a hidden count on no such cycle, the
/// cheapest path closing one is found (cells cost their count plus one, so few people and few
/// cells are hidden; totals cost more, so cells go first) and the shown counts on it are
/// masked. Masking only adds cycles, so each step keeps what earlier ones protected.
///
/// Cost: about a millisecond for a 100×10 table; a table by commune (3,800 rows, mostly small
/// counts) takes seconds, and says little once protected: group such rows first.
public struct ProtectedCrossTab: Sendable, Hashable, Codable {
    public let rowLabels: [String]
    public let columnLabels: [String]
    public let rule: SmallCellRule
    /// `cells[row][column]`.
    public let cells: [[PublishedCount]]
    public let rowTotals: [PublishedCount]
    public let columnTotals: [PublishedCount]
    public let grandTotal: PublishedCount
    /// The cell as a percentage of its row, when both the cell and the row total are shown
    /// (a percentage next to a hidden count or total would give it away).
    public let rowPercentages: [[Double?]]
    /// The cell as a percentage of its column, under the same condition.
    public let columnPercentages: [[Double?]]

    /// Whether anything is hidden: then explanations next to it withhold their figures.
    public var hidesAnyCount: Bool {
        grandTotal.isHidden || (cells.flatMap { $0 } + rowTotals + columnTotals).contains { $0.isHidden }
    }

    public init(_ table: CrossTab, rule: SmallCellRule = .default) {
        var grid = SuppressionGrid(table, minimumCount: rule.minimumCount)
        grid.protectEveryHiddenCount()
        let rows = table.rowCount
        let columns = table.columnCount
        rowLabels = table.rowLabels
        columnLabels = table.columnLabels
        self.rule = rule
        cells = (0..<rows).map { row in (0..<columns).map { column in grid.published(row, column) } }
        rowTotals = (0..<rows).map { grid.published($0, columns) }
        columnTotals = (0..<columns).map { grid.published(rows, $0) }
        grandTotal = grid.published(rows, columns)
        let (cells, rowTotals, columnTotals) = (cells, rowTotals, columnTotals)
        rowPercentages = (0..<rows).map { row in
            (0..<columns).map { column in
                guard let count = cells[row][column].shownValue, let total = rowTotals[row].shownValue else { return nil }
                return percentage(count, of: total)
            }
        }
        columnPercentages = (0..<rows).map { row in
            (0..<columns).map { column in
                guard let count = cells[row][column].shownValue, let total = columnTotals[column].shownValue else { return nil }
                return percentage(count, of: total)
            }
        }
    }
}

/// The table with its totals as one grid, rows 0..<r then the column totals' row r, columns
/// 0..<c then the row totals' column c, each line of which adds up: Σ cells − total = 0.
struct SuppressionGrid {
    enum Visibility: Equatable { case shown, belowMinimum, masked }

    /// A position in the grid.
    struct Position: Hashable {
        let row: Int
        let column: Int
    }

    /// A one-step change of a hidden count, drawn as a move between a row node and a column
    /// node of the bipartite graph of lines: a cycle of such moves keeps every line's sum.
    struct Move {
        let from: Int
        let to: Int
        let position: Position
    }

    let rows: Int
    let columns: Int
    let minimumCount: Int
    let values: [[Int]]
    var visibility: [[Visibility]]

    init(_ table: CrossTab, minimumCount: Int) {
        rows = table.rowCount
        columns = table.columnCount
        self.minimumCount = minimumCount
        var values = table.counts.map { $0 + [$0.reduce(0, +)] }
        values.append(table.columnTotals + [table.grandTotal])
        self.values = values
        visibility = values.map { line in line.map { $0 < minimumCount ? .belowMinimum : .shown } }
    }

    func published(_ row: Int, _ column: Int) -> PublishedCount {
        switch visibility[row][column] {
        case .shown: .shown(values[row][column])
        case .belowMinimum: .belowMinimum
        case .masked: .masked
        }
    }

    var positions: [Position] {
        (0...rows).flatMap { row in (0...columns).map { Position(row: row, column: $0) } }
    }

    private func rowNode(_ position: Position) -> Int { position.row }
    private func columnNode(_ position: Position) -> Int { rows + 1 + position.column }
    private var nodeCount: Int { rows + columns + 2 }

    /// The moves a hidden count allows: up while its label still holds above it, down while it
    /// holds below. Totals enter their line's sum with a minus sign, so their moves run the
    /// other way (a cycle alternates signs; the grand total's two minus signs cancel).
    func moves(of position: Position, as state: Visibility) -> [Move] {
        let value = values[position.row][position.column]
        let lower: Int
        let upper: Int?
        switch state {
        case .shown: return []
        case .belowMinimum: (lower, upper) = (0, minimumCount - 1)
        case .masked: (lower, upper) = (minimumCount, nil)
        }
        let sign = (position.row == rows ? -1 : 1) * (position.column == columns ? -1 : 1)
        let (up, down) =
            sign == 1
            ? (Move(from: rowNode(position), to: columnNode(position), position: position),
               Move(from: columnNode(position), to: rowNode(position), position: position))
            : (Move(from: columnNode(position), to: rowNode(position), position: position),
               Move(from: rowNode(position), to: columnNode(position), position: position))
        var moves: [Move] = []
        if upper.map({ value < $0 }) ?? true { moves.append(up) }
        if value > lower { moves.append(down) }
        return moves
    }

    /// Every count's moves as a hidden count, by the node they leave: a shown count's are those
    /// it would have once masked, which is why this graph never changes; masking a count only
    /// makes its moves free to use.
    private func movesByNode() -> [[Move]] {
        var outgoing = Array(repeating: [Move](), count: nodeCount)
        for position in positions {
            let state = visibility[position.row][position.column]
            for move in moves(of: position, as: state == .shown ? .masked : state) { outgoing[move.from].append(move) }
        }
        return outgoing
    }

    private func isHidden(_ position: Position) -> Bool { visibility[position.row][position.column] != .shown }

    /// Whether a hidden count lies on a cycle of allowed moves of hidden counts: a path of
    /// other hidden counts' moves back from the end of one of its moves to its start.
    func isProtected(_ position: Position, graph: [[Move]]) -> Bool {
        moves(of: position, as: visibility[position.row][position.column]).contains { move in
            var reached = Array(repeating: false, count: nodeCount)
            reached[move.to] = true
            var frontier = [move.to]
            while let node = frontier.popLast() {
                if node == move.from { return true }
                for next in graph[node] where !reached[next.to] && next.position != position && isHidden(next.position) {
                    reached[next.to] = true
                    frontier.append(next.to)
                }
            }
            return false
        }
    }

    /// One pass suffices: masking only adds moves, so a count found protected stays so, and
    /// the counts masked to protect one lie on its cycle and are protected with it.
    mutating func protectEveryHiddenCount() {
        let graph = movesByNode()
        for exposed in positions where isHidden(exposed) && !isProtected(exposed, graph: graph) {
            if let path = cheapestProtection(of: exposed, graph: graph), !path.isEmpty {
                for position in path { visibility[position.row][position.column] = .masked }
            } else {
                // No cycle can be closed through the shown counts: hide them all. (With a
                // minimum of at least 2 every label leaves room to move, so this is the end.)
                for position in positions where !isHidden(position) {
                    visibility[position.row][position.column] = .masked
                }
            }
        }
    }

    /// The shown counts to mask so that the exposed count lies on a cycle, cheapest first.
    private func cheapestProtection(of exposed: Position, graph: [[Move]]) -> [Position]? {
        var best: (cost: Int, path: [Position])?
        for move in moves(of: exposed, as: visibility[exposed.row][exposed.column]) {
            guard let found = cheapestPath(from: move.to, to: move.from, avoiding: exposed, over: graph) else { continue }
            if best == nil || found.cost < best!.cost { best = found }
        }
        return best?.path.filter { !isHidden($0) }
    }

    /// Hiding few people first, cells before totals, the grand total last.
    private func maskingCost(_ position: Position) -> Int {
        let grandTotal = values[rows][columns]
        let isRowTotal = position.column == columns
        let isColumnTotal = position.row == rows
        let base = values[position.row][position.column] + 1
        switch (isRowTotal, isColumnTotal) {
        case (true, true): return base + 3 * (grandTotal + 1)
        case (true, false), (false, true): return base + grandTotal + 1
        case (false, false): return base
        }
    }

    /// Dijkstra's shortest path over the moves, with a binary heap: a breakdown by commune has
    /// thousands of rows.
    private func cheapestPath(from start: Int, to goal: Int, avoiding exposed: Position, over graph: [[Move]]) -> (cost: Int, path: [Position])? {
        var distance = Array(repeating: Int.max, count: nodeCount)
        var arrivedBy = Array(repeating: Move?.none, count: nodeCount)
        var queue = MinimumHeap()
        distance[start] = 0
        queue.insert(node: start, distance: 0)
        while let (node, reachedAt) = queue.popMinimum() {
            // A node is queued again each time its distance drops; only its last entry counts.
            guard reachedAt == distance[node] else { continue }
            if node == goal { break }
            for move in graph[node] where move.position != exposed {
                let through = reachedAt + (isHidden(move.position) ? 0 : maskingCost(move.position))
                if through < distance[move.to] {
                    distance[move.to] = through
                    arrivedBy[move.to] = move
                    queue.insert(node: move.to, distance: through)
                }
            }
        }
        guard distance[goal] != Int.max else { return nil }
        var path: [Position] = []
        var node = goal
        while node != start, let move = arrivedBy[node] {
            path.append(move.position)
            node = move.from
        }
        return (distance[goal], path)
    }
}

/// The nodes still to settle, nearest first.
private struct MinimumHeap {
    private var entries: [(node: Int, distance: Int)] = []

    mutating func insert(node: Int, distance: Int) {
        entries.append((node, distance))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].distance < entries[parent].distance else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMinimum() -> (node: Int, distance: Int)? {
        guard let first = entries.first else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < entries.count, entries[left].distance < entries[smallest].distance { smallest = left }
                if right < entries.count, entries[right].distance < entries[smallest].distance { smallest = right }
                guard smallest != parent else { break }
                entries.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }
}
