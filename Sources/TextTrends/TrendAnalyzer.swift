public import Foundation

/// A text to analyse: its id (what a trend links to), its words and the week it was published in.
public struct TrendDocument: Sendable, Equatable {
    public let id: UUID
    public let text: String
    /// The first day of its week, as the caller counts weeks (the same calendar as `weeks`).
    public let week: Date

    public init(id: UUID, text: String, week: Date) {
        self.id = id
        self.text = text
        self.week = week
    }
}

/// How a term moved over the weeks of the period.
public enum TrendMovement: String, Sendable, Codable, CaseIterable {
    case rising
    case falling
    case steady

    /// The rule, on the number of texts holding the term each week (oldest first):
    /// the last week is compared with the mean of the (up to) three weeks before it.
    /// Rising: at least twice that mean and at least 2 texts more. Falling: at most half of it
    /// and at least 2 texts fewer. Otherwise, or with fewer than two weeks, steady.
    /// The margin of 2 texts keeps 0 → 1 or 1 → 0 from reading as a trend.
    public static func of(weeklyCounts counts: [Int]) -> TrendMovement {
        guard counts.count >= 2, let latest = counts.last.map(Double.init) else { return .steady }
        let before = counts.dropLast().suffix(3)
        let baseline = Double(before.reduce(0, +)) / Double(before.count)
        if latest >= 2 * baseline, latest - baseline >= 2 { return .rising }
        if latest * 2 <= baseline, baseline - latest >= 2 { return .falling }
        return .steady
    }
}

/// One key word or key phrase of a set of texts, with the texts it rests on.
public struct Trend: Sendable, Equatable {
    public let key: TermKey
    /// Its most frequent written form in the texts analysed (ties: the first in alphabetical order).
    public let label: String
    /// TF-IDF of the set against the rest of the corpus (see `TrendAnalyzer`).
    public let score: Double
    /// The texts of the set that hold it, sorted by id.
    public let documentIDs: [UUID]
    /// How many texts of the set hold it each week of the period, oldest first.
    public let weeklyCounts: [Int]
    public let movement: TrendMovement

    public var documentCount: Int { documentIDs.count }
}

/// The trends of a set of texts: key words, key phrases, and those rising or falling.
public struct TrendReport: Sendable, Equatable {
    /// The weeks the weekly counts are for, oldest first.
    public let weeks: [Date]
    public let documentCount: Int
    public let keyWords: [Trend]
    public let keyPhrases: [Trend]
    /// Terms whose last week stands out (`TrendMovement.of`), the largest rise first.
    public let rising: [Trend]
    public let falling: [Trend]
}

/// Ranks the terms of a set of texts (a source over a period) against the rest of the corpus.
///
/// A term's score is its document frequency in the set times its inverse document frequency
/// in the rest: `df_set(t) / |set| × (ln((1 + |rest|) / (1 + df_rest(t))) + 1)`. Document
/// frequency rather than raw counts, so that one text repeating a word makes no trend; the
/// rest's IDF, so that what the set says more than the rest of the platform comes first (with
/// no rest, the IDF is 1 and the most shared terms come first). A term held by fewer than
/// `minimumDocuments` texts of the set is no trend. Ties: more texts first, then the key.
public struct TrendAnalyzer: Sendable {
    public var extractor: TermExtractor
    public var minimumDocuments: Int
    /// How many terms each list keeps.
    public var limit: Int

    public init(extractor: TermExtractor = TermExtractor(), minimumDocuments: Int = 2, limit: Int = 20) {
        self.extractor = extractor
        self.minimumDocuments = minimumDocuments
        self.limit = limit
    }

    public func report(of set: [TrendDocument], against rest: [TrendDocument], weeks: [Date]) -> TrendReport {
        // The set's terms, the texts holding each and their written forms.
        var holders: [TermKey: [UUID]] = [:]
        var forms: [TermKey: [String: Int]] = [:]
        var weekly: [TermKey: [Int]] = [:]
        let weekIndex = Dictionary(weeks.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        for document in set {
            for (key, written) in extractor.terms(of: document.text) {
                holders[key, default: []].append(document.id)
                forms[key, default: [:]].merge(written, uniquingKeysWith: +)
                if let week = weekIndex[document.week] {
                    weekly[key, default: Array(repeating: 0, count: weeks.count)][week] += 1
                }
            }
        }
        // The rest only counts the texts holding each of the set's terms.
        var restFrequency: [TermKey: Int] = [:]
        for document in rest {
            for key in extractor.terms(of: document.text).keys where holders[key] != nil {
                restFrequency[key, default: 0] += 1
            }
        }

        let candidates: [Trend] = holders.compactMap { key, ids in
            guard ids.count >= minimumDocuments else { return nil }
            let termFrequency = Double(ids.count) / Double(set.count)
            let inverseFrequency = log(Double(1 + rest.count) / Double(1 + restFrequency[key, default: 0])) + 1
            let counts = weekly[key] ?? Array(repeating: 0, count: weeks.count)
            return Trend(
                key: key, label: Self.label(forms[key] ?? [:]), score: termFrequency * inverseFrequency, documentIDs: ids.sorted(),
                weeklyCounts: counts, movement: .of(weeklyCounts: counts)
            )
        }
        .sorted(by: Self.byScore)

        func change(_ trend: Trend) -> Double {
            let before = trend.weeklyCounts.dropLast().suffix(3)
            return Double(trend.weeklyCounts.last ?? 0) - Double(before.reduce(0, +)) / Double(max(before.count, 1))
        }
        return TrendReport(
            weeks: weeks, documentCount: set.count,
            keyWords: Array(candidates.filter { $0.key.kind == .word }.prefix(limit)),
            keyPhrases: Array(candidates.filter { $0.key.kind == .phrase }.prefix(limit)),
            rising: Array(candidates.filter { $0.movement == .rising }.sorted { change($0) != change($1) ? change($0) > change($1) : Self.byScore($0, $1) }.prefix(limit)),
            falling: Array(candidates.filter { $0.movement == .falling }.sorted { change($0) != change($1) ? change($0) < change($1) : Self.byScore($0, $1) }.prefix(limit))
        )
    }

    /// Higher score first, then more texts, then the key.
    static func byScore(_ first: Trend, _ second: Trend) -> Bool {
        (second.score, second.documentCount, first.key) < (first.score, first.documentCount, second.key)
    }

    /// The most frequent written form; ties go to the first in alphabetical order, so the label
    /// does not depend on the order texts were read in.
    static func label(_ forms: [String: Int]) -> String {
        forms.min { ($1.value, $0.key) < ($0.value, $1.key) }?.key ?? ""
    }
}
