public import Foundation

// What moderation publishes: decisions (with a revision, so owners apply only newer ones) and the queue alert.

/// A moderation decision, for the owner service to apply: show or hide the content, and
/// tell its author. Emitted for each change, by a moderator or by an automatic rule.
public struct ModerationDecisionMade: DialogueEvent {
    public static let messageType = "moderation.decision_made"
    public static let schemaVersion = 1

    public var itemID: UUID
    public var contentType: ContentType
    public var contentID: UUID
    public var ownerService: ServiceName
    public var status: ModerationStatus
    /// Whether the content is shown now (a held item is `pending` and hidden).
    public var visible: Bool
    public var reasonCode: String?
    /// The reason as its author reads it (French), when there is one.
    public var reasonLabel: String?
    public var comment: String?
    /// The staff member who decided, or nil for an automatic rule.
    public var decidedBy: UUID?
    /// The automatic rule that decided (`pre_moderation`, `post_moderation`, `auto_hold`, `flags`, `flags_review`,
    /// `flags_discounted`, `blocked_account`).
    public var rule: String?
    public var decidedAt: Date
    /// Increases with each decision on the item: an owner applies only a newer one.
    public var revision: Int
    /// The author's account, to tell them (absent for anonymous content).
    public var authorAccountID: UUID?
    /// The content's title, or the start of its text, for the message to the author.
    public var title: String?

    public init(
        itemID: UUID, contentType: ContentType, contentID: UUID, ownerService: ServiceName, status: ModerationStatus, visible: Bool,
        reasonCode: String?, reasonLabel: String?, comment: String?, decidedBy: UUID?, rule: String?, decidedAt: Date, revision: Int,
        authorAccountID: UUID? = nil, title: String? = nil
    ) {
        self.authorAccountID = authorAccountID
        self.title = title
        self.itemID = itemID
        self.contentType = contentType
        self.contentID = contentID
        self.ownerService = ownerService
        self.status = status
        self.visible = visible
        self.reasonCode = reasonCode
        self.reasonLabel = reasonLabel
        self.comment = comment
        self.decidedBy = decidedBy
        self.rule = rule
        self.decidedAt = decidedAt
        self.revision = revision
    }
}

extension ModerationDecisionMade {
    /// The rule that holds an item after enough citizens' flags, not a moderator's decision.
    public static let flagsRule = "flags"

    /// Hidden by citizens' flags until a moderator decides: a petition held so stays
    /// reachable by its link and signable (only a moderator's decision stops it).
    public var isHeldByFlags: Bool { rule == Self.flagsRule && !visible }
}

/// The queue needs attention: too many items wait, or one waits too long. Sent at most
/// once per alert period, never once per item.
public struct ModerationQueueWaiting: DialogueEvent {
    public static let messageType = "moderation.queue_waiting"
    public static let schemaVersion = 1

    public var pendingCount: Int
    public var oldestSubmittedAt: Date?
    /// `count` or `age`: which limit was passed.
    public var trigger: String

    public init(pendingCount: Int, oldestSubmittedAt: Date?, trigger: String) {
        self.pendingCount = pendingCount
        self.oldestSubmittedAt = oldestSubmittedAt
        self.trigger = trigger
    }
}
