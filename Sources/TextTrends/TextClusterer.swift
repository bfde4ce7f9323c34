public import Foundation
import OpinionMap

/// One group of similar texts.
public struct TextCluster: Sendable, Equatable {
    /// Its texts, sorted by id.
    public let documentIDs: [UUID]
    /// Its texts closest to its centre (in the reduced space), closest first.
    public let representativeIDs: [UUID]
    /// What the group says more than the other texts: its key phrases, or its key words when
    /// its texts share no phrase (`TrendAnalyzer`, the group against the rest).
    public let keyTerms: [Trend]
    /// Built from its first key terms (« urgences de l'hôpital · médecins de garde »).
    public let label: String
}

/// Two texts whose TF-IDF vectors' cosine reaches the threshold.
public struct NearDuplicate: Sendable, Equatable {
    /// The smaller id first.
    public let first: UUID
    public let second: UUID
    public let similarity: Double
}

/// The groups of a set of texts and its near-duplicates.
public struct TextGrouping: Sendable, Equatable {
    /// Largest first (ties: the group whose first id is smallest).
    public let clusters: [TextCluster]
    /// Most similar first (ties: by ids).
    public let nearDuplicates: [NearDuplicate]
    /// The silhouette of the grouping chosen (0 with fewer than two groups).
    public let silhouette: Double
}

/// Groups similar texts, deterministically.
///
/// 1. Each text becomes a TF-IDF vector of its words' stems (sublinear term frequency
///    `1 + ln tf`, IDF `ln((1 + n) / (1 + df)) + 1` over the set), of length 1; two texts whose
///    vectors' cosine reaches `nearDuplicateThreshold` are proposed for merging.
/// 2. The vectors are reduced to `dimensions` by a truncated SVD (subspace iteration on the
///    sparse matrix, from a seeded start: latent semantic analysis, so that texts sharing
///    related words come close), then set to length 1 again.
/// 3. k-means (k-means++ seeding, `restarts` runs, seeded) for each k from 2 to
///    `maximumClusters`, keeping the k of highest silhouette (ties: the fewer groups).
///    Fewer than four texts make one group.
///
/// The same texts give the same groups whatever order they come in (they are sorted by id first).
public struct TextClusterer: Sendable {
    public var extractor: TermExtractor
    public var seed: UInt64
    public var maximumClusters: Int
    public var dimensions: Int
    public var restarts: Int
    public var nearDuplicateThreshold: Double
    public var representativeCount: Int
    public var keyTermCount: Int
    /// Subspace iterations of the SVD: a fixed count, so the result does not hinge on a tolerance.
    public var iterations: Int

    public init(
        extractor: TermExtractor = TermExtractor(), seed: UInt64 = 15, maximumClusters: Int = 8, dimensions: Int = 12, restarts: Int = 6,
        nearDuplicateThreshold: Double = 0.8, representativeCount: Int = 3, keyTermCount: Int = 5, iterations: Int = 40
    ) {
        self.extractor = extractor
        self.seed = seed
        self.maximumClusters = maximumClusters
        self.dimensions = dimensions
        self.restarts = restarts
        self.nearDuplicateThreshold = nearDuplicateThreshold
        self.representativeCount = representativeCount
        self.keyTermCount = keyTermCount
        self.iterations = iterations
    }

    public func group(_ input: [TrendDocument]) -> TextGrouping {
        let documents = input.sorted { $0.id.uuidString < $1.id.uuidString }
        guard !documents.isEmpty else { return TextGrouping(clusters: [], nearDuplicates: [], silhouette: 0) }
        let vectors = tfidfVectors(documents)
        let duplicates = nearDuplicates(vectors, documents: documents)

        var assignments = Array(repeating: 0, count: documents.count)
        var points = Array(repeating: [0.0], count: documents.count)
        var silhouette = 0.0
        if documents.count >= 4 {
            points = reduced(vectors, termCount: vectors.termCount)
            var best: (score: Double, assignments: [Int])?
            for count in 2...max(2, min(maximumClusters, documents.count - 1)) {
                var generator = SeededGenerator(seed: seed &+ UInt64(count))
                let clustering = KMeans.cluster(points, count: count, generator: &generator, restarts: restarts)
                let score = Silhouette.score(points, assignments: clustering.assignments)
                if best == nil || score > best!.score + 1e-12 { best = (score, clustering.assignments) }
            }
            if let best {
                assignments = best.assignments
                silhouette = best.score
            }
        }

        var members: [Int: [Int]] = [:]
        for (index, cluster) in assignments.enumerated() { members[cluster, default: []].append(index) }
        let clusters = members.values
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
            .map { indices in cluster(indices, documents: documents, points: points) }
        return TextGrouping(clusters: clusters, nearDuplicates: duplicates, silhouette: silhouette)
    }

    // MARK: Vectors

    /// Sparse rows of unit length: for each text, (term index, weight) sorted by term index.
    struct SparseRows {
        var rows: [[(term: Int, weight: Double)]]
        var termCount: Int
    }

    func tfidfVectors(_ documents: [TrendDocument]) -> SparseRows {
        var termIndex: [String: Int] = [:]
        var counts: [[Int: Int]] = []
        for document in documents {
            var row: [Int: Int] = [:]
            // Terms in key order, so that their indices (and every sum over them) do not depend on hashing.
            for (key, forms) in extractor.terms(of: document.text).sorted(by: { $0.key < $1.key }) where key.kind == .word {
                let index: Int
                if let known = termIndex[key.stems] { index = known } else {
                    index = termIndex.count
                    termIndex[key.stems] = index
                }
                row[index, default: 0] += forms.values.reduce(0, +)
            }
            counts.append(row)
        }
        var documentFrequency = Array(repeating: 0, count: termIndex.count)
        for row in counts { for term in row.keys { documentFrequency[term] += 1 } }
        let total = Double(documents.count)
        let rows = counts.map { row -> [(term: Int, weight: Double)] in
            var weighted = row.sorted { $0.key < $1.key }.map { term, count in
                (term: term, weight: (1 + log(Double(count))) * (log((1 + total) / (1 + Double(documentFrequency[term]))) + 1))
            }
            let norm = weighted.reduce(0) { $0 + $1.weight * $1.weight }.squareRoot()
            if norm > 0 { weighted = weighted.map { (term: $0.term, weight: $0.weight / norm) } }
            return weighted
        }
        return SparseRows(rows: rows, termCount: termIndex.count)
    }

    /// Pairs whose cosine reaches the threshold, through an inverted index (only texts sharing
    /// a word are compared).
    func nearDuplicates(_ vectors: SparseRows, documents: [TrendDocument]) -> [NearDuplicate] {
        var postings = Array(repeating: [(document: Int, weight: Double)](), count: vectors.termCount)
        for (document, row) in vectors.rows.enumerated() {
            for entry in row { postings[entry.term].append((document, entry.weight)) }
        }
        var pairs: [NearDuplicate] = []
        for (document, row) in vectors.rows.enumerated() {
            var dots: [Int: Double] = [:]
            for entry in row {
                for other in postings[entry.term] where other.document > document {
                    dots[other.document, default: 0] += entry.weight * other.weight
                }
            }
            for (other, dot) in dots where dot >= nearDuplicateThreshold - 1e-12 {
                pairs.append(NearDuplicate(first: documents[document].id, second: documents[other].id, similarity: min(dot, 1)))
            }
        }
        return pairs.sorted {
            $0.similarity != $1.similarity ? $0.similarity > $1.similarity : ($0.first.uuidString, $0.second.uuidString) < ($1.first.uuidString, $1.second.uuidString)
        }
    }

    /// Truncated SVD by subspace iteration: V (texts × r) ← orthonormalised X Xᵀ V, from a
    /// seeded start. Each text's coordinates are its row of U Σ, set to length 1.
    func reduced(_ vectors: SparseRows, termCount: Int) -> [[Double]] {
        let textCount = vectors.rows.count
        let rank = max(1, min(dimensions, textCount, termCount))
        var generator = SeededGenerator(seed: seed)
        var basis = (0..<rank).map { _ in (0..<textCount).map { _ in generator.nextUnitInterval() - 0.5 } }
        basis = orthonormalised(basis)
        func transposedProduct(_ column: [Double]) -> [Double] {
            var result = Array(repeating: 0.0, count: termCount)
            for (document, row) in vectors.rows.enumerated() where column[document] != 0 {
                for entry in row { result[entry.term] += entry.weight * column[document] }
            }
            return result
        }
        func product(_ termVector: [Double]) -> [Double] {
            vectors.rows.map { row in row.reduce(0) { $0 + $1.weight * termVector[$1.term] } }
        }
        for _ in 0..<iterations {
            basis = orthonormalised(basis.map { product(transposedProduct($0)) })
        }
        // Singular values: the length of Xᵀ v for each basis vector, largest first.
        let singular = basis.map { column in transposedProduct(column).reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let order = singular.indices.sorted { singular[$0] != singular[$1] ? singular[$0] > singular[$1] : $0 < $1 }
        return (0..<textCount).map { document in
            let coordinates = order.map { basis[$0][document] * singular[$0] }
            let norm = coordinates.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return norm > 0 ? coordinates.map { $0 / norm } : coordinates
        }
    }

    /// Modified Gram–Schmidt; a column that vanishes (the matrix has lower rank) is dropped.
    private func orthonormalised(_ columns: [[Double]]) -> [[Double]] {
        var result: [[Double]] = []
        for var column in columns {
            for done in result {
                let dot = zip(column, done).reduce(0) { $0 + $1.0 * $1.1 }
                for index in column.indices { column[index] -= dot * done[index] }
            }
            let norm = column.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 1e-10 else { continue }
            result.append(column.map { $0 / norm })
        }
        guard result.isEmpty, let first = columns.first else { return result }
        return [Array(repeating: 0.0, count: first.count)]
    }

    // MARK: Groups

    private func cluster(_ indices: [Int], documents: [TrendDocument], points: [[Double]]) -> TextCluster {
        let memberSet = Set(indices)
        let centre = [Double].weightedMean(of: indices.map { points[$0] }, weights: indices.map { _ in 1 })
        let distances: [(index: Int, distance: Double)] = indices.map { index in (index, points[index].squaredDistance(to: centre)) }
        let closest = distances.sorted { first, second in
            first.distance != second.distance ? first.distance < second.distance : first.index < second.index
        }
        let representatives: [UUID] = closest.prefix(representativeCount).map { documents[$0.index].id }
        let inGroup = indices.map { documents[$0] }
        let rest = documents.indices.filter { !memberSet.contains($0) }.map { documents[$0] }
        let analyzer = TrendAnalyzer(extractor: extractor, minimumDocuments: min(2, indices.count), limit: keyTermCount)
        let report = analyzer.report(of: inGroup, against: rest, weeks: [])
        let keyTerms = report.keyPhrases.isEmpty ? report.keyWords : report.keyPhrases
        let label = keyTerms.prefix(2).map(\.label).joined(separator: " · ")
        return TextCluster(
            documentIDs: inGroup.map(\.id).sorted { $0.uuidString < $1.uuidString }, representativeIDs: representatives,
            keyTerms: keyTerms, label: label.isEmpty ? "Textes sans expression commune" : label
        )
    }
}
