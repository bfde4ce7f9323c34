import Foundation
import MultipleTesting
import SurveyStatistics
import Testing

/// Which test a breakdown gets, its warnings, its verdict alone and among others, and the
/// plain-French reading the pages show.
@Suite struct BreakdownAnalysisTests {
    @Test func aLargeTableUsesChiSquareAndSaysTheDifferenceIsProbablyReal() throws {
        // act
        let analysis = BreakdownAnalysis(ChiSquareTests.partyByGender)
        // check
        #expect(analysis.method == .chiSquare)
        #expect(analysis.fisherExact == nil)
        #expect(analysis.warnings.isEmpty)
        #expect(analysis.verdict == .differenceProbablyReal)
        let explanation = analysis.frenchExplanation
        #expect(explanation.verdict.contains("probablement réel"))
        #expect(explanation.evidence?.contains("khi-deux = 30,07, 2 degrés de liberté, p < 0,001") == true)
        #expect(explanation.effectSize == "Ampleur de l'écart : faible (V de Cramér = 0,10).")
        #expect(explanation.cautions.isEmpty)
    }

    @Test func aSmallTwoByTwoUsesFishersExactTest() throws {
        // The tea-tasting table expects 2 answers per cell: Fisher decides, p = 34/70.
        let table = try CrossTab(rowLabels: ["Lait d'abord", "Thé d'abord"], columnLabels: ["Dit lait", "Dit thé"], counts: [[3, 1], [1, 3]])
        let analysis = BreakdownAnalysis(table)
        #expect(analysis.method == .fisherExact)
        #expect(abs(try #require(analysis.pValue) - 34.0 / 70.0) < 1e-12)
        #expect(analysis.chiSquare?.pValue != analysis.pValue)
        #expect(analysis.verdict == .couldBeChance)
        #expect(analysis.warnings.isEmpty)
        let explanation = analysis.frenchExplanation
        #expect(explanation.verdict.contains("pourrait être dû au hasard"))
        #expect(explanation.evidence?.hasPrefix("Test exact de Fisher") == true)
        #expect(explanation.evidence?.contains("p = 0,486") == true)
    }

    @Test func figuresAreWithheldNextToATableWithHiddenCounts() throws {
        // A table with a count under 10 is published with hidden counts: its explanation keeps
        // the verdict and the band in words, and quotes no figure a reader could match guesses to.
        let table = try CrossTab(rowLabels: ["Nord", "Aisne"], columnLabels: ["Oui", "Non"], counts: [[120, 4], [80, 30]])
        let published = ProtectedCrossTab(table)
        #expect(published.hidesAnyCount)
        #expect(!ProtectedCrossTab(ChiSquareTests.partyByGender).hidesAnyCount)
        let analyses = BreakdownAnalysis.readTogether([table, ChiSquareTests.partyByGender])
        let explanation = analyses[0].frenchExplanation(figures: .withheld)
        #expect(explanation.verdict == analyses[0].frenchExplanation.verdict)
        #expect(explanation.evidence == "Test du khi-deux d'indépendance, au seuil de 5\u{202F}%, corrigé parce que 2 croisements sont lus ensemble (Benjamini-Hochberg).")
        let band = try #require(analyses[0].cramersV?.band.frenchLabel)
        #expect(explanation.effectSize == "Ampleur de l'écart : \(band).")
        let everything = ([explanation.verdict, explanation.evidence, explanation.effectSize].compactMap { $0 } + explanation.cautions).joined()
        for figure in ["khi-deux =", "p =", "p <", "V de Cramér", "degré"] {
            #expect(!everything.contains(figure))
        }
        #expect(analyses[0].frenchExplanation.evidence?.contains("khi-deux = ") == true)
    }

    @Test func aLargeTwoByTwoKeepsChiSquare() throws {
        let table = try CrossTab(rowLabels: ["a", "b"], columnLabels: ["x", "y"], counts: [[20, 30], [25, 15]])
        #expect(BreakdownAnalysis(table).method == .chiSquare)
    }

    @Test func aLargerTableWithSmallExpectedCountsGetsAWarning() throws {
        let table = try CrossTab(rowLabels: ["a", "b", "c"], columnLabels: ["x", "y", "z"], counts: [[30, 2, 25], [28, 1, 31], [40, 3, 22]])
        let analysis = BreakdownAnalysis(table)
        #expect(analysis.method == .chiSquare)
        #expect(analysis.fisherExact == nil)
        let chiSquare = try #require(analysis.chiSquare)
        // Column y holds 6 of 182 answers: its three cells expect 57×6/182, 59×6/182, 65×6/182.
        #expect(abs(chiSquare.smallestExpectedCount - 57.0 * 6 / 182) < 1e-12)
        #expect(analysis.warnings == [.smallExpectedCounts(cells: 3, of: 9, smallest: chiSquare.smallestExpectedCount)])
        #expect(analysis.frenchExplanation.cautions == [
            "Attention : 3 cases attendent moins de 5 réponses sur 9 ; le résultat du test est alors approximatif. Regrouper des modalités le rendrait plus sûr."
        ])
    }

    @Test func emptyCategoriesAreNamed() throws {
        let table = try CrossTab(
            rowLabels: ["Nord", "Somme", "Oise"], columnLabels: ["Oui", "Non", "Ne sait pas"], counts: [[40, 60, 0], [0, 0, 0], [55, 45, 0]]
        )
        let analysis = BreakdownAnalysis(table)
        #expect(analysis.chiSquare?.degreesOfFreedom == 1)
        #expect(analysis.warnings == [.emptyCategoriesLeftOut(rows: ["Somme"], columns: ["Ne sait pas"])])
        #expect(analysis.frenchExplanation.cautions == ["Laissées de côté car personne n'y a répondu : « Somme », « Ne sait pas »."])
    }

    @Test(arguments: [
        ([[0, 0], [0, 0]], UntestableTable.noAnswers, "Aucune réponse"),
        ([[5, 7], [0, 0]], .fewerThanTwoAnsweredRows, "Une seule ligne"),
        ([[5, 0], [9, 0]], .fewerThanTwoAnsweredColumns, "une seule colonne"),
    ])
    func untestableTablesGiveAClearResultAndNoNaN(_ counts: [[Int]], _ reason: UntestableTable, _ wording: String) throws {
        let table = try CrossTab(rowLabels: ["a", "b"], columnLabels: ["x", "y"], counts: counts)
        let analysis = BreakdownAnalysis(table)
        #expect(analysis.verdict == .notTestable(reason))
        #expect(analysis.pValue == nil && analysis.cramersV == nil && analysis.chiSquare == nil)
        let explanation = analysis.frenchExplanation
        #expect(explanation.verdict.contains(wording))
        #expect(explanation.evidence == nil && explanation.effectSize == nil)
        // Percentages of an empty row are absent, never NaN.
        for row in 0..<2 {
            for column in 0..<2 {
                let percentages = [table.rowPercentage(row: row, column: column), table.columnPercentage(row: row, column: column)]
                #expect(percentages.allSatisfy { $0.map { !$0.isNaN } ?? true })
            }
        }
        #expect(table.percentageOfTotal(row: 0, column: 0) == (table.grandTotal == 0 ? nil : 100 * Double(counts[0][0]) / Double(table.grandTotal)))
    }

    @Test func oneRowTableIsNotTestable() throws {
        let table = try CrossTab(rowLabels: ["Tous"], columnLabels: ["1", "2", "3", "4"], counts: [[3, 8, 12, 5]])
        #expect(BreakdownAnalysis(table).verdict == .notTestable(.fewerThanTwoAnsweredRows))
    }

    @Test func breakdownsReadTogetherAreJudgedOnAdjustedPValues() throws {
        // Three breakdowns with raw p-values around 0.02–0.04: each alone is « probablement réel »;
        // read together, Benjamini–Hochberg lifts the larger ones above 0.05.
        let tables = try [[[30, 20], [20, 30]], [[28, 22], [20, 30]], [[60, 40], [40, 60]], [[5, 5], [5, 5]]].map {
            try CrossTab(rowLabels: ["a", "b"], columnLabels: ["x", "y"], counts: $0)
        }
        let untestable = try CrossTab(rowLabels: ["a"], columnLabels: ["x", "y"], counts: [[4, 6]])
        let alone = tables.map { BreakdownAnalysis($0) }
        let together = BreakdownAnalysis.readTogether(tables + [untestable])
        let raw = alone.map { $0.pValue! }
        let adjusted = BenjaminiHochberg.adjusted(raw)
        #expect(together.count == 5)
        for index in tables.indices {
            #expect(together[index].pValue == raw[index])
            #expect(together[index].adjustedPValue == adjusted[index])
            #expect(together[index].breakdownsReadTogether == 4)
        }
        #expect(together[4].verdict == .notTestable(.fewerThanTwoAnsweredRows))
        #expect(together[4].adjustedPValue == nil)
        let flipped = tables.indices.filter { alone[$0].verdict == .differenceProbablyReal && together[$0].verdict == .couldBeChance }
        #expect(!flipped.isEmpty)
        #expect(together[flipped[0]].frenchExplanation.evidence?.contains("4 croisements sont lus ensemble") == true)
    }

    @Test func tablesComeFromGroupedRowsWithZerosFilledIn() throws {
        // What `SELECT row, column, count(*) … GROUP BY row, column` returns: absent pairs count zero.
        let table = try CrossTab(
            rowLabels: ["Nord", "Oise"], columnLabels: ["Oui", "Non"],
            groupedCounts: [(row: "Nord", column: "Oui", count: 12), (row: "Oise", column: "Non", count: 4)]
        )
        #expect(table.counts == [[12, 0], [0, 4]])
        #expect(table.rowTotals == [12, 4] && table.columnTotals == [12, 4] && table.grandTotal == 16)
        #expect(throws: CrossTabError.unknownColumnLabel("Peut-être")) {
            try CrossTab(rowLabels: ["Nord"], columnLabels: ["Oui"], groupedCounts: [(row: "Nord", column: "Peut-être", count: 1)])
        }
        #expect(throws: CrossTabError.repeatedCombination(row: "Nord", column: "Oui")) {
            try CrossTab(rowLabels: ["Nord"], columnLabels: ["Oui"], groupedCounts: [("Nord", "Oui", 1), ("Nord", "Oui", 2)])
        }
    }

    @Test func malformedCountsAreRefused() {
        #expect(throws: CrossTabError.rowCountMismatch(labels: 2, countRows: 1)) {
            try CrossTab(rowLabels: ["a", "b"], columnLabels: ["x"], counts: [[1]])
        }
        #expect(throws: CrossTabError.columnCountMismatch(row: 1, labels: 2, counts: 1)) {
            try CrossTab(rowLabels: ["a", "b"], columnLabels: ["x", "y"], counts: [[1, 2], [3]])
        }
        #expect(throws: CrossTabError.negativeCount(row: 0, column: 1)) {
            try CrossTab(rowLabels: ["a"], columnLabels: ["x", "y"], counts: [[1, -2]])
        }
        let json = Data(#"{"rowLabels":["a"],"columnLabels":["x"],"counts":[[-1]]}"#.utf8)
        #expect(throws: CrossTabError.negativeCount(row: 0, column: 0)) { try JSONDecoder().decode(CrossTab.self, from: json) }
    }

    @Test func percentagesOfRowsAndColumns() throws {
        let table = ChiSquareTests.partyByGender
        #expect(abs(try #require(table.rowPercentage(row: 0, column: 0)) - 100 * 762.0 / 1557) < 1e-12)
        #expect(abs(try #require(table.columnPercentage(row: 1, column: 2)) - 100 * 477.0 / 945) < 1e-12)
        let rowSum = (0..<3).reduce(0.0) { $0 + table.rowPercentage(row: 1, column: $1)! }
        #expect(abs(rowSum - 100) < 1e-9)
    }
}
