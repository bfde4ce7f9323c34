public import Foundation

// What the site and the back-office read about forums, over RPC.

/// A forum as its page and the lists show it.
public struct ForumView: Codable, Sendable, Equatable {
    public var id: UUID
    public var title: String
    public var theme: String
    public var question: String
    public var description: String
    public var opensAt: Date
    public var closesAt: Date
    public var moderationMode: ForumModerationMode
    public var status: ForumStatus
    public var threadCount: Int
    public var createdAt: Date
    /// What staff concluded once it ended.
    public var conclusion: String?

    public init(
        id: UUID, title: String, theme: String, question: String, description: String, opensAt: Date, closesAt: Date,
        moderationMode: ForumModerationMode, status: ForumStatus, threadCount: Int, createdAt: Date, conclusion: String? = nil
    ) {
        self.id = id
        self.conclusion = conclusion
        self.title = title
        self.theme = theme
        self.question = question
        self.description = description
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.moderationMode = moderationMode
        self.status = status
        self.threadCount = threadCount
        self.createdAt = createdAt
    }

    /// Whether the forum takes posts at `date`: open, and between its dates.
    public func takesPosts(at date: Date = Date()) -> Bool {
        status == .open && opensAt <= date && date < closesAt
    }
}

/// Lists forums, the latest opened first: the public list leaves out forums not yet open.
public struct ListForums: DialogueRequest {
    public static let messageType = "forum.list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ForumList

    /// Staff see the forums still to open as well.
    public var includeUpcoming: Bool

    public init(includeUpcoming: Bool = false) {
        self.includeUpcoming = includeUpcoming
    }
}

public struct ForumList: Codable, Sendable, Equatable {
    public var items: [ForumView]

    public init(items: [ForumView]) {
        self.items = items
    }
}

/// One thread in a forum's list.
public struct ForumThreadSummary: Codable, Sendable, Equatable {
    public var id: UUID
    public var title: String
    public var authorName: String?
    public var status: ForumThreadStatus
    /// Shown posts, the opening one included.
    public var postCount: Int
    /// Reactions to its posts.
    public var reactionCount: Int
    public var createdAt: Date
    public var lastActivityAt: Date
    /// What staff concluded when closing it.
    public var conclusion: String?
    /// The thread it was merged into: its link leads there.
    public var mergedInto: UUID?

    public init(
        id: UUID, title: String, authorName: String?, status: ForumThreadStatus, postCount: Int, reactionCount: Int = 0, createdAt: Date,
        lastActivityAt: Date, conclusion: String? = nil, mergedInto: UUID? = nil
    ) {
        self.id = id
        self.conclusion = conclusion
        self.mergedInto = mergedInto
        self.reactionCount = reactionCount
        self.title = title
        self.authorName = authorName
        self.status = status
        self.postCount = postCount
        self.createdAt = createdAt
        self.lastActivityAt = lastActivityAt
    }
}

/// Reads a forum and its shown threads in `order`. A forum not yet open is found only by
/// staff (`includeUpcoming`).
public struct GetForum: DialogueRequest {
    public static let messageType = "forum.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ForumPage

    public var forumID: UUID
    public var includeUpcoming: Bool
    public var order: ForumThreadOrder

    public init(forumID: UUID, includeUpcoming: Bool = false, order: ForumThreadOrder = .activity) {
        self.forumID = forumID
        self.includeUpcoming = includeUpcoming
        self.order = order
    }
}

public struct ForumPage: Codable, Sendable, Equatable {
    public var forum: ForumView
    public var threads: [ForumThreadSummary]

    public init(forum: ForumView, threads: [ForumThreadSummary]) {
        self.forum = forum
        self.threads = threads
    }
}

/// One post as a thread shows it.
public struct ForumPostView: Codable, Sendable, Equatable {
    public var id: UUID
    public var threadID: UUID
    public var forumID: UUID
    public var parentPostID: UUID?
    public var quotedPostID: UUID?
    public var authorAccountID: UUID?
    public var authorName: String?
    public var body: String
    /// Shown to everyone; a hidden post is shown to its author only, with its moderation status.
    public var visible: Bool
    public var moderationStatus: String
    public var createdAt: Date
    public var editedAt: Date?
    /// How it was received, and the viewer's own reaction (filled on a thread's pages).
    public var reactions: ForumReactionCounts
    /// Staff pinned it at the top of its thread.
    public var pinned: Bool

    public init(
        id: UUID, threadID: UUID, forumID: UUID, parentPostID: UUID?, quotedPostID: UUID?, authorAccountID: UUID?, authorName: String?,
        body: String, visible: Bool, moderationStatus: String, createdAt: Date, editedAt: Date?, reactions: ForumReactionCounts = ForumReactionCounts(),
        pinned: Bool = false
    ) {
        self.id = id
        self.pinned = pinned
        self.reactions = reactions
        self.threadID = threadID
        self.forumID = forumID
        self.parentPostID = parentPostID
        self.quotedPostID = quotedPostID
        self.authorAccountID = authorAccountID
        self.authorName = authorName
        self.body = body
        self.visible = visible
        self.moderationStatus = moderationStatus
        self.createdAt = createdAt
        self.editedAt = editedAt
    }

    /// Whether its author may still change it at `date`.
    public func editableByAuthor(at date: Date = Date()) -> Bool {
        date.timeIntervalSince(createdAt) < ForumPostRules.editWindow
    }
}

/// Reads one page of a thread: its top-level posts in order, each followed by its replies.
/// Shown posts only, plus the viewer's own hidden ones.
public struct GetForumThread: DialogueRequest {
    public static let messageType = "forum.thread.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ForumThreadPage

    public var threadID: UUID
    /// 1-based.
    public var page: Int
    public var viewerAccountID: UUID?

    public init(threadID: UUID, page: Int = 1, viewerAccountID: UUID? = nil) {
        self.threadID = threadID
        self.page = page
        self.viewerAccountID = viewerAccountID
    }
}

public struct ForumThreadPage: Codable, Sendable, Equatable {
    public var forum: ForumView
    public var thread: ForumThreadSummary
    /// Top-level posts of the page in order, each followed by its replies in order.
    public var posts: [ForumPostView]
    public var page: Int
    public var pageCount: Int
    /// The posts staff pinned, shown above every page.
    public var pinned: [ForumPostView]

    public init(forum: ForumView, thread: ForumThreadSummary, posts: [ForumPostView], page: Int, pageCount: Int, pinned: [ForumPostView] = []) {
        self.forum = forum
        self.pinned = pinned
        self.thread = thread
        self.posts = posts
        self.page = page
        self.pageCount = pageCount
    }
}

/// Where a post is shown now: its thread and the page of it (the post's stable link resolves through this).
public struct LocateForumPost: DialogueRequest {
    public static let messageType = "forum.post.locate"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ForumPostLocation

    public var postID: UUID
    public var viewerAccountID: UUID?

    public init(postID: UUID, viewerAccountID: UUID? = nil) {
        self.postID = postID
        self.viewerAccountID = viewerAccountID
    }
}

public struct ForumPostLocation: Codable, Sendable, Equatable {
    public var post: ForumPostView
    public var page: Int

    public init(post: ForumPostView, page: Int) {
        self.post = post
        self.page = page
    }
}
