import Foundation

/// The gamma-function family behind the chi-square distribution and the exact test, written
/// here (Lanczos; series and continued fraction) so the library needs nothing but Foundation,
/// and because glibc's `lgamma` writes a process-wide global, a data race under concurrency.
public enum SpecialFunctions {
    /// Lanczos coefficients for g = 7, nine terms: about 15 significant digits for x > 0.
    private static let lanczosG = 7.0
    private static let lanczosCoefficients: [Double] = [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    ]

    /// ln Γ(x) for x > 0.
    public static func logGamma(_ x: Double) -> Double {
        precondition(x > 0, "logGamma is defined here for positive arguments only")
        if x < 0.5 {
            // Reflection keeps the approximation in its accurate range: Γ(x)Γ(1−x) = π / sin(πx).
            return log(Double.pi / sin(Double.pi * x)) - logGamma(1 - x)
        }
        let shifted = x - 1
        var sum = lanczosCoefficients[0]
        for index in 1..<lanczosCoefficients.count {
            sum += lanczosCoefficients[index] / (shifted + Double(index))
        }
        let t = shifted + lanczosG + 0.5
        return 0.5 * log(2 * Double.pi) + (shifted + 0.5) * log(t) - t + log(sum)
    }

    /// ln n!, exact from a product for small n (where the exact test spends most of its time
    /// on small tables), from ln Γ(n + 1) above.
    public static func logFactorial(_ n: Int) -> Double {
        precondition(n >= 0, "factorial of a negative number")
        if n < smallLogFactorials.count { return smallLogFactorials[n] }
        return logGamma(Double(n) + 1)
    }

    private static let smallLogFactorials: [Double] = {
        var table = [0.0]
        var product = 1.0
        for n in 1...170 {
            product *= Double(n)
            table.append(log(product))
        }
        return table
    }()

    /// Q(a, x) = Γ(a, x) / Γ(a): the regularized upper incomplete gamma function, for a > 0, x ≥ 0.
    public static func regularizedUpperGamma(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0 && x >= 0, "Q(a, x) needs a > 0 and x ≥ 0")
        if x == 0 { return 1 }
        if x.isInfinite { return 0 }
        // The series converges fast below a + 1, the continued fraction above: each is used
        // where it needs few terms, and Q is taken directly from the fraction so that tiny
        // p-values keep their relative accuracy instead of vanishing in 1 − P.
        if x < a + 1 {
            return max(0, 1 - lowerSeries(a, x))
        }
        return upperContinuedFraction(a, x)
    }

    /// P(a, x) = 1 − Q(a, x).
    public static func regularizedLowerGamma(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0 && x >= 0, "P(a, x) needs a > 0 and x ≥ 0")
        if x == 0 { return 0 }
        if x.isInfinite { return 1 }
        if x < a + 1 { return lowerSeries(a, x) }
        return max(0, 1 - upperContinuedFraction(a, x))
    }

    /// The probability that a chi-square variable with `degreesOfFreedom` exceeds `statistic`.
    public static func chiSquareSurvival(_ statistic: Double, degreesOfFreedom: Int) -> Double {
        precondition(degreesOfFreedom > 0, "chi-square needs at least one degree of freedom")
        return regularizedUpperGamma(Double(degreesOfFreedom) / 2, max(0, statistic) / 2)
    }

    private static let relativeTolerance = 1e-15
    private static let maximumIterations = 10_000

    /// P(a, x) = e^(−x) x^a / Γ(a) × Σ x^n / (a (a+1) … (a+n)).
    private static func lowerSeries(_ a: Double, _ x: Double) -> Double {
        var denominator = a
        var term = 1 / a
        var sum = term
        for _ in 0..<maximumIterations {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * relativeTolerance { break }
        }
        return min(1, sum * exp(-x + a * log(x) - logGamma(a)))
    }

    /// Q(a, x) = e^(−x) x^a / Γ(a) × 1 / (x + 1 − a − 1·(1 − a) / (x + 3 − a − 2·(2 − a) / (x + 5 − a − …))),
    /// evaluated by the modified Lentz method.
    private static func upperContinuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = Double.leastNormalMagnitude / Double.ulpOfOne
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var fraction = d
        for iteration in 1...maximumIterations {
            let n = Double(iteration)
            let an = -n * (n - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            fraction *= step
            if abs(step - 1) < relativeTolerance { break }
        }
        return min(1, exp(-x + a * log(x) - logGamma(a)) * fraction)
    }
}
