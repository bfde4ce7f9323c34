/// A point k-means can cluster: the clustering needs only a squared distance and the weighted
/// mean of some points (the centre of a cluster). Conformances are given for the opinion map's
/// `MapPoint` and for dense vectors `[Double]` (Euclidean); other uses (text vectors, say)
/// conform their own type.
public protocol ClusterablePoint: Sendable {
    /// The squared distance to another point; k-means minimises the sum of these.
    func squaredDistance(to other: Self) -> Double
    /// The point minimising the weighted sum of squared distances to `points`; `weights` has
    /// one positive weight per point and `points` is never empty.
    static func weightedMean(of points: [Self], weights: [Double]) -> Self
}

/// A position on the two-dimensional opinion map.
public struct MapPoint: ClusterablePoint, Hashable, Codable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    public func squaredDistance(to other: MapPoint) -> Double {
        let dx = x - other.x
        let dy = y - other.y
        return dx * dx + dy * dy
    }

    public static func weightedMean(of points: [MapPoint], weights: [Double]) -> MapPoint {
        var sumX = 0.0
        var sumY = 0.0
        var total = 0.0
        for (point, weight) in zip(points, weights) {
            sumX += weight * point.x
            sumY += weight * point.y
            total += weight
        }
        return MapPoint(x: sumX / total, y: sumY / total)
    }
}

/// Dense vectors of one length, with the Euclidean distance.
extension Array: ClusterablePoint where Element == Double {
    public func squaredDistance(to other: [Double]) -> Double {
        precondition(count == other.count, "vectors of one length")
        var sum = 0.0
        for index in indices {
            let difference = self[index] - other[index]
            sum += difference * difference
        }
        return sum
    }

    public static func weightedMean(of points: [[Double]], weights: [Double]) -> [Double] {
        var sum = Array(repeating: 0.0, count: points[0].count)
        var total = 0.0
        for (point, weight) in zip(points, weights) {
            for index in sum.indices { sum[index] += weight * point[index] }
            total += weight
        }
        return sum.map { $0 / total }
    }
}

/// The outcome of a k-means clustering.
public struct KMeansClustering<Point: ClusterablePoint>: Sendable {
    /// The centres of the clusters, none of them empty.
    public let centres: [Point]
    /// For each point, the index of its cluster's centre.
    public let assignments: [Int]
    /// The weighted sum of squared distances of the points to their centres.
    public let inertia: Double
    /// The Lloyd iterations run (of the best restart).
    public let iterations: Int
}

/// k-means: k-means++ seeding (Arthur and Vassilvitskii) with the caller's seeded generator,
/// then Lloyd iterations until no point changes cluster. Deterministic: the same points,
/// weights and generator state give the same clustering (ties go to the lowest index).
///
/// Weights count how many identical members a point stands for (the opinion map clusters the
/// centres of its base clusters weighted by their sizes); without weights every point counts once.
public enum KMeans {
    /// Clusters `points` into at most `count` clusters: fewer when there are fewer distinct
    /// points. With several `restarts`, keeps the one of least inertia (the first on a tie).
    public static func cluster<Point: ClusterablePoint>(
        _ points: [Point], weights: [Double]? = nil, count: Int, generator: inout SeededGenerator,
        restarts: Int = 1, maximumIterations: Int = 100
    ) -> KMeansClustering<Point> {
        precondition(count > 0 && restarts > 0, "at least one cluster and one run")
        let weights = weights ?? Array(repeating: 1, count: points.count)
        precondition(weights.count == points.count && weights.allSatisfy { $0 > 0 }, "one positive weight per point")
        var best: KMeansClustering<Point>?
        for _ in 0..<restarts {
            let seeds = seedCentres(points, weights: weights, count: count, generator: &generator)
            let candidate = lloyd(points, weights: weights, centres: seeds, maximumIterations: maximumIterations)
            if best == nil || candidate.inertia < best!.inertia { best = candidate }
        }
        return best!
    }

    /// Lloyd iterations from given centres (a warm start: the centres of a previous clustering
    /// of nearly the same points converge in a few iterations).
    public static func refine<Point: ClusterablePoint>(
        _ points: [Point], weights: [Double]? = nil, from centres: [Point], maximumIterations: Int = 100
    ) -> KMeansClustering<Point> {
        precondition(!centres.isEmpty, "at least one centre")
        let weights = weights ?? Array(repeating: 1, count: points.count)
        precondition(weights.count == points.count && weights.allSatisfy { $0 > 0 }, "one positive weight per point")
        return lloyd(points, weights: weights, centres: centres, maximumIterations: maximumIterations)
    }

    /// k-means++: the first centre drawn with probability proportional to the weight, each next
    /// one proportional to the weight times the squared distance to the nearest centre so far.
    /// Stops early when every point already coincides with a centre.
    static func seedCentres<Point: ClusterablePoint>(
        _ points: [Point], weights: [Double], count: Int, generator: inout SeededGenerator
    ) -> [Point] {
        guard !points.isEmpty else { return [] }
        var centres = [points[draw(weights, generator: &generator)]]
        var nearest = points.map { $0.squaredDistance(to: centres[0]) }
        while centres.count < count {
            let scores = zip(nearest, weights).map { $0 * $1 }
            guard scores.reduce(0, +) > 0 else { break }
            let chosen = points[draw(scores, generator: &generator)]
            centres.append(chosen)
            for index in points.indices {
                nearest[index] = min(nearest[index], points[index].squaredDistance(to: chosen))
            }
        }
        return centres
    }

    /// An index drawn with probability proportional to its score (scores sum to more than 0).
    private static func draw(_ scores: [Double], generator: inout SeededGenerator) -> Int {
        let target = generator.nextUnitInterval() * scores.reduce(0, +)
        var cumulative = 0.0
        for (index, score) in scores.enumerated() {
            cumulative += score
            if target < cumulative { return index }
        }
        // Rounding can leave the target at the very end: the last point with a positive score.
        return scores.lastIndex { $0 > 0 }!
    }

    private static func lloyd<Point: ClusterablePoint>(
        _ points: [Point], weights: [Double], centres initial: [Point], maximumIterations: Int
    ) -> KMeansClustering<Point> {
        guard !points.isEmpty else { return KMeansClustering(centres: [], assignments: [], inertia: 0, iterations: 0) }
        var centres = initial
        var assignments = Array(repeating: -1, count: points.count)
        var iterations = 0
        while iterations < maximumIterations {
            iterations += 1
            var changed = false
            for (index, point) in points.enumerated() {
                let nearest = nearestCentre(of: point, among: centres)
                if assignments[index] != nearest {
                    assignments[index] = nearest
                    changed = true
                }
            }
            if !changed { break }
            centres = recomputedCentres(points, weights: weights, assignments: &assignments, centres: centres)
        }
        // Empty clusters (their centre kept no point) are dropped and the others renumbered.
        var renumbering = Array(repeating: -1, count: centres.count)
        var kept: [Point] = []
        for cluster in Set(assignments).sorted() {
            renumbering[cluster] = kept.count
            kept.append(centres[cluster])
        }
        let final = assignments.map { renumbering[$0] }
        var inertia = 0.0
        for (index, point) in points.enumerated() {
            inertia += weights[index] * point.squaredDistance(to: kept[final[index]])
        }
        return KMeansClustering(centres: kept, assignments: final, inertia: inertia, iterations: iterations)
    }

    static func nearestCentre<Point: ClusterablePoint>(of point: Point, among centres: [Point]) -> Int {
        var best = 0
        var bestDistance = Double.infinity
        for (index, centre) in centres.enumerated() {
            let distance = point.squaredDistance(to: centre)
            if distance < bestDistance {
                bestDistance = distance
                best = index
            }
        }
        return best
    }

    /// The weighted mean of each cluster's points. A cluster left empty takes the point
    /// farthest from its own centre, so k clusters stay k while distinct points allow it.
    private static func recomputedCentres<Point: ClusterablePoint>(
        _ points: [Point], weights: [Double], assignments: inout [Int], centres: [Point]
    ) -> [Point] {
        var members = Array(repeating: [Int](), count: centres.count)
        for (index, cluster) in assignments.enumerated() { members[cluster].append(index) }
        for empty in members.indices where members[empty].isEmpty {
            var farthest = -1
            var farthestDistance = 0.0
            for (index, point) in points.enumerated() where members[assignments[index]].count > 1 {
                let distance = point.squaredDistance(to: centres[assignments[index]])
                if distance > farthestDistance {
                    farthestDistance = distance
                    farthest = index
                }
            }
            guard farthest >= 0 else { continue }
            members[assignments[farthest]].removeAll { $0 == farthest }
            members[empty] = [farthest]
            assignments[farthest] = empty
        }
        return members.indices.map { cluster in
            members[cluster].isEmpty
                ? centres[cluster]
                : Point.weightedMean(of: members[cluster].map { points[$0] }, weights: members[cluster].map { weights[$0] })
        }
    }
}
