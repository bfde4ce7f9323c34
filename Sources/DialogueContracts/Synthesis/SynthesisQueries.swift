public import Foundation

// What the back-office reads from the synthesis reporter, over RPC.

/// The trends of the texts of one source published in a period: key words, key phrases, and
/// those rising or falling week by week, each with the texts it rests on.
public struct GetTextTrends: DialogueRequest {
    public static let messageType = "synthesis.trends.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.synthesis
    public typealias Response = TextTrendsView

    public var source: TextSource
    /// The first day of the period (its start, in the assembly's time zone).
    public var from: Date
    /// The end of the period's last day (excluded).
    public var until: Date

    /// The longest period asked at once: a year and a week, in seconds.
    public static let longestPeriod: TimeInterval = 373 * 86_400

    public init(source: TextSource, from: Date, until: Date) {
        self.source = source
        self.from = from
        self.until = until
    }
}

/// The trends of a source over a period.
public struct TextTrendsView: Codable, Sendable, Equatable {
    public var source: TextSource
    public var from: Date
    public var until: Date
    /// The first day of each week of the period, oldest first: what `weeklyCounts` count.
    public var weeks: [Date]
    /// The texts of the source published in the period.
    public var documentCount: Int
    public var keyWords: [TextTrend]
    public var keyPhrases: [TextTrend]
    public var rising: [TextTrend]
    public var falling: [TextTrend]
    /// Every text a trend links to, by id.
    public var documents: [TrendDocumentReference]

    public init(
        source: TextSource, from: Date, until: Date, weeks: [Date], documentCount: Int, keyWords: [TextTrend], keyPhrases: [TextTrend],
        rising: [TextTrend], falling: [TextTrend], documents: [TrendDocumentReference]
    ) {
        self.source = source
        self.from = from
        self.until = until
        self.weeks = weeks
        self.documentCount = documentCount
        self.keyWords = keyWords
        self.keyPhrases = keyPhrases
        self.rising = rising
        self.falling = falling
        self.documents = documents
    }
}

/// One key word or key phrase, with the texts that hold it.
public struct TextTrend: Codable, Sendable, Equatable {
    public var kind: TextTrendKind
    /// Its most frequent written form in the period's texts.
    public var label: String
    /// TF-IDF of the period's texts against every other text the reporter keeps.
    public var score: Double
    public var documentIDs: [UUID]
    /// How many texts hold it each week (`TextTrendsView.weeks`).
    public var weeklyCounts: [Int]
    public var movement: TextTrendMovement

    public init(kind: TextTrendKind, label: String, score: Double, documentIDs: [UUID], weeklyCounts: [Int], movement: TextTrendMovement) {
        self.kind = kind
        self.label = label
        self.score = score
        self.documentIDs = documentIDs
        self.weeklyCounts = weeklyCounts
        self.movement = movement
    }
}

/// A text a trend rests on: enough to link to it.
public struct TrendDocumentReference: Codable, Sendable, Equatable {
    public var id: UUID
    public var title: String
    public var publishedAt: Date

    public init(id: UUID, title: String, publishedAt: Date) {
        self.id = id
        self.title = title
        self.publishedAt = publishedAt
    }
}
