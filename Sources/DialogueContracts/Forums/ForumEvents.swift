public import Foundation

// What the consultation service publishes about forums. No event carries an address.

/// A post (or its edit) for moderation: it is shown only once moderation's decision says so.
public struct ForumPostSubmitted: ContentSubmission {
    public static let contentType = ContentType.forumPost
    public var content: SubmittedContent
    public init(content: SubmittedContent) { self.content = content }
}

/// Staff opened a forum on a theme: it takes threads and posts between its dates.
public struct ForumOpened: DialogueEvent {
    public static let messageType = "forum.opened"
    public static let schemaVersion = 1

    public var forumID: UUID
    public var title: String
    public var theme: String
    public var question: String
    public var opensAt: Date
    public var closesAt: Date
    public var moderationMode: ForumModerationMode
    public var openedAt: Date

    public init(
        forumID: UUID, title: String, theme: String, question: String, opensAt: Date, closesAt: Date,
        moderationMode: ForumModerationMode, openedAt: Date
    ) {
        self.forumID = forumID
        self.title = title
        self.theme = theme
        self.question = question
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.moderationMode = moderationMode
        self.openedAt = openedAt
    }
}

/// A post was shown for the first time (moderation let it through).
public struct ForumPostPublished: DialogueEvent {
    public static let messageType = "forum_post.published"
    public static let schemaVersion = 1

    public var postID: UUID
    public var threadID: UUID
    public var forumID: UUID
    /// The post it answers, for a reply.
    public var parentPostID: UUID?
    public var authorAccountID: UUID?
    public var publishedAt: Date

    public init(postID: UUID, threadID: UUID, forumID: UUID, parentPostID: UUID?, authorAccountID: UUID?, publishedAt: Date) {
        self.postID = postID
        self.threadID = threadID
        self.forumID = forumID
        self.parentPostID = parentPostID
        self.authorAccountID = authorAccountID
        self.publishedAt = publishedAt
    }
}

/// A forum reached its closing date: it takes no more posts.
public struct ForumClosed: DialogueEvent {
    public static let messageType = "forum.closed"
    public static let schemaVersion = 1

    public var forumID: UUID
    public var title: String
    public var closedAt: Date

    public init(forumID: UUID, title: String, closedAt: Date) {
        self.forumID = forumID
        self.title = title
        self.closedAt = closedAt
    }
}
