public import Foundation

// Comments on published contributions: signed-in citizens with a confirmed address comment,
// with one level of replies, moderated with the consultation's policy.

/// A comment (or a reply) for moderation: shown only once moderation says so under a policy
/// of moderation before publication, at once and reviewed after under the other.
public struct ContributionCommentSubmitted: ContentSubmission {
    public static let contentType = ContentType.contributionComment
    public var content: SubmittedContent
    public init(content: SubmittedContent) { self.content = content }
}

/// A citizen comments on a published contribution of an open consultation, or replies to a
/// comment. One level of replies: a reply to a reply joins the comment it answers.
public struct CommentOnContribution: DialogueRequest {
    public static let messageType = "contribution.comment"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ContributionCommentView

    public static let bodyLength = 2...3_000

    public var contributionID: UUID
    /// The comment replied to, if any.
    public var parentID: UUID?
    public var body: String
    public var authorAccountID: UUID
    /// The author's public name, nil when they show none.
    public var authorName: String?

    public init(contributionID: UUID, parentID: UUID? = nil, body: String, authorAccountID: UUID, authorName: String?) {
        self.contributionID = contributionID
        self.parentID = parentID
        self.body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        self.authorAccountID = authorAccountID
        self.authorName = authorName
    }

    /// The rule of the text itself, naming its field (`body`).
    public var problem: RequestFailure? {
        guard !Self.bodyLength.contains(body.count) else { return nil }
        return RequestFailure(
            code: .invalid, message: body.isEmpty ? "Écrivez votre commentaire." : "Le commentaire doit compter entre 2 et 3 000 caractères.",
            field: "body"
        )
    }
}

/// A contribution's shown comments, oldest first, a page of top-level comments at a time, each
/// with its shown replies; with a viewer, their own comments still in moderation too.
public struct ListContributionComments: DialogueRequest {
    public static let messageType = "contribution.comments"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ContributionCommentPage

    public static let pageSize = 20

    public var contributionID: UUID
    public var viewerAccountID: UUID?
    public var page: Int

    public init(contributionID: UUID, viewerAccountID: UUID? = nil, page: Int = 1) {
        self.contributionID = contributionID
        self.viewerAccountID = viewerAccountID
        self.page = page
    }
}

public struct ContributionCommentView: Codable, Sendable, Equatable {
    public var id: UUID
    public var contributionID: UUID
    public var parentID: UUID?
    public var authorName: String?
    public var body: String
    /// `published`, or `in_moderation` / `hidden` (only ever shown to its author).
    public var state: ContributionState
    public var createdAt: Date
    public var replies: [ContributionCommentView]

    public init(
        id: UUID, contributionID: UUID, parentID: UUID?, authorName: String?, body: String, state: ContributionState, createdAt: Date,
        replies: [ContributionCommentView] = []
    ) {
        self.id = id
        self.contributionID = contributionID
        self.parentID = parentID
        self.authorName = authorName
        self.body = body
        self.state = state
        self.createdAt = createdAt
        self.replies = replies
    }
}

public struct ContributionCommentPage: Codable, Sendable, Equatable {
    /// Top-level comments with their replies.
    public var items: [ContributionCommentView]
    /// How many top-level comments the list has in all.
    public var total: Int
    public var page: Int

    public init(items: [ContributionCommentView], total: Int, page: Int) {
        self.items = items
        self.total = total
        self.page = page
    }
}

/// A comment is shown for the first time under its contribution (once per comment).
public struct ContributionCommented: DialogueEvent {
    public static let messageType = "contribution.commented"
    public static let schemaVersion = 1

    public var commentID: UUID
    public var contributionID: UUID
    public var consultationID: UUID
    public var parentID: UUID?
    public var text: String
    public var publishedAt: Date

    public init(commentID: UUID, contributionID: UUID, consultationID: UUID, parentID: UUID?, text: String, publishedAt: Date) {
        self.commentID = commentID
        self.contributionID = contributionID
        self.consultationID = consultationID
        self.parentID = parentID
        self.text = text
        self.publishedAt = publishedAt
    }
}
