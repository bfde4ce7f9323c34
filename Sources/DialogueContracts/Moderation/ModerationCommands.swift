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
