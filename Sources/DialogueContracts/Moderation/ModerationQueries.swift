public import Foundation

// What the back-office reads from moderation, over RPC.

/// The queue, oldest first, filtered.
public struct ListModerationItems: DialogueRequest {
    public static let messageType = "moderation.items.list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.moderation
    public typealias Response = ModerationItemPage

    public var status: ModerationStatus
    public var contentType: ContentType?
    public var consultationID: UUID?
    public var minimumScore: Int?
    /// Only items submitted at least this many hours ago.
    public var waitingHours: Int?
    public var flaggedOnly: Bool
    /// The last item of the previous page (keyset pagination), nil for the first page.
    public var after: UUID?
    public var limit: Int

    public init(
        status: ModerationStatus = .pending, contentType: ContentType? = nil, consultationID: UUID? = nil, minimumScore: Int? = nil,
        waitingHours: Int? = nil, flaggedOnly: Bool = false, after: UUID? = nil, limit: Int = 50
    ) {
        self.status = status
        self.contentType = contentType
        self.consultationID = consultationID
        self.minimumScore = minimumScore
        self.waitingHours = waitingHours
        self.flaggedOnly = flaggedOnly
        self.after = after
        self.limit = limit
    }
}

/// An item as the queue lists it.
public struct ModerationItemSummary: Codable, Sendable, Equatable {
    public var id: UUID
    public var contentType: ContentType
    public var title: String?
    /// The start of the text.
    public var excerpt: String
    public var authorName: String?
    public var consultationID: UUID?
    public var status: ModerationStatus
    public var visible: Bool
    /// The highest score of the findings.
    public var score: Int
    public var flagCount: Int
    public var submittedAt: Date
    /// Increases with each decision: a decision names the revision it was made on.
    public var revision: Int

    public init(
        id: UUID, contentType: ContentType, title: String?, excerpt: String, authorName: String?, consultationID: UUID?,
        status: ModerationStatus, visible: Bool, score: Int, flagCount: Int, submittedAt: Date, revision: Int
    ) {
        self.id = id
        self.contentType = contentType
        self.title = title
        self.excerpt = excerpt
        self.authorName = authorName
        self.consultationID = consultationID
        self.status = status
        self.visible = visible
        self.score = score
        self.flagCount = flagCount
        self.submittedAt = submittedAt
        self.revision = revision
    }
}

public struct ModerationItemPage: Codable, Sendable, Equatable {
    public var items: [ModerationItemSummary]
    /// The last item of this page when more follow (the `after` of the next page).
    public var next: UUID?
    /// How many items match the filters.
    public var total: Int

    public init(items: [ModerationItemSummary], next: UUID?, total: Int) {
        self.items = items
        self.next = next
        self.total = total
    }
}

public struct GetModerationItem: DialogueRequest {
    public static let messageType = "moderation.items.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.moderation
    public typealias Response = ModerationItemDetail

    public var itemID: UUID

    public init(itemID: UUID) {
        self.itemID = itemID
    }
}

public struct ModerationItemDetail: Codable, Sendable, Equatable {
    public var summary: ModerationItemSummary
    public var text: String
    public var authorAccountID: UUID?
    public var authorBlocked: Bool
    public var publicPath: String?
    public var findings: [ModerationFinding]
    public var flags: [ModerationFlagView]
    /// Hidden by the flags rule, not by a moderator (a petition so held stays signable).
    public var heldByFlags: Bool
    /// How the flags stand against an automatic hold.
    public var flagTally: ModerationFlagTally
    /// The sanctions of this item's reporters, oldest first.
    public var flagSanctions: [FlagSanctionRecord]
    public var history: [ModerationDecisionRecord]

    public init(
        summary: ModerationItemSummary, text: String, authorAccountID: UUID?, authorBlocked: Bool, publicPath: String?,
        findings: [ModerationFinding], flags: [ModerationFlagView], heldByFlags: Bool = false, flagTally: ModerationFlagTally,
        flagSanctions: [FlagSanctionRecord] = [], history: [ModerationDecisionRecord]
    ) {
        self.summary = summary
        self.text = text
        self.authorAccountID = authorAccountID
        self.authorBlocked = authorBlocked
        self.publicPath = publicPath
        self.findings = findings
        self.flags = flags
        self.heldByFlags = heldByFlags
        self.flagTally = flagTally
        self.flagSanctions = flagSanctions
        self.history = history
    }
}

/// One decision in an item's history (and in the audit log).
public struct ModerationDecisionRecord: Codable, Sendable, Equatable {
    public var itemID: UUID
    public var before: ModerationStatus?
    public var after: ModerationStatus
    public var visibleAfter: Bool
    public var reasonLabel: String?
    public var comment: String?
    /// The moderator's name, or the automatic rule's French name.
    public var decidedBy: String
    public var decidedAt: Date

    public init(
        itemID: UUID, before: ModerationStatus?, after: ModerationStatus, visibleAfter: Bool, reasonLabel: String?, comment: String?,
        decidedBy: String, decidedAt: Date
    ) {
        self.itemID = itemID
        self.before = before
        self.after = after
        self.visibleAfter = visibleAfter
        self.reasonLabel = reasonLabel
        self.comment = comment
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }
}

/// A citizen's flag on an item, with who flagged, for the moderator to weigh it.
public struct ModerationFlagView: Codable, Sendable, Equatable {
    public var reasonLabel: String
    public var comment: String?
    public var flaggedAt: Date
    /// The reporter's opaque key (an account, or a keyed hash of a visitor's address): what
    /// a sanction names.
    public var reporterKey: String
    public var reporterKind: FlagReporterKind
    /// The reporter's account, nil for a visitor.
    public var accountID: UUID?
    /// When the reporter's account was created, when known.
    public var accountCreatedAt: Date?
    /// Whether a moderator ignores this reporter's flags.
    public var ignored: Bool
    /// Whether this flag counts toward an automatic hold (confirmed account, old enough,
    /// not ignored, since the last moderator decision).
    public var counts: Bool

    public init(
        reasonLabel: String, comment: String?, flaggedAt: Date, reporterKey: String, reporterKind: FlagReporterKind,
        accountID: UUID?, accountCreatedAt: Date?, ignored: Bool, counts: Bool
    ) {
        self.reasonLabel = reasonLabel
        self.comment = comment
        self.flaggedAt = flaggedAt
        self.reporterKey = reporterKey
        self.reporterKind = reporterKind
        self.accountID = accountID
        self.accountCreatedAt = accountCreatedAt
        self.ignored = ignored
        self.counts = counts
    }
}

/// Where an item stands against the automatic hold on flags.
public struct ModerationFlagTally: Codable, Sendable, Equatable {
    /// Flags that count toward a hold now.
    public var counting: Int
    /// The counting flags that hold the item, nil when flags never hide this content type.
    public var required: Int?
    /// The audience the requirement was scaled to (a petition's signatures), when known.
    public var audience: Int?

    public init(counting: Int, required: Int?, audience: Int?) {
        self.counting = counting
        self.required = required
        self.audience = audience
    }
}

/// One sanction of a reporter's flags, in moderation's audit trail.
public struct FlagSanctionRecord: Codable, Sendable, Equatable {
    public var reporterKey: String
    public var action: FlagSanctionAction
    public var reason: String
    public var moderatorName: String
    public var at: Date

    public init(reporterKey: String, action: FlagSanctionAction, reason: String, moderatorName: String, at: Date) {
        self.reporterKey = reporterKey
        self.action = action
        self.reason = reason
        self.moderatorName = moderatorName
        self.at = at
    }
}

public struct GetModerationSettings: DialogueRequest {
    public static let messageType = "moderation.settings.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.moderation
    public typealias Response = ModerationSettingsView

    public init() {}
}

public struct ModerationSettingsView: Codable, Sendable, Equatable {
    public var policies: [ModerationPolicy]
    public var reasons: [ModerationReason]

    public init(policies: [ModerationPolicy], reasons: [ModerationReason]) {
        self.policies = policies
        self.reasons = reasons
    }
}

/// The audit log of decisions, newest first.
public struct ListModerationDecisions: DialogueRequest {
    public static let messageType = "moderation.decisions.list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.moderation
    public typealias Response = ModerationDecisionLog

    /// The sequence number of the last entry of the previous page.
    public var before: Int?
    public var limit: Int

    public init(before: Int? = nil, limit: Int = 50) {
        self.before = before
        self.limit = limit
    }
}

public struct ModerationDecisionLog: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var sequence: Int
        public var record: ModerationDecisionRecord
        public var contentType: ContentType
        public var title: String?

        public init(sequence: Int, record: ModerationDecisionRecord, contentType: ContentType, title: String?) {
            self.sequence = sequence
            self.record = record
            self.contentType = contentType
            self.title = title
        }
    }

    public var entries: [Entry]
    public var next: Int?

    public init(entries: [Entry], next: Int?) {
        self.entries = entries
        self.next = next
    }
}
