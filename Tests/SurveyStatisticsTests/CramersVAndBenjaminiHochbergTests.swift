import Foundation
import MultipleTesting
import SurveyStatistics
import Testing

/// Cramér's V against the phi coefficient and the definition; Benjamini–Hochberg against
/// the example of their 1995 paper and against the definition applied by brute force.
@Suite struct CramersVAndBenjaminiHochbergTests {
    @Test(arguments: [[[20, 30], [25, 15]], [[1, 9], [11, 3]], [[50, 0], [0, 50]]])
    func cramersVOfATwoByTwoIsTheAbsolutePhi(_ counts: [[Int]]) throws {
        let table = try CrossTab(rowLabels: ["a", "b"], columnLabels: ["x", "y"], counts: counts)
        let v = CramersV(try ChiSquareTest(table), table: table)
        let (a, b, c, d) = (Double(counts[0][0]), Double(counts[0][1]), Double(counts[1][0]), Double(counts[1][1]))
        let phi = (a * d - b * c) / ((a + b) * (c + d) * (a + c) * (b + d)).squareRoot()
        #expect(abs(v.value - abs(phi)) < 1e-12)
        #expect(v.dimension == 1)
    }

    @Test func cramersVOfTheAgrestiTable() throws {
        let table = ChiSquareTests.partyByGender
        let v = CramersV(try ChiSquareTest(table), table: table)
        // √(30.07 / (2757 × 1)) ≈ 0.1044: a small effect.
        let expected = (ChiSquareTests.pearsonStatistic(table.counts) / 2757).squareRoot()
        #expect(abs(v.value - expected) < 1e-12)
        #expect(v.band == .small)
    }

    @Test func aPerfectLinkInASquareTableIsOne() throws {
        let table = try CrossTab(rowLabels: ["a", "b", "c"], columnLabels: ["x", "y", "z"], counts: [[7, 0, 0], [0, 12, 0], [0, 0, 9]])
        let v = CramersV(try ChiSquareTest(table), table: table)
        #expect(abs(v.value - 1) < 1e-12)
        #expect(v.dimension == 2)
        #expect(v.band == .large)
    }

    @Test(arguments: [
        (0.05, 1, EffectBand.negligible), (0.1, 1, .small), (0.29, 1, .small), (0.3, 1, .medium), (0.5, 1, .large),
        (0.2, 2, .small), (0.22, 2, .medium), (0.36, 2, .large), (0.06, 3, .small), (0.17, 3, .small), (0.18, 3, .medium),
    ])
    func bandsFollowCohenScaledByTheTableSize(_ value: Double, _ dimension: Int, _ band: EffectBand) {
        // Cohen's w bands 0.1 / 0.3 / 0.5 divided by √dimension: 0.071 / 0.212 / 0.354 for
        // dimension 2, 0.058 / 0.173 / 0.289 for dimension 3.
        #expect(EffectBand(cramersV: value, dimension: dimension) == band)
    }

    /// Benjamini & Hochberg (1995), J. R. Statist. Soc. B 57(1), the worked example: the 15 p-values of
    /// a myocardial infarction study; at q = 0.05 the procedure rejects the four smallest
    /// (Bonferroni only three).
    static let paperPValues = [
        0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0000,
    ]

    static func adjustedByDefinition(_ pValues: [Double]) -> [Double] {
        let m = Double(pValues.count)
        return pValues.map { p in
            // Rank i of p among the sorted values (ties share the highest rank), then the
            // smallest m p₍ⱼ₎ / j over j ≥ i.
            let sorted = pValues.sorted()
            let rank = sorted.lastIndex(of: p)! + 1
            return (rank...sorted.count).map { min(1, m * sorted[$0 - 1] / Double($0)) }.min()!
        }
    }

    @Test func benjaminiHochbergPaperExample() {
        let adjusted = BenjaminiHochberg.adjusted(Self.paperPValues)
        #expect(adjusted.map { $0 <= 0.05 } == Array(repeating: true, count: 4) + Array(repeating: false, count: 11))
        let definition = Self.adjustedByDefinition(Self.paperPValues)
        for (computed, expected) in zip(adjusted, definition) {
            #expect(abs(computed - expected) < 1e-12)
        }
        // The fourth: 15 × 0.0095 / 4 = 0.035625.
        #expect(abs(adjusted[3] - 0.035625) < 1e-12)
    }

    @Test func benjaminiHochbergKeepsTheGivenOrderAndCapsAtOne() {
        let pValues = [0.6, 0.01, 0.04, 0.9, 0.03, 0.03]
        let adjusted = BenjaminiHochberg.adjusted(pValues)
        let definition = Self.adjustedByDefinition(pValues)
        for (computed, expected) in zip(adjusted, definition) {
            #expect(abs(computed - expected) < 1e-12)
        }
        #expect(adjusted.allSatisfy { $0 <= 1 })
        #expect(zip(adjusted, pValues).allSatisfy { $0 >= $1 })
        #expect(BenjaminiHochberg.adjusted([]) == [])
        #expect(BenjaminiHochberg.adjusted([0.2]) == [0.2])
    }
}
