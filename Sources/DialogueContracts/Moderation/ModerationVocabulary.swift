public import Foundation

// The words of moderation: what can be submitted, the statuses an item takes, what checks find.

/// The kinds of content citizens submit and moderation reviews.
public enum ContentType: String, Codable, Sendable, CaseIterable {
    case petition
    case forumPost = "forum_post"
    case testimony
    case proposal
    case surveyAnswer = "survey_answer"
    /// A forum's short statement (`statement.submitted`).
    case statement
    case contributionComment = "contribution_comment"

}

/// What a submission carries for moderation: the text, who wrote it, and where it lives.
public struct SubmittedContent: Codable, Sendable, Equatable {
    /// The content's id in its owner service.
    public var contentID: UUID
    /// The service that owns the content and applies the decisions.
    public var ownerService: ServiceName
    public var title: String?
    public var text: String
    public var authorAccountID: UUID?
    /// The author's display name as the content shows it.
    public var authorName: String?
    /// The consultation the content belongs to, when it does (a filter of the queue).
    public var consultationID: UUID?
    /// Where the content is seen on the site (a path), for the moderator.
    public var publicPath: String?
    public var submittedAt: Date
    /// The mode this content asks for (`pre` or `post`, as `ModerationPolicy.mode`), when its
    /// owner sets one per item (a consultation's or a forum's own policy), in place of the
    /// content type's mode; nil (and absent from older messages): the content type's.
    public var moderationMode: String?

    public init(
        contentID: UUID, ownerService: ServiceName, title: String?, text: String, authorAccountID: UUID?, authorName: String?,
        consultationID: UUID? = nil, publicPath: String? = nil, submittedAt: Date, moderationMode: String? = nil
    ) {
        self.moderationMode = moderationMode
        self.contentID = contentID
        self.ownerService = ownerService
        self.title = title
        self.text = text
        self.authorAccountID = authorAccountID
        self.authorName = authorName
        self.consultationID = consultationID
        self.publicPath = publicPath
        self.submittedAt = submittedAt
    }
}

/// A `*.submitted` event: each kind of content has its own type (and routing key), all
/// carrying the same body. A new kind plugs in with one more conformance.
public protocol ContentSubmission: DialogueEvent {
    static var contentType: ContentType { get }
    var content: SubmittedContent { get }
    init(content: SubmittedContent)
}

extension ContentSubmission {
    public static var messageType: String { "\(contentType.rawValue).submitted" }
    public static var schemaVersion: Int { 1 }
}

/// Where an item stands. `pending` items are in the queue (visible or not, by policy).
public enum ModerationStatus: String, Codable, Sendable, CaseIterable {
    case pending
    case published
    /// *Retenue*: kept for the assembly's work.
    case retained = "retained"
    /// *Non retenue*: published, not kept.
    case notRetained = "not_retained"
    case rejected

    /// Whether content with this decision is shown on the site.
    public var isVisible: Bool { self != .rejected }
}

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

/// The item and the revision the moderator saw.
public struct ModerationItemRevision: Codable, Sendable, Equatable {
    public var itemID: UUID
    public var revision: Int

    public init(itemID: UUID, revision: Int) {
        self.itemID = itemID
        self.revision = revision
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
    /// This many flags from confirmed accounts old enough hold a visible item hidden until
    /// reviewed (plus one per `audiencePerExtraFlag` people the content reaches); 0: flags
    /// never hide, they only put the item in the queue. Visitors' and unconfirmed accounts'
    /// flags never count.
    public var flagsToHold: Int
    /// How many days old an account must be when it flags for its flag to count toward a hold.
    public var flagAccountMinimumDays: Int
    /// One more flag is needed for each this many people the content reaches (a petition's signatures).
    public var audiencePerExtraFlag: Int

    public static let defaultFlagAccountMinimumDays = 7
    public static let defaultAudiencePerExtraFlag = 100

    public init(
        contentType: ContentType, mode: String, holdScore: Int, flagsToHold: Int,
        flagAccountMinimumDays: Int = ModerationPolicy.defaultFlagAccountMinimumDays,
        audiencePerExtraFlag: Int = ModerationPolicy.defaultAudiencePerExtraFlag
    ) {
        self.contentType = contentType
        self.mode = mode
        self.holdScore = holdScore
        self.flagsToHold = flagsToHold
        self.flagAccountMinimumDays = flagAccountMinimumDays
        self.audiencePerExtraFlag = audiencePerExtraFlag
    }

    /// The counting flags that hold an item reaching `audience` people (nil: unknown, as
    /// none); nil when flags never hide this content type.
    public func flagsToHold(audience: Int?) -> Int? {
        guard flagsToHold > 0 else { return nil }
        return flagsToHold + max(audience ?? 0, 0) / max(audiencePerExtraFlag, 1)
    }

    private enum CodingKeys: String, CodingKey {
        case contentType, mode, holdScore, flagsToHold, flagAccountMinimumDays, audiencePerExtraFlag
    }

    /// A policy written before the flag rules' age and audience step (version 1 of
    /// `UpdateModerationPolicy`) keeps their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            contentType: try container.decode(ContentType.self, forKey: .contentType),
            mode: try container.decode(String.self, forKey: .mode),
            holdScore: try container.decode(Int.self, forKey: .holdScore),
            flagsToHold: try container.decode(Int.self, forKey: .flagsToHold),
            flagAccountMinimumDays: try container.decodeIfPresent(Int.self, forKey: .flagAccountMinimumDays)
                ?? Self.defaultFlagAccountMinimumDays,
            audiencePerExtraFlag: try container.decodeIfPresent(Int.self, forKey: .audiencePerExtraFlag) ?? Self.defaultAudiencePerExtraFlag
        )
    }
}

/// What a moderator does about a reporter who abuses flags.
public enum FlagSanctionAction: String, Codable, Sendable, CaseIterable {
    /// The reporter's flags stop counting, past and future.
    case ignore
    /// The reporter's flags count again.
    case restore
}

/// Who flagged, as the moderator reads it.
public enum FlagReporterKind: String, Codable, Sendable, CaseIterable {
    /// A flag of version 1 (or recorded before reporters were weighed): who it was is not known.
    case unknown
    /// A visitor without an account.
    case visitor
    case unconfirmedAccount = "unconfirmed_account"
    case confirmedAccount = "confirmed_account"
}
