import OpinionMap
import Testing

/// k-means and silhouette on any point type, the adjusted Rand index, the seeded generator.
@Suite struct ClusteringTests {
    /// Three tight blobs of dense 3-D vectors (the generic conformance, not the map's points).
    static func blobs(seed: UInt64) -> (points: [[Double]], labels: [Int]) {
        var generator = SeededGenerator(seed: seed)
        let centres: [[Double]] = [[0, 0, 0], [10, 0, 5], [0, 10, -5]]
        var points: [[Double]] = []
        var labels: [Int] = []
        for (label, centre) in centres.enumerated() {
            for _ in 0..<20 {
                points.append(centre.map { $0 + generator.nextUnitInterval() * 2 - 1 })
                labels.append(label)
            }
        }
        return (points, labels)
    }

    @Test func kMeansFindsThreeBlobsAndTheSilhouetteChoosesThree() {
        let (points, labels) = Self.blobs(seed: 5)
        var scores: [Int: Double] = [:]
        for k in 2...5 {
            var generator = SeededGenerator(seed: 1)
            let clustering = KMeans.cluster(points, count: k, generator: &generator, restarts: 3)
            #expect(clustering.centres.count == k)
            if k == 3 { #expect(adjustedRandIndex(clustering.assignments, labels) == 1) }
            scores[k] = Silhouette.score(points, assignments: clustering.assignments)
        }
        #expect(scores.max { $0.value < $1.value }?.key == 3)
    }

    @Test func kMeansIsDeterministicAndRefinesFromGivenCentres() {
        let (points, labels) = Self.blobs(seed: 6)
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        let a = KMeans.cluster(points, count: 3, generator: &first)
        let b = KMeans.cluster(points, count: 3, generator: &second)
        #expect(a.assignments == b.assignments && a.centres == b.centres)
        // From the right centres, Lloyd stops after the first pass that changes nothing.
        let refined = KMeans.refine(points, from: a.centres)
        #expect(refined.iterations == 2)
        #expect(adjustedRandIndex(refined.assignments, labels) == 1)
    }

    @Test func kMeansNeverReturnsMoreClustersThanDistinctPoints() {
        let points = Array(repeating: MapPoint(x: 1, y: 1), count: 5) + Array(repeating: MapPoint(x: 4, y: 5), count: 5)
        var generator = SeededGenerator(seed: 3)
        let clustering = KMeans.cluster(points, count: 4, generator: &generator)
        #expect(clustering.centres.count == 2)
        #expect(clustering.inertia == 0)
    }

    /// Points 0, 1 in one cluster, 4, 6 in the other, on a line:
    ///     0: a = 1, b = (4 + 6)/2 = 5, s = 4/5 = 0.8
    ///     1: a = 1, b = (3 + 5)/2 = 4, s = 3/4 = 0.75
    ///     4: a = 2, b = (4 + 3)/2 = 3.5, s = 1.5/3.5 = 0.428571
    ///     6: a = 2, b = (6 + 5)/2 = 5.5, s = 3.5/5.5 = 0.636364
    ///     mean = 2.614935 / 4 = 0.653734
    @Test func silhouetteAgainstAHandComputation() {
        let points = [0.0, 1, 4, 6].map { MapPoint(x: $0, y: 0) }
        let score = Silhouette.score(points, assignments: [0, 0, 1, 1])
        #expect(abs(score - (0.8 + 0.75 + 1.5 / 3.5 + 3.5 / 5.5) / 4) < 1e-12)
        #expect(Silhouette.score(points, assignments: [0, 0, 0, 0]) == 0)
    }

    @Test func aWeightedPointCountsAsThatManyIdenticalPoints() {
        let points = [0.0, 1, 4, 6, 7].map { MapPoint(x: $0, y: 0) }
        let weighted = Silhouette.score(points, weights: [3, 1, 2, 1, 1], assignments: [0, 0, 1, 1, 1])
        let expanded = [0.0, 0, 0, 1, 4, 4, 6, 7].map { MapPoint(x: $0, y: 0) }
        let unweighted = Silhouette.score(expanded, assignments: [0, 0, 0, 0, 1, 1, 1, 1])
        #expect(abs(weighted - unweighted) < 1e-12)
    }

    /// Partitions {a a a b b b} and {x x y y y y}, contingency [[2, 1], [0, 3]]:
    ///     Σ C(nᵢⱼ, 2) = 1 + 0 + 0 + 3 = 4; rows C(3,2) + C(3,2) = 6; columns C(2,2) + C(4,2) = 7;
    ///     expected = 6 × 7 / C(6,2) = 42 / 15 = 2.8; maximum = (6 + 7)/2 = 6.5;
    ///     ARI = (4 − 2.8) / (6.5 − 2.8) = 1.2 / 3.7 = 0.324324
    @Test func adjustedRandIndexAgainstAHandComputation() {
        #expect(abs(adjustedRandIndex(["a", "a", "a", "b", "b", "b"], ["x", "x", "y", "y", "y", "y"]) - 1.2 / 3.7) < 1e-12)
        #expect(adjustedRandIndex([1, 1, 2, 2, 3], ["c", "c", "a", "a", "b"]) == 1, "labels do not matter")
        #expect(adjustedRandIndex([1, 1, 1, 1], [1, 2, 3, 4]) == 0)
    }

    @Test func theSeededGeneratorRepeatsItselfAndStaysInRange() {
        var first = SeededGenerator(seed: 2026)
        var second = SeededGenerator(seed: 2026)
        var other = SeededGenerator(seed: 2027)
        let sequence = (0..<100).map { _ in first.next() }
        #expect(sequence == (0..<100).map { _ in second.next() })
        #expect(sequence != (0..<100).map { _ in other.next() })
        for _ in 0..<1000 {
            let unit = first.nextUnitInterval()
            #expect(unit >= 0 && unit < 1)
            #expect((0..<7).contains(first.nextIndex(below: 7)))
        }
    }
}
