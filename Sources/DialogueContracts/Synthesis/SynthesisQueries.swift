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
    /// Only the texts of this consultation or forum, when given (absent from older requests).
    public var scopeID: UUID?
    /// Only the contributions of this theme (its code), when given.
    public var theme: String?

    /// The longest period asked at once: a year and a week, in seconds.
    public static let longestPeriod: TimeInterval = 373 * 86_400

    public init(source: TextSource, from: Date, until: Date, scopeID: UUID? = nil, theme: String? = nil) {
        self.source = source
        self.from = from
        self.until = until
        self.scopeID = scopeID
        self.theme = theme
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
    /// The consultation or forum it belongs to, when its source has one (a contribution is
    /// read on its consultation's page).
    public var scopeID: UUID?

    public init(id: UUID, title: String, publishedAt: Date, scopeID: UUID? = nil) {
        self.id = id
        self.title = title
        self.publishedAt = publishedAt
        self.scopeID = scopeID
    }
}

/// The consultations and forums the reporter holds published texts of, to choose from.
public struct ListTextScopes: DialogueRequest {
    public static let messageType = "synthesis.scopes.list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.synthesis
    public typealias Response = TextScopeList

    public init() {}
}

public struct TextScopeList: Codable, Sendable, Equatable {
    /// Newest first by their last published text.
    public var scopes: [TextScope]

    public init(scopes: [TextScope]) {
        self.scopes = scopes
    }
}

/// A consultation or a forum, with how many of its texts count.
public struct TextScope: Codable, Sendable, Equatable {
    public var id: UUID
    public var source: TextSource
    /// Its title as its opening event gave it (empty when that event has not been seen).
    public var title: String
    public var documentCount: Int
    /// The themes its published texts belong to (a consultation's), by label.
    public var themes: [TextScopeTheme]

    public init(id: UUID, source: TextSource, title: String, documentCount: Int, themes: [TextScopeTheme] = []) {
        self.id = id
        self.source = source
        self.title = title
        self.documentCount = documentCount
        self.themes = themes
    }
}

public struct TextScopeTheme: Codable, Sendable, Equatable {
    public var code: String
    /// As staff wrote it (empty for the free theme).
    public var label: String
    public var documentCount: Int

    public init(code: String, label: String, documentCount: Int) {
        self.code = code
        self.label = label
        self.documentCount = documentCount
    }
}

/// Groups of similar texts of a consultation or a forum (or of all petitions): each with its
/// key phrases, a label built from them and its most representative texts; and the pairs of
/// near-duplicate texts, proposed for merging. Every published text of the scope counts.
public struct GetTextGroups: DialogueRequest {
    public static let messageType = "synthesis.groups.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.synthesis
    public typealias Response = TextGroupsView

    public var source: TextSource
    /// The consultation or forum (required for contributions and forum posts, unused for petitions).
    public var scopeID: UUID?

    public init(source: TextSource, scopeID: UUID? = nil) {
        self.source = source
        self.scopeID = scopeID
    }
}

public struct TextGroupsView: Codable, Sendable, Equatable {
    public var source: TextSource
    public var scopeID: UUID?
    /// The published texts grouped.
    public var documentCount: Int
    /// The mean silhouette of the grouping chosen (−1 to 1; 0 with fewer than two groups).
    public var silhouette: Double
    /// Largest first.
    public var groups: [TextGroup]
    /// Most similar first.
    public var nearDuplicates: [NearDuplicatePair]
    /// Every text a group or a pair links to.
    public var documents: [TrendDocumentReference]

    public init(
        source: TextSource, scopeID: UUID?, documentCount: Int, silhouette: Double, groups: [TextGroup], nearDuplicates: [NearDuplicatePair],
        documents: [TrendDocumentReference]
    ) {
        self.source = source
        self.scopeID = scopeID
        self.documentCount = documentCount
        self.silhouette = silhouette
        self.groups = groups
        self.nearDuplicates = nearDuplicates
        self.documents = documents
    }
}

/// A group of similar texts.
public struct TextGroup: Codable, Sendable, Equatable {
    /// Built from its first key phrases (or key words when it has no phrase).
    public var label: String
    /// What the group says more than the other texts of the scope, each with the group's texts holding it.
    public var keyPhrases: [TextGroupPhrase]
    /// Its texts, sorted by id.
    public var documentIDs: [UUID]
    /// Its (up to) three texts closest to its centre, closest first.
    public var representativeIDs: [UUID]

    public init(label: String, keyPhrases: [TextGroupPhrase], documentIDs: [UUID], representativeIDs: [UUID]) {
        self.label = label
        self.keyPhrases = keyPhrases
        self.documentIDs = documentIDs
        self.representativeIDs = representativeIDs
    }
}

public struct TextGroupPhrase: Codable, Sendable, Equatable {
    public var label: String
    public var documentIDs: [UUID]

    public init(label: String, documentIDs: [UUID]) {
        self.label = label
        self.documentIDs = documentIDs
    }
}

/// Two texts so alike (cosine of their TF-IDF vectors) that staff may merge them.
public struct NearDuplicatePair: Codable, Sendable, Equatable {
    public var first: UUID
    public var second: UUID
    public var similarity: Double

    public init(first: UUID, second: UUID, similarity: Double) {
        self.first = first
        self.second = second
        self.similarity = similarity
    }
}

/// The figures a staff member takes to a commission, for a consultation or a forum (or all
/// petitions): counts by theme, kind, origin and moderation status, key phrases, groups of
/// similar texts and near-duplicates, each figure with the ids of the texts it counts.
public struct GetSynthesisReport: DialogueRequest {
    public static let messageType = "synthesis.report.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.synthesis
    public typealias Response = SynthesisReport

    public var source: TextSource
    /// The consultation or forum (required for contributions and forum posts, unused for petitions).
    public var scopeID: UUID?

    public init(source: TextSource, scopeID: UUID? = nil) {
        self.source = source
        self.scopeID = scopeID
    }
}

public struct SynthesisReport: Codable, Sendable, Equatable {
    public var source: TextSource
    public var scopeID: UUID?
    /// The consultation's or forum's title (empty for petitions, or when unknown).
    public var title: String
    /// The newest event the figures rest on (a text received or published, a decision), so a
    /// report says what it is as of; nil when there is no text.
    public var asOf: Date?
    /// Every text received, whatever moderation made of it.
    public var received: ReportFigure
    /// The texts shown: what the other figures count.
    public var published: ReportFigure
    /// By moderation status, over every text received (`in_moderation`, `published`,
    /// `retained`, `not_retained`, `removed`).
    public var byStatus: [ReportFigure]
    /// The published texts by theme (a consultation's), kind and origin.
    public var byTheme: [ReportFigure]
    public var byKind: [ReportFigure]
    public var byOrigin: [ReportFigure]
    /// The published texts' key phrases against every other text the reporter keeps.
    public var keyPhrases: [ReportFigure]
    public var groups: [TextGroup]
    public var nearDuplicates: [NearDuplicatePair]
    /// Every published text, oldest first.
    public var documents: [TrendDocumentReference]

    public init(
        source: TextSource, scopeID: UUID?, title: String, asOf: Date?, received: ReportFigure, published: ReportFigure, byStatus: [ReportFigure],
        byTheme: [ReportFigure], byKind: [ReportFigure], byOrigin: [ReportFigure], keyPhrases: [ReportFigure], groups: [TextGroup],
        nearDuplicates: [NearDuplicatePair], documents: [TrendDocumentReference]
    ) {
        self.source = source
        self.scopeID = scopeID
        self.title = title
        self.asOf = asOf
        self.received = received
        self.published = published
        self.byStatus = byStatus
        self.byTheme = byTheme
        self.byKind = byKind
        self.byOrigin = byOrigin
        self.keyPhrases = keyPhrases
        self.groups = groups
        self.nearDuplicates = nearDuplicates
        self.documents = documents
    }
}

/// One figure: what it counts (a code and its label), how many, and the texts counted.
public struct ReportFigure: Codable, Sendable, Equatable {
    public var key: String
    public var label: String
    public var count: Int
    /// Sorted by id.
    public var documentIDs: [UUID]

    public init(key: String, label: String, documentIDs: [UUID]) {
        self.key = key
        self.label = label
        self.count = documentIDs.count
        self.documentIDs = documentIDs
    }
}
