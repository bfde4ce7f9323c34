import Foundation
import SurveyStatistics
import Testing

/// The chi-square test against a published table and against the statistic recomputed here
/// from its definition, with p-values from closed forms (erfc for 1 df, e^(−x/2) for 2 df).
@Suite struct ChiSquareTests {
    /// Agresti, *An Introduction to Categorical Data Analysis* (2nd ed., 2007), the example of
    /// party identification by gender (General Social Survey, 2000):
    ///              Democrat  Independent  Republican
    ///   Females       762        327          468
    ///   Males         484        239          477
    /// Published: X² = 30.1, df = 2, P < 0.001; expected 703.7, 319.6, 533.7 / 542.3, 246.4, 411.3.
    static let partyByGender = try! CrossTab(
        rowLabels: ["Femmes", "Hommes"], columnLabels: ["Démocrate", "Indépendant", "Républicain"],
        counts: [[762, 327, 468], [484, 239, 477]]
    )

    static func pearsonStatistic(_ counts: [[Int]]) -> Double {
        let rows = counts.map { Double($0.reduce(0, +)) }
        let columns = counts[0].indices.map { column in Double(counts.reduce(0) { $0 + $1[column] }) }
        let total = rows.reduce(0, +)
        var statistic = 0.0
        for (i, row) in counts.enumerated() {
            for (j, observed) in row.enumerated() {
                let expected = rows[i] * columns[j] / total
                statistic += pow(Double(observed) - expected, 2) / expected
            }
        }
        return statistic
    }

    @Test func agrestiPartyIdentificationByGender() throws {
        // act
        let test = try ChiSquareTest(Self.partyByGender)
        // check
        #expect(test.degreesOfFreedom == 2)
        #expect(abs(test.statistic - 30.07) < 0.005)
        let statistic = Self.pearsonStatistic(Self.partyByGender.counts)
        #expect(abs(test.statistic - statistic) / statistic < 1e-12)
        // With 2 df the chi-square tail is e^(−x/2): about 2.95e-7.
        let expectedP = exp(-statistic / 2)
        #expect(abs(test.pValue - expectedP) / expectedP < 1e-9)
        let published = [[703.7, 319.6, 533.7], [542.3, 246.4, 411.3]]
        for row in 0..<2 {
            for column in 0..<3 {
                #expect(abs(test.expectedCounts[row][column] - published[row][column]) < 0.05)
            }
        }
        #expect(test.cellsExpectingFewerThanFive == 0)
    }

    @Test(arguments: [[[20, 30], [25, 15]], [[112, 87], [95, 101]], [[5, 9], [12, 6]]])
    func twoByTwoAgainstErfc(_ counts: [[Int]]) throws {
        let table = try CrossTab(rowLabels: ["a", "b"], columnLabels: ["x", "y"], counts: counts)
        let test = try ChiSquareTest(table)
        let statistic = Self.pearsonStatistic(counts)
        // The uncorrected statistic equals N (ad − bc)² / (r₁ r₂ c₁ c₂) for a 2×2 table.
        let (a, b, c, d) = (Double(counts[0][0]), Double(counts[0][1]), Double(counts[1][0]), Double(counts[1][1]))
        let shortcut = (a + b + c + d) * pow(a * d - b * c, 2) / ((a + b) * (c + d) * (a + c) * (b + d))
        #expect(abs(statistic - shortcut) / shortcut < 1e-12)
        #expect(abs(test.statistic - shortcut) / shortcut < 1e-12)
        #expect(test.degreesOfFreedom == 1)
        let expectedP = erfc((shortcut / 2).squareRoot())
        #expect(abs(test.pValue - expectedP) / expectedP < 1e-9)
    }

    @Test func emptyRowsAndColumnsAreLeftOut() throws {
        // The Agresti table with an empty row and an empty column added gives the same test.
        let padded = try CrossTab(
            rowLabels: ["Femmes", "Non précisé", "Hommes"], columnLabels: ["Démocrate", "Autre", "Indépendant", "Républicain"],
            counts: [[762, 0, 327, 468], [0, 0, 0, 0], [484, 0, 239, 477]]
        )
        let test = try ChiSquareTest(padded)
        let reference = try ChiSquareTest(Self.partyByGender)
        #expect(test.degreesOfFreedom == 2)
        #expect(test.statistic == reference.statistic)
        #expect(test.pValue == reference.pValue)
        #expect(test.expectedCounts[1] == [0, 0, 0, 0])
        #expect(test.expectedCounts[0][1] == 0)
        #expect(!test.pValue.isNaN)
    }

    @Test func perfectIndependenceHasPValueOne() throws {
        let table = try CrossTab(rowLabels: ["a", "b"], columnLabels: ["x", "y", "z"], counts: [[10, 20, 30], [20, 40, 60]])
        let test = try ChiSquareTest(table)
        #expect(test.statistic < 1e-12)
        #expect(abs(test.pValue - 1) < 1e-12)
    }

    @Test(arguments: [
        (["a"], ["x", "y", "z"], [[4, 5, 6]], UntestableTable.fewerThanTwoAnsweredRows),
        (["a", "b"], ["x"], [[4], [7]], .fewerThanTwoAnsweredColumns),
        (["a", "b"], ["x", "y"], [[0, 0], [0, 0]], .noAnswers),
        (["a", "b"], ["x", "y"], [[0, 0], [3, 8]], .fewerThanTwoAnsweredRows),
        ([], [], [], .noAnswers),
    ])
    func tablesWithNothingToCompareSaySo(_ rows: [String], _ columns: [String], _ counts: [[Int]], _ reason: UntestableTable) throws {
        let table = try CrossTab(rowLabels: rows, columnLabels: columns, counts: counts)
        #expect(throws: reason) { try ChiSquareTest(table) }
    }
}
