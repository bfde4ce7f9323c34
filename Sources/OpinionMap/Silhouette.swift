/// The silhouette of a clustering (Rousseeuw 1987): for each point, a = its mean distance to
/// the other members of its cluster, b = its mean distance to the members of the nearest other
/// cluster, s = (b − a) / max(a, b); the score is the mean of s, from −1 to 1, higher when
/// clusters are tight and apart. It chooses the number of clusters.
public enum Silhouette {
    /// The mean silhouette. `weights` count identical members a point stands for (a base
    /// cluster of the opinion map is its members gathered at its centre): a point of weight w
    /// sees w − 1 others of its cluster at distance 0. Without weights it is the usual silhouette.
    /// A point alone in its cluster scores 0; fewer than two clusters score 0.
    public static func score<Point: ClusterablePoint>(_ points: [Point], weights: [Double]? = nil, assignments: [Int]) -> Double {
        precondition(assignments.count == points.count, "one cluster per point")
        let weights = weights ?? Array(repeating: 1, count: points.count)
        guard let clusterCount = assignments.max().map({ $0 + 1 }), Set(assignments).count >= 2 else { return 0 }
        var clusterWeights = Array(repeating: 0.0, count: clusterCount)
        for (cluster, weight) in zip(assignments, weights) { clusterWeights[cluster] += weight }
        var weightedSum = 0.0
        var totalWeight = 0.0
        var distanceSums = Array(repeating: 0.0, count: clusterCount)
        for (index, point) in points.enumerated() {
            for cluster in distanceSums.indices { distanceSums[cluster] = 0 }
            for (other, otherPoint) in points.enumerated() where other != index {
                distanceSums[assignments[other]] += weights[other] * point.squaredDistance(to: otherPoint).squareRoot()
            }
            let own = assignments[index]
            let othersInOwn = clusterWeights[own] - 1
            var silhouette = 0.0
            if othersInOwn > 0 {
                let a = distanceSums[own] / othersInOwn
                var b = Double.infinity
                for cluster in distanceSums.indices where cluster != own && clusterWeights[cluster] > 0 {
                    b = min(b, distanceSums[cluster] / clusterWeights[cluster])
                }
                let larger = max(a, b)
                silhouette = larger > 0 ? (b - a) / larger : 0
            }
            weightedSum += weights[index] * silhouette
            totalWeight += weights[index]
        }
        return weightedSum / totalWeight
    }
}
