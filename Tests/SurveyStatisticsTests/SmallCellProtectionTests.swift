import Foundation
import SurveyStatistics
import Testing

/// Small counts are hidden, and no hidden count can be worked out from what is shown: every
/// protected table is attacked by linear algebra on its sums and by a search through every
/// table that fits what it publishes.
@Suite struct SmallCellProtectionTests {
    static func table(_ counts: [[Int]]) -> CrossTab {
        try! CrossTab(
            rowLabels: counts.indices.map { "ligne \($0)" }, columnLabels: (counts.first ?? []).indices.map { "colonne \($0)" }, counts: counts
        )
    }

    /// Checks what every protected table must satisfy, and returns how many counts it hides.
    @discardableResult
    static func expectProtected(_ table: CrossTab, rule: SmallCellRule = .default, searchEveryTable: Bool = true) -> Int {
        let published = ProtectedCrossTab(table, rule: rule)
        let attacks = DisclosureAttacks(table: table, published: published)
        // What is shown is true; what is hidden is labelled truthfully.
        for row in 0...attacks.rows {
            for column in 0...attacks.columns {
                let real = attacks.truth[row][column]
                switch attacks.published[row][column] {
                case .shown(let value): #expect(value == real && real >= rule.minimumCount, "\(table.counts) at \(row),\(column)")
                case .belowMinimum: #expect(real < rule.minimumCount)
                case .masked: #expect(real >= rule.minimumCount)
                }
            }
        }
        #expect(attacks.determinedByTheSums().isEmpty, "the sums give away \(attacks.determinedByTheSums()) in \(table.counts)")
        if searchEveryTable {
            for position in attacks.hidden {
                #expect(attacks.alternativeTable(changing: position) != nil, "\(position) can be worked out in \(table.counts)")
            }
        }
        return attacks.hidden.count
    }

    @Test func onePrimaryCellAloneIsGivenAwayByItsTotals() throws {
        // The attacks have teeth: hiding only the 4 lets anyone recompute it from its row.
        let table = Self.table([[40, 4, 25], [33, 18, 51], [22, 30, 12]])
        let naive = (0...3).map { row in
            (0...3).map { column -> PublishedCount in
                (row == 0 && column == 1) ? .belowMinimum : .shown(row < 3 ? (column < 3 ? table[row, column] : table.rowTotals[row]) : (column < 3 ? table.columnTotals[column] : table.grandTotal))
            }
        }
        let attacks = DisclosureAttacks(table: table, grid: naive, minimumCount: 10)
        #expect(attacks.determinedByTheSums() == [.init(row: 0, column: 1): 4])
        #expect(attacks.alternativeTable(changing: .init(row: 0, column: 1)) == nil)
    }

    @Test func twoHiddenCellsInARowAreNotEnoughWhenTheLabelsBoundThem() throws {
        // Row 0 holds 9 and 9 under « < 10 » with a shown total of 18 + 50: the sums leave one
        // degree of freedom, but both counts are at most 9, so both must be 9. The "two hidden
        // cells per line" rule would publish this; the library hides more.
        let table = Self.table([[9, 9, 50], [30, 40, 35], [25, 20, 60]])
        let naive = (0...3).map { row in
            (0...3).map { column -> PublishedCount in
                let real = row < 3 ? (column < 3 ? table[row, column] : table.rowTotals[row]) : (column < 3 ? table.columnTotals[column] : table.grandTotal)
                if row == 0 && column < 2 { return .belowMinimum }
                if row == 1 && column < 2 { return .masked }
                return .shown(real)
            }
        }
        let attacks = DisclosureAttacks(table: table, grid: naive, minimumCount: 10)
        #expect(attacks.determinedByTheSums().isEmpty)
        #expect(attacks.alternativeTable(changing: .init(row: 0, column: 0)) == nil)
        // check: the library's choice withstands both attacks
        Self.expectProtected(table)
    }

    @Test func aSingleSmallCellHidesAtLeastARectangle() {
        let table = Self.table([[40, 4, 25], [33, 18, 51], [22, 30, 12]])
        let published = ProtectedCrossTab(table)
        #expect(published.cells[0][1] == .belowMinimum)
        let hiddenCells = published.cells.flatMap { $0 }.filter(\.isHidden).count
        #expect(hiddenCells >= 4)
        #expect(published.grandTotal == .shown(235))
        Self.expectProtected(table)
    }

    @Test func emptyAndSmallCellsLookAlike() {
        let table = Self.table([[0, 7, 30], [25, 28, 31], [40, 33, 45]])
        let published = ProtectedCrossTab(table)
        #expect(published.cells[0][0] == published.cells[0][1])
        #expect(published.cells[0][0].frenchLabel(rule: published.rule) == "< 10")
        #expect(published.cells[0][1].frenchLabel(rule: published.rule) == "< 10")
        Self.expectProtected(table)
    }

    @Test func tablesWithoutSmallCountsAreShownWhole() {
        let table = ChiSquareTests.partyByGender
        let published = ProtectedCrossTab(table)
        #expect(published.cells.flatMap { $0 }.allSatisfy { !$0.isHidden })
        #expect(published.rowTotals == [.shown(1557), .shown(1200)])
        #expect(published.grandTotal == .shown(2757))
        #expect(published.rowPercentages[0][0] == table.rowPercentage(row: 0, column: 0))
        #expect(published.columnPercentages[1][2] == table.columnPercentage(row: 1, column: 2))
    }

    @Test func percentagesNextToHiddenCountsAreHiddenToo() {
        let table = Self.table([[40, 4, 25], [33, 18, 51], [22, 30, 12]])
        let published = ProtectedCrossTab(table)
        for row in 0..<3 {
            for column in 0..<3 {
                let rowShown = !published.cells[row][column].isHidden && !published.rowTotals[row].isHidden
                let columnShown = !published.cells[row][column].isHidden && !published.columnTotals[column].isHidden
                #expect((published.rowPercentages[row][column] != nil) == rowShown)
                #expect((published.columnPercentages[row][column] != nil) == columnShown)
                if rowShown { #expect(published.rowPercentages[row][column] == table.rowPercentage(row: row, column: column)) }
            }
        }
        #expect(published.rowPercentages[0][1] == nil)
    }

    @Test func smallTotalsAreHiddenAndProtectedLikeCells() {
        // Row 1 has 8 people in all: its total is small too, and so are its cells.
        let table = Self.table([[40, 35, 25], [3, 5, 0], [22, 30, 12]])
        let published = ProtectedCrossTab(table)
        #expect(published.rowTotals[1] == .belowMinimum)
        #expect(published.cells[1].allSatisfy { $0.isHidden })
        Self.expectProtected(table)
    }

    @Test(arguments: [
        [[3, 40, 25, 60]], [[0, 0, 0]], [[12], [4], [30]], [[5]], [[25]], [[9, 9], [9, 9]], [[0, 0], [0, 12]], [[1, 100], [100, 100]],
        [[10, 10, 10], [10, 1, 10], [10, 10, 10]],
    ])
    func edgeShapesAreProtected(_ counts: [[Int]]) {
        Self.expectProtected(Self.table(counts))
    }

    @Test func theMinimumIsConfigurable() throws {
        let table = Self.table([[7, 40], [30, 25]])
        let five = ProtectedCrossTab(table, rule: try SmallCellRule(minimumCount: 5))
        #expect(five.cells[0][0] == .shown(7))
        #expect(ProtectedCrossTab(table).cells[0][0] == .belowMinimum)
        #expect(ProtectedCrossTab(table).cells[0][0].frenchLabel(rule: .default) == "< 10")
        #expect(five.rule.frenchLegend.hasPrefix("« < 5 » : moins de 5 réponses"))
        #expect(throws: SmallCellRule.Invalid.minimumBelowTwo(1)) { try SmallCellRule(minimumCount: 1) }
        #expect(throws: SmallCellRule.Invalid.minimumBelowTwo(0)) {
            try JSONDecoder().decode(SmallCellRule.self, from: Data(#"{"minimumCount":0}"#.utf8))
        }
        let three = try SmallCellRule(minimumCount: 3)
        Self.expectProtected(Self.table([[2, 8, 6], [4, 0, 9]]), rule: three)
    }

    /// A deterministic generator, so a failing table can be replayed.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func randomSmallTablesWithstandBothAttacks() {
        var random = SplitMix64(state: 11)
        var hiddenInAll = 0
        for _ in 0..<400 {
            let rows = Int.random(in: 1...4, using: &random)
            let columns = Int.random(in: 1...4, using: &random)
            // Mostly counts around the minimum, where protection is hardest.
            let counts = (0..<rows).map { _ in
                (0..<columns).map { _ in Bool.random(using: &random) ? Int.random(in: 0...12, using: &random) : Int.random(in: 10...40, using: &random) }
            }
            hiddenInAll += Self.expectProtected(Self.table(counts))
        }
        #expect(hiddenInAll > 400)
    }

    @Test func randomLargeTablesWithstandTheSums() {
        var random = SplitMix64(state: 2026)
        for _ in 0..<40 {
            let rows = Int.random(in: 5...12, using: &random)
            let columns = Int.random(in: 4...8, using: &random)
            let counts = (0..<rows).map { _ in
                (0..<columns).map { _ in Int.random(in: 0...5, using: &random) == 0 ? Int.random(in: 0...9, using: &random) : Int.random(in: 10...300, using: &random) }
            }
            Self.expectProtected(Self.table(counts), searchEveryTable: false)
        }
    }

    @Test func nothingHiddenTravelsInThePublishedTable() throws {
        // The published value is what leaves survey-service: its JSON holds the shown counts
        // and no hidden one.
        let table = Self.table([[40, 7, 25], [33, 18, 51], [22, 30, 12]])
        let published = ProtectedCrossTab(table)
        let encoded = try JSONEncoder().encode(published)
        #expect(try JSONDecoder().decode(ProtectedCrossTab.self, from: encoded) == published)
        let cells = String(decoding: try JSONEncoder().encode(published.cells), as: UTF8.self)
        let numbers = cells.split(whereSeparator: { !$0.isNumber }).map { Int($0)! }
        let shown = published.cells.flatMap { $0 }.compactMap(\.shownValue)
        #expect(numbers == shown)
        #expect(cells.contains(#""belowMinimum""#) && cells.contains(#""masked""#))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PublishedCount.self, from: Data(#""seven""#.utf8)) }
    }
}
