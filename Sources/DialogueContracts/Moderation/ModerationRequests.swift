public import Foundation

// The back-office's requests to the moderation worker (over RPC, from the gateway).

/// One automatic pre-check's verdict on an item, as the moderator reads it.
public struct ModerationFinding: Codable, Sendable, Equatable {
    /// The check's stable id (`personal_data.phone`, `insult`, `link_spam`, `shouting`, `near_duplicate`).
    public var rule: String
    /// 0 to 100.
    public var score: Int
    /// French, with personal data masked.
    public var reason: String

    public init(rule: String, score: Int, reason: String) {
        self.rule = rule
        self.score = score
        self.reason = reason
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

/// A citizen's flag on an item.
public struct ModerationFlagView: Codable, Sendable, Equatable {
    public var reasonLabel: String
    public var comment: String?
    public var flaggedAt: Date

    public init(reasonLabel: String, comment: String?, flaggedAt: Date) {
        self.reasonLabel = reasonLabel
        self.comment = comment
        self.flaggedAt = flaggedAt
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
    public var history: [ModerationDecisionRecord]

    public init(
        summary: ModerationItemSummary, text: String, authorAccountID: UUID?, authorBlocked: Bool, publicPath: String?,
        findings: [ModerationFinding], flags: [ModerationFlagView], history: [ModerationDecisionRecord]
    ) {
        self.summary = summary
        self.text = text
        self.authorAccountID = authorAccountID
        self.authorBlocked = authorBlocked
        self.publicPath = publicPath
        self.findings = findings
        self.flags = flags
        self.history = history
    }
}

/// The item and the revision the moderator saw.
public struct ModerationItemRevision: Codable, Sendable, Equatable {
    public var itemID: UUID
    public var revision: Int

    public init(itemID: UUID, revision: Int) {
        self.itemID = itemID
        self.revision = revision
    }
}

/// A moderator's decision on one item or many (one reason for all).
public struct DecideModeration: DialogueRequest {
    public static let messageType = "moderation.items.decide"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.moderation
    public typealias Response = ModerationDecisionOutcome

    public var items: [ModerationItemRevision]
    public var status: ModerationStatus
    /// Required for `rejected` and `not_retained`: a code of the configured reasons.
    public var reasonCode: String?
    public var comment: String?
    public var moderatorID: UUID
    public var moderatorName: String

    public init(
        items: [ModerationItemRevision], status: ModerationStatus, reasonCode: String?, comment: String?, moderatorID: UUID,
        moderatorName: String
    ) {
        self.items = items
        self.status = status
        self.reasonCode = reasonCode
        self.comment = comment
        self.moderatorID = moderatorID
        self.moderatorName = moderatorName
    }
}

/// An item someone else decided since the moderator loaded it: left as it is.
public struct ModerationConflict: Codable, Sendable, Equatable {
    public var itemID: UUID
    /// The item's title, or the start of its text.
    public var title: String
    public var status: ModerationStatus
    public var decidedBy: String
    public var decidedAt: Date

    public init(itemID: UUID, title: String, status: ModerationStatus, decidedBy: String, decidedAt: Date) {
        self.itemID = itemID
        self.title = title
        self.status = status
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }
}

public struct ModerationDecisionOutcome: Codable, Sendable, Equatable {
    public var decided: [UUID]
    public var conflicts: [ModerationConflict]

    public init(decided: [UUID], conflicts: [ModerationConflict]) {
        self.decided = decided
        self.conflicts = conflicts
    }
}

/// A citizen flags content (*signalement*).
public struct FlagContent: DialogueRequest {
    public static let messageType = "moderation.flags.create"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.moderation
    public typealias Response = FlagOutcome

    public var contentType: ContentType
    public var contentID: UUID
    /// Who flags, as a stable opaque key (an account id, or a keyed hash of the address):
    /// one flag per person and item.
    public var reporterKey: String
    public var reasonCode: String
    public var comment: String?

    public init(contentType: ContentType, contentID: UUID, reporterKey: String, reasonCode: String, comment: String?) {
        self.contentType = contentType
        self.contentID = contentID
        self.reporterKey = reporterKey
        self.reasonCode = reasonCode
        self.comment = comment
    }
}

public struct FlagOutcome: Codable, Sendable, Equatable {
    /// False when this person had already flagged the item.
    public var recorded: Bool

    public init(recorded: Bool) {
        self.recorded = recorded
    }
}

/// Blocks an account: its next submissions are held; its published content is hidden or kept.
public struct BlockAccount: DialogueRequest {
    public static let messageType = "moderation.accounts.block"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.moderation
    public typealias Response = BlockOutcome

    public var accountID: UUID
    public var hideContent: Bool
    public var reason: String
    public var moderatorID: UUID
    public var moderatorName: String

    public init(accountID: UUID, hideContent: Bool, reason: String, moderatorID: UUID, moderatorName: String) {
        self.accountID = accountID
        self.hideContent = hideContent
        self.reason = reason
        self.moderatorID = moderatorID
        self.moderatorName = moderatorName
    }
}

public struct BlockOutcome: Codable, Sendable, Equatable {
    /// Items hidden by the block.
    public var hiddenItems: Int

    public init(hiddenItems: Int) {
        self.hiddenItems = hiddenItems
    }
}

/// A reason moderators choose from (configurable), shown to the author.
public struct ModerationReason: Codable, Sendable, Equatable {
    public var code: String
    public var label: String
    /// `decision` (for rejecting or not retaining) or `flag` (offered to citizens who flag).
    public var kind: String
    public var active: Bool

    public init(code: String, label: String, kind: String, active: Bool) {
        self.code = code
        self.label = label
        self.kind = kind
        self.active = active
    }
}

/// How one content type is moderated.
public struct ModerationPolicy: Codable, Sendable, Equatable {
    public var contentType: ContentType
    /// `pre` (hidden until approved) or `post` (published, reviewed after).
    public var mode: String
    /// At or above this score an item is held hidden, whatever the mode.
    public var holdScore: Int
    /// This many flags hold a visible item hidden until reviewed.
    public var flagsToHold: Int

    public init(contentType: ContentType, mode: String, holdScore: Int, flagsToHold: Int) {
        self.contentType = contentType
        self.mode = mode
        self.holdScore = holdScore
        self.flagsToHold = flagsToHold
    }
}

public struct ModerationSettingsView: Codable, Sendable, Equatable {
    public var policies: [ModerationPolicy]
    public var reasons: [ModerationReason]

    public init(policies: [ModerationPolicy], reasons: [ModerationReason]) {
        self.policies = policies
        self.reasons = reasons
    }
}

public struct GetModerationSettings: DialogueRequest {
    public static let messageType = "moderation.settings.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.moderation
    public typealias Response = ModerationSettingsView

    public init() {}
}

/// Changes one content type's policy.
public struct UpdateModerationPolicy: DialogueRequest {
    public static let messageType = "moderation.settings.policy"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.moderation
    public typealias Response = ModerationSettingsView

    public var policy: ModerationPolicy
    public var moderatorName: String

    public init(policy: ModerationPolicy, moderatorName: String) {
        self.policy = policy
        self.moderatorName = moderatorName
    }
}

/// Adds or changes a reason (by code); a reason is deactivated, never deleted, since past
/// decisions name it.
public struct SaveModerationReason: DialogueRequest {
    public static let messageType = "moderation.settings.reason"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.moderation
    public typealias Response = ModerationSettingsView

    public var reason: ModerationReason

    public init(reason: ModerationReason) {
        self.reason = reason
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
