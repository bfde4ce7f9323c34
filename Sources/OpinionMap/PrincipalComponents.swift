import Foundation

/// The first two principal components of the centred vote matrix X (participants × statements):
/// the top two eigenvectors of XᵀX, found without ever forming XᵀX.
///
/// Power iteration with deflation, run on both vectors at once: each step multiplies both by
/// XᵀX (two passes over the votes: X q, then Xᵀ of that), normalises the first, and deflates
/// the second by removing its part along the first before normalising it (Gram–Schmidt).
/// The plane they span converges at the rate λ₃/λ₂, where two separate power iterations would
/// wait on λ₂/λ₁ (slow when two camps weigh alike); a final 2 × 2 eigen-decomposition in that
/// plane (Rayleigh–Ritz) turns it into the two components, the larger first.
///
/// Cost: each step is O(votes), so 10,000 participants × 1,000 statements with 500,000 votes
/// cost 2 × 500,000 × 2 multiply-adds a step, where a dense covariance would need 10⁹ cells to
/// build and 10⁶ a step. Warm-started from the previous map's components, a few votes more
/// move the plane little and it converges in a few steps: the incremental recompute.
struct PrincipalComponents: Sendable, Equatable {
    /// Loadings per statement (unit length, or all zero when the votes vary in fewer directions).
    var first: [Double]
    var second: [Double]
    /// The eigenvalues of XᵀX along each: the spread of the participants on each axis.
    var firstVariance: Double
    var secondVariance: Double
    var iterations: Int

    /// `start`: the previous components on the same statements (warm start), else a seeded
    /// random plane. `reference`: components to keep the signs of (warm start); without it, a
    /// component's largest loading (the first on a tie) is made positive.
    static func compute<P, S>(
        _ matrix: VoteMatrix<P, S>, start: ([Double], [Double])?, reference: ([Double], [Double])?, seed: UInt64,
        tolerance: Double, maximumIterations: Int
    ) -> PrincipalComponents {
        let columnCount = matrix.columnCount
        var generator = SeededGenerator(seed: seed)
        func randomVector() -> [Double] { (0..<columnCount).map { _ in generator.nextUnitInterval() * 2 - 1 } }
        var (first, second) = start ?? (randomVector(), randomVector())
        // A start too small to carry a direction (new statements only) is completed at random.
        if norm(first) < 1e-12 { first = randomVector() }
        if norm(second) < 1e-12 { second = randomVector() }
        (first, second) = orthonormalised(first, second)

        var iterations = 0
        while iterations < maximumIterations {
            iterations += 1
            let (nextFirst, nextSecond) = orthonormalised(timesCovariance(matrix, first, second))
            // How much of the new plane the old one misses: rank − ‖QₒₗᵈᵀQₙₑᵥᵥ‖², the sum of
            // the squared sines of the angles between the planes.
            let rank = (norm(nextFirst) > 0 ? 1.0 : 0) + (norm(nextSecond) > 0 ? 1.0 : 0)
            let overlap = pow2(dot(first, nextFirst)) + pow2(dot(first, nextSecond)) + pow2(dot(second, nextFirst)) + pow2(dot(second, nextSecond))
            first = nextFirst
            second = nextSecond
            if rank - overlap < tolerance { break }
        }

        // Rayleigh–Ritz: H = QᵀXᵀXQ, its eigenvectors rotate the plane onto the components.
        let (timesFirst, timesSecond) = timesCovariance(matrix, first, second)
        let h11 = dot(first, timesFirst)
        let h12 = dot(first, timesSecond)
        let h22 = dot(second, timesSecond)
        let angle = 0.5 * atan2(2 * h12, h11 - h22)
        let (cosine, sine) = (cos(angle), sin(angle))
        var components = (
            zip(first, second).map { cosine * $0 + sine * $1 },
            zip(first, second).map { -sine * $0 + cosine * $1 }
        )
        var variances = (
            h11 * cosine * cosine + 2 * h12 * cosine * sine + h22 * sine * sine,
            h11 * sine * sine - 2 * h12 * cosine * sine + h22 * cosine * cosine
        )
        if variances.1 > variances.0 {
            components = (components.1, components.0)
            variances = (variances.1, variances.0)
        }
        return PrincipalComponents(
            first: oriented(components.0, like: reference?.0), second: oriented(components.1, like: reference?.1),
            firstVariance: variances.0, secondVariance: variances.1, iterations: iterations
        )
    }

    private static func timesCovariance<P, S>(_ matrix: VoteMatrix<P, S>, _ first: [Double], _ second: [Double]) -> ([Double], [Double]) {
        let (rowsFirst, rowsSecond) = matrix.multiply(first, second)
        return matrix.multiplyTransposed(rowsFirst, rowsSecond)
    }

    /// The first normalised; the second deflated by the first, then normalised; a vector with
    /// nothing left becomes zero (votes varying along fewer than two directions).
    private static func orthonormalised(_ pair: ([Double], [Double])) -> ([Double], [Double]) {
        orthonormalised(pair.0, pair.1)
    }

    private static func orthonormalised(_ first: [Double], _ second: [Double]) -> ([Double], [Double]) {
        let firstNorm = norm(first)
        let scale = max(firstNorm, norm(second))
        guard firstNorm > 1e-12 * max(scale, 1e-300) else { return (first.map { _ in 0 }, normalised(second, floor: scale)) }
        let unitFirst = first.map { $0 / firstNorm }
        let along = dot(unitFirst, second)
        let deflated = zip(second, unitFirst).map { $0 - along * $1 }
        return (unitFirst, normalised(deflated, floor: scale))
    }

    private static func normalised(_ vector: [Double], floor scale: Double) -> [Double] {
        let length = norm(vector)
        guard length > 1e-10 * scale, length > 0 else { return vector.map { _ in 0 } }
        return vector.map { $0 / length }
    }

    /// The sign of an eigenvector is arbitrary: fixed so the map does not flip. With a reference
    /// (the previous map's component), the one pointing its way; otherwise the largest loading positive.
    private static func oriented(_ component: [Double], like reference: [Double]?) -> [Double] {
        if let reference, dot(component, reference) != 0 {
            return dot(component, reference) < 0 ? component.map { -$0 } : component
        }
        var largest = 0
        for index in component.indices where abs(component[index]) > abs(component[largest]) { largest = index }
        return component.isEmpty || component[largest] >= 0 ? component : component.map { -$0 }
    }
}

func dot(_ first: [Double], _ second: [Double]) -> Double {
    var sum = 0.0
    for index in first.indices { sum += first[index] * second[index] }
    return sum
}

func norm(_ vector: [Double]) -> Double { dot(vector, vector).squareRoot() }

private func pow2(_ value: Double) -> Double { value * value }
