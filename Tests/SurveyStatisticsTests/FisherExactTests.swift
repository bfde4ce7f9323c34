import Foundation
import SurveyStatistics
import Testing

/// Fisher's exact test against published tables and against exact fractions computed here
/// with whole-number binomial coefficients (no logarithms, no floating point until the end).
@Suite struct FisherExactTests {
    /// C(n, k) exactly, for the small tables of these tests.
    static func choose(_ n: Int, _ k: Int) -> UInt64 {
        guard k >= 0, k <= n else { return 0 }
        var result: UInt64 = 1
        for i in 0..<min(k, n - k) {
            result = result * UInt64(n - i) / UInt64(i + 1)
        }
        return result
    }

    /// Two-sided p as an exact fraction: the tables with the same margins whose count of
    /// arrangements is at most the observed one's, over all arrangements.
    static func exactPValue(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double {
        let (firstRow, secondRow, firstColumn) = (a + b, c + d, a + c)
        let weight = { (k: Int) in choose(firstRow, k) * choose(secondRow, firstColumn - k) }
        let observed = weight(a)
        var favourable: UInt64 = 0
        var all: UInt64 = 0
        for k in 0...firstColumn {
            let w = weight(k)
            all += w
            if w <= observed { favourable += w }
        }
        return Double(favourable) / Double(all)
    }

    @Test func ladyTastingTea() {
        // Fisher, *The Design of Experiments* (1935), ch. II: eight cups, four with the milk
        // poured first; the lady names four, three of them rightly.
        //                 guessed milk first   guessed tea first
        //   milk first            3                    1
        //   tea first             1                    3
        // The 70 ways to choose four cups: 1 + 16 + 36 + 16 + 1; tables as or less likely than
        // the observed (16) are 1 + 16 + 16 + 1 = 34, so p = 34/70.
        let test = FisherExactTest(3, 1, 1, 3)
        #expect(abs(test.pValue - 34.0 / 70.0) / (34.0 / 70.0) < 1e-12)
    }

    @Test func dietingExample() {
        // The teenagers-on-a-diet example of the "Fisher's exact test" article (Wikipedia):
        //            men  women
        //   dieting    1      9
        //   not       11      3
        // Published two-sided p ≈ 0.002759.
        let test = FisherExactTest(1, 9, 11, 3)
        #expect(abs(test.pValue - 0.002759) < 5e-7)
        let exact = Self.exactPValue(1, 9, 11, 3)
        #expect(abs(test.pValue - exact) / exact < 1e-9)
    }

    @Test func matchesExactFractionsOnManyTables() {
        var checked = 0
        for a in 0...7 {
            for b in 0...6 {
                for c in 0...7 {
                    for d in [0, 1, 4, 9] where a + b + c + d > 0 {
                        let exact = Self.exactPValue(a, b, c, d)
                        let computed = FisherExactTest(a, b, c, d).pValue
                        #expect(abs(computed - exact) / exact < 1e-9, "\([a, b, c, d])")
                        #expect(computed <= 1)
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 1000)
    }

    @Test func fromATableLeavesEmptyCategoriesOut() throws {
        let table = try CrossTab(rowLabels: ["a", "vide", "b"], columnLabels: ["x", "y"], counts: [[3, 1], [0, 0], [1, 3]])
        #expect(try FisherExactTest(table).pValue == FisherExactTest(3, 1, 1, 3).pValue)
        let larger = try CrossTab(rowLabels: ["a", "b", "c"], columnLabels: ["x", "y"], counts: [[3, 1], [2, 2], [1, 3]])
        #expect(throws: FisherExactTest.Unsuitable.notTwoByTwo) { try FisherExactTest(larger) }
        let oneRow = try CrossTab(rowLabels: ["a", "b"], columnLabels: ["x", "y"], counts: [[3, 1], [0, 0]])
        #expect(throws: FisherExactTest.Unsuitable.untestable(.fewerThanTwoAnsweredRows)) { try FisherExactTest(oneRow) }
    }

    @Test func largeCountsStayFinite() {
        // Where the exact test is used on a big survey: a rare answer in a large population,
        // 200,005 answers; the factorials overflow a Double, their logarithms do not.
        let rare = FisherExactTest(2, 50_000, 3, 150_000)
        #expect(rare.pValue.isFinite && rare.pValue > 0 && rare.pValue <= 1)
        let exactRare = Self.hypergeometricTwoSided(2, 50_000, 3, 150_000)
        #expect(abs(rare.pValue - exactRare) / exactRare < 1e-9)
        // 20,000 answers split evenly: the probabilities themselves underflow at the tails.
        let even = FisherExactTest(5_000, 5_000, 5_000, 5_000)
        #expect(abs(even.pValue - 1) < 1e-9)
    }

    /// The two-sided p of a table whose first column is small, by the hypergeometric
    /// probabilities' ratio from one table to the next (a route the library does not take).
    static func hypergeometricTwoSided(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double {
        let (firstRow, secondRow, firstColumn) = (Double(a + b), Double(c + d), a + c)
        // P(k + 1) / P(k) = (firstRow − k)(firstColumn − k) / ((k + 1)(secondRow − firstColumn + k + 1)).
        var weights = [1.0]
        for k in 0..<firstColumn {
            let x = Double(k)
            weights.append(weights[k] * (firstRow - x) * (Double(firstColumn) - x) / ((x + 1) * (secondRow - Double(firstColumn) + x + 1)))
        }
        let all = weights.reduce(0, +)
        let observed = weights[a]
        return weights.filter { $0 <= observed * (1 + 1e-7) }.reduce(0, +) / all
    }
}
