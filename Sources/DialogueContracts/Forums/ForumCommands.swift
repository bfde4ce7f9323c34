public import Foundation

// What changes forums: staff and citizens' requests over RPC, with what they answer.

/// Opens a forum (staff); audited, and `forum.opened` emitted in the same transaction.
public struct OpenForum: DialogueRequest {
    public static let messageType = "forum.open"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ForumView

    public var draft: ForumDraft
    public var staffID: UUID
    public var staffName: String

    public init(draft: ForumDraft, staffID: UUID, staffName: String) {
        self.draft = draft
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// Who writes a post: a signed-in account with a confirmed address (the gateway checks the
/// address), and the name the post shows (nil: « Participant anonyme »).
public struct ForumAuthor: Codable, Sendable, Equatable {
    public var accountID: UUID
    public var publicName: String?

    public init(accountID: UUID, publicName: String?) {
        self.accountID = accountID
        self.publicName = publicName
    }
}

/// Opens a thread in a forum with its first post, sent to moderation.
public struct OpenForumThread: DialogueRequest {
    public static let messageType = "forum.thread.open"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ForumPostView

    public var forumID: UUID
    public var title: String
    public var body: String
    public var author: ForumAuthor

    public init(forumID: UUID, title: String, body: String, author: ForumAuthor) {
        self.forumID = forumID
        self.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        self.body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        self.author = author
    }
}

/// Replies in a thread, sent to moderation. A reply to a reply joins its parent (one level
/// of nesting); `quotedPostID` quotes a post of the same thread.
public struct ReplyInForumThread: DialogueRequest {
    public static let messageType = "forum.thread.reply"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ForumPostView

    public var threadID: UUID
    /// The post answered; nil for a post at the top level of the thread.
    public var parentPostID: UUID?
    public var quotedPostID: UUID?
    public var body: String
    public var author: ForumAuthor

    public init(threadID: UUID, parentPostID: UUID? = nil, quotedPostID: UUID? = nil, body: String, author: ForumAuthor) {
        self.threadID = threadID
        self.parentPostID = parentPostID
        self.quotedPostID = quotedPostID
        self.body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        self.author = author
    }
}

/// The author changes their post within `ForumPostRules.editWindow` of writing it; the new
/// text goes back to moderation. Later, only moderation changes it.
public struct EditForumPost: DialogueRequest {
    public static let messageType = "forum.post.edit"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ForumPostView

    public var postID: UUID
    public var body: String
    public var authorAccountID: UUID

    public init(postID: UUID, body: String, authorAccountID: UUID) {
        self.postID = postID
        self.body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        self.authorAccountID = authorAccountID
    }
}
