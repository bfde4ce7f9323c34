public import Foundation

// What staff and citizens ask moderation to do, over RPC, with what it answers.

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
/// Version 2: `reporter` says who flags (a visitor, or an account: confirmed or not, and
/// since when), and `audience` how many people the content reaches. A version 1 flag has
/// neither: it is recorded and shown as a signal, and never counts toward hiding.
public struct FlagContent: DialogueRequest {
    public static let messageType = "moderation.flags.create"
    public static let schemaVersion = 2
    public static let targetService = ServiceName.moderation
    public typealias Response = FlagOutcome

    public var contentType: ContentType
    public var contentID: UUID
    /// Who flags, as a stable opaque key (an account id, or a keyed hash of the address):
    /// one flag per person and item.
    public var reporterKey: String
    public var reasonCode: String
    public var comment: String?
    /// Who flags, as moderation weighs it; nil in version 1.
    public var reporter: FlagReporter?
    /// How many people the content reaches (a petition's signatures), when the gateway
    /// knows it: a wider audience needs more flags before an automatic hold.
    public var audience: Int?

    public init(
        contentType: ContentType, contentID: UUID, reporterKey: String, reasonCode: String, comment: String?,
        reporter: FlagReporter? = nil, audience: Int? = nil
    ) {
        self.contentType = contentType
        self.contentID = contentID
        self.reporterKey = reporterKey
        self.reasonCode = reasonCode
        self.comment = comment
        self.reporter = reporter
        self.audience = audience
    }
}

/// Who flags: a visitor without an account, or an account (its address confirmed or not,
/// and when it was created). Only confirmed accounts old enough count toward hiding.
public struct FlagReporter: Codable, Sendable, Equatable {
    /// The account, nil for a visitor who is not signed in.
    public var accountID: UUID?
    /// Whether the account's address is confirmed (false for a visitor).
    public var confirmed: Bool
    /// When the account was created (nil for a visitor).
    public var accountCreatedAt: Date?

    public init(accountID: UUID?, confirmed: Bool, accountCreatedAt: Date?) {
        self.accountID = accountID
        self.confirmed = confirmed
        self.accountCreatedAt = accountCreatedAt
    }

    /// A visitor who is not signed in.
    public static let visitor = FlagReporter(accountID: nil, confirmed: false, accountCreatedAt: nil)
}

public struct FlagOutcome: Codable, Sendable, Equatable {
    /// False when this person had already flagged the item.
    public var recorded: Bool

    public init(recorded: Bool) {
        self.recorded = recorded
    }
}

/// A moderator sanctions flag abuse: the flags of this reporter (an account, or a visitor's
/// keyed address) stop counting, past and future (`ignore`), or count again (`restore`).
/// Each change is kept in moderation's audit trail.
public struct SanctionFlagReporter: DialogueRequest {
    public static let messageType = "moderation.flags.sanction"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.moderation
    public typealias Response = FlagSanctionOutcome

    /// The reporter's key, as the item page shows it.
    public var reporterKey: String
    public var action: FlagSanctionAction
    public var reason: String
    public var moderatorID: UUID
    public var moderatorName: String

    public init(reporterKey: String, action: FlagSanctionAction, reason: String, moderatorID: UUID, moderatorName: String) {
        self.reporterKey = reporterKey
        self.action = action
        self.reason = reason
        self.moderatorID = moderatorID
        self.moderatorName = moderatorName
    }
}

public struct FlagSanctionOutcome: Codable, Sendable, Equatable {
    /// The reporter's flags the sanction touches.
    public var flags: Int
    /// Items held after flags that were shown again because, without these flags, too few remained.
    public var itemsShownAgain: Int

    public init(flags: Int, itemsShownAgain: Int) {
        self.flags = flags
        self.itemsShownAgain = itemsShownAgain
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

/// Changes one content type's policy.
/// Version 2: the policy carries the flag rules' account age and audience step (a
/// version 1 policy keeps the defaults of `ModerationPolicy`).
public struct UpdateModerationPolicy: DialogueRequest {
    public static let messageType = "moderation.settings.policy"
    public static let schemaVersion = 2
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
