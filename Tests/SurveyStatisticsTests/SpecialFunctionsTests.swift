import Foundation
import SurveyStatistics
import Testing

/// The incomplete gamma function against closed forms that use nothing of the library:
/// Q(1/2, x) = erfc(√x), Q(3/2, x) = erfc(√x) + 2√(x/π) e^(−x), and for whole a = k,
/// Q(k, x) = e^(−x) Σ_{i<k} xⁱ / i!; each on both sides of x = a + 1, where the
/// implementation switches from the series to the continued fraction.
@Suite struct SpecialFunctionsTests {
    static func relativeError(_ actual: Double, _ expected: Double) -> Double {
        abs(actual - expected) / abs(expected)
    }

    static func poissonTail(_ k: Int, _ x: Double) -> Double {
        var term = exp(-x)
        var sum = term
        for i in 1..<k {
            term *= x / Double(i)
            sum += term
        }
        return sum
    }

    @Test(arguments: [0.001, 0.2, 0.9, 1.5, 3, 12, 40])
    func halfIntegerOrderMatchesErfc(_ x: Double) {
        let half = SpecialFunctions.regularizedUpperGamma(0.5, x)
        #expect(Self.relativeError(half, erfc(x.squareRoot())) < 1e-10, "Q(0.5, \(x))")
        let threeHalves = SpecialFunctions.regularizedUpperGamma(1.5, x)
        let expected = erfc(x.squareRoot()) + 2 * (x / Double.pi).squareRoot() * exp(-x)
        #expect(Self.relativeError(threeHalves, expected) < 1e-10, "Q(1.5, \(x))")
    }

    @Test(arguments: [(1, 0.3), (1, 5.0), (2, 0.5), (2, 7.0), (5, 2.0), (5, 11.0), (20, 10.0), (20, 35.0), (50, 40.0), (50, 90.0)])
    func wholeOrderMatchesPoissonTail(_ k: Int, _ x: Double) {
        let q = SpecialFunctions.regularizedUpperGamma(Double(k), x)
        #expect(Self.relativeError(q, Self.poissonTail(k, x)) < 1e-10, "Q(\(k), \(x))")
        let p = SpecialFunctions.regularizedLowerGamma(Double(k), x)
        #expect(abs(p + q - 1) < 1e-12)
    }

    @Test func chiSquareSurvivalOfPrintedCriticalValues() {
        // Critical values printed in chi-square tables (e.g. NIST/SEMATECH e-Handbook, 1.3.6.7.4):
        // 3.841 for 1 df and 124.342 for 100 df at 5 %, 6.635 for 1 df at 1 %. The tables round
        // to three decimals, hence the tolerance on the 5 % and 1 % probabilities.
        #expect(abs(SpecialFunctions.chiSquareSurvival(3.841, degreesOfFreedom: 1) - 0.05) < 1e-4)
        #expect(abs(SpecialFunctions.chiSquareSurvival(6.635, degreesOfFreedom: 1) - 0.01) < 1e-4)
        #expect(abs(SpecialFunctions.chiSquareSurvival(124.342, degreesOfFreedom: 100) - 0.05) < 1e-4)
    }

    @Test func tinyTailsKeepTheirRelativeAccuracy() {
        // χ² = 1000 with 500 df: Q(250, 500) by the Poisson sum, ≈ 1.2e-35, far below 1 − P's reach.
        let q = SpecialFunctions.chiSquareSurvival(1000, degreesOfFreedom: 500)
        #expect(q > 0)
        #expect(Self.relativeError(q, Self.poissonTail(250, 500)) < 1e-8)
    }

    @Test func logGammaAgainstFactorials() {
        var factorial = 1.0
        for n in 1...30 {
            factorial *= Double(n)
            #expect(Self.relativeError(SpecialFunctions.logGamma(Double(n) + 1), log(factorial)) < 1e-13 || n == 1)
            #expect(abs(SpecialFunctions.logFactorial(n) - log(factorial)) < 1e-12)
        }
        // Γ(1/2) = √π.
        #expect(abs(SpecialFunctions.logGamma(0.5) - 0.5 * log(Double.pi)) < 1e-13)
        // Past the exact table: ln 1000! from Stirling's series with three correction terms.
        let n = 1000.0
        let stirling = n * log(n) - n + 0.5 * log(2 * Double.pi * n) + 1 / (12 * n) - 1 / (360 * n * n * n) + 1 / (1260 * pow(n, 5))
        #expect(Self.relativeError(SpecialFunctions.logFactorial(1000), stirling) < 1e-14)
    }

    @Test func edgesOfTheDomain() {
        #expect(SpecialFunctions.regularizedUpperGamma(3, 0) == 1)
        #expect(SpecialFunctions.chiSquareSurvival(0, degreesOfFreedom: 4) == 1)
        #expect(SpecialFunctions.regularizedUpperGamma(3, .infinity) == 0)
    }
}
