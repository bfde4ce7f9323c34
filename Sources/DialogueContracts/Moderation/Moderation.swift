public import Foundation

// MARK: Submissions

/// The kinds of content citizens submit and moderation reviews.
public enum ContentType: String, Codable, Sendable, CaseIterable {
    case petition
    case forumPost = "forum_post"
    case testimony
    case proposal
    case surveyAnswer = "survey_answer"

    /// The label staff read in the back-office.
    public var frenchLabel: String {
        switch self {
        case .petition: "Pétition"
        case .forumPost: "Message de forum"
        case .testimony: "Témoignage"
        case .proposal: "Proposition"
        case .surveyAnswer: "Réponse libre à une enquête"
        }
    }
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

    public init(
        contentID: UUID, ownerService: ServiceName, title: String?, text: String, authorAccountID: UUID?, authorName: String?,
        consultationID: UUID? = nil, publicPath: String? = nil, submittedAt: Date
    ) {
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

public struct PetitionSubmitted: ContentSubmission {
    public static let contentType = ContentType.petition
    public var content: SubmittedContent
    public init(content: SubmittedContent) { self.content = content }
}

public struct ForumPostSubmitted: ContentSubmission {
    public static let contentType = ContentType.forumPost
    public var content: SubmittedContent
    public init(content: SubmittedContent) { self.content = content }
}

public struct TestimonySubmitted: ContentSubmission {
    public static let contentType = ContentType.testimony
    public var content: SubmittedContent
    public init(content: SubmittedContent) { self.content = content }
}

public struct ProposalSubmitted: ContentSubmission {
    public static let contentType = ContentType.proposal
    public var content: SubmittedContent
    public init(content: SubmittedContent) { self.content = content }
}

public struct SurveyAnswerSubmitted: ContentSubmission {
    public static let contentType = ContentType.surveyAnswer
    public var content: SubmittedContent
    public init(content: SubmittedContent) { self.content = content }
}

// MARK: Decisions

/// Where an item stands. `pending` items are in the queue (visible or not, by policy).
public enum ModerationStatus: String, Codable, Sendable, CaseIterable {
    case pending
    case published
    /// *Retenue*: kept for the assembly's work.
    case retained = "retained"
    /// *Non retenue*: published, not kept.
    case notRetained = "not_retained"
    case rejected

    public var frenchLabel: String {
        switch self {
        case .pending: "En attente"
        case .published: "Publiée"
        case .retained: "Retenue"
        case .notRetained: "Non retenue"
        case .rejected: "Rejetée"
        }
    }

    /// Whether content with this decision is shown on the site.
    public var isVisible: Bool { self != .rejected }
}

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
    /// The automatic rule that decided (`post_moderation`, `auto_hold`, `flags`, `blocked_account`).
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
