public import Foundation

// Reactions to posts: d'accord, pas d'accord, je passe — one per person and post, changeable.

/// What a person says of a post.
public enum ForumReaction: String, Codable, Sendable, CaseIterable {
    case agree
    case disagree
    case pass
}

/// How a post was received, and the asker's own reaction.
public struct ForumReactionCounts: Codable, Sendable, Equatable {
    public var agree: Int
    public var disagree: Int
    public var pass: Int
    /// The asker's reaction, when they gave one.
    public var mine: ForumReaction?

    public init(agree: Int = 0, disagree: Int = 0, pass: Int = 0, mine: ForumReaction? = nil) {
        self.agree = agree
        self.disagree = disagree
        self.pass = pass
        self.mine = mine
    }

    public var total: Int { agree + disagree + pass }
}

/// A signed-in person reacts to a shown post, their own included (once, like anyone); a
/// second reaction replaces the first. Refused in a closed thread or forum.
public struct ReactToForumPost: DialogueRequest {
    public static let messageType = "forum.post.react"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ForumReactionCounts

    public var postID: UUID
    public var accountID: UUID
    public var reaction: ForumReaction

    public init(postID: UUID, accountID: UUID, reaction: ForumReaction) {
        self.postID = postID
        self.accountID = accountID
        self.reaction = reaction
    }
}

/// A person's reaction to a post was recorded or changed (not sent when it stays the same).
public struct ForumPostReacted: DialogueEvent {
    public static let messageType = "forum_post.reacted"
    public static let schemaVersion = 1

    public var postID: UUID
    public var threadID: UUID
    public var forumID: UUID
    /// The person, by account (never an address).
    public var accountID: UUID
    public var reaction: ForumReaction
    /// What it replaces, when the person had reacted before.
    public var previous: ForumReaction?
    public var reactedAt: Date

    public init(postID: UUID, threadID: UUID, forumID: UUID, accountID: UUID, reaction: ForumReaction, previous: ForumReaction?, reactedAt: Date) {
        self.postID = postID
        self.threadID = threadID
        self.forumID = forumID
        self.accountID = accountID
        self.reaction = reaction
        self.previous = previous
        self.reactedAt = reactedAt
    }
}

/// How a forum's threads are ordered.
public enum ForumThreadOrder: String, Codable, Sendable, CaseIterable {
    /// The latest shown post first.
    case activity
    /// The most reactions to their posts first.
    case reactions
    /// The latest opened first.
    case newest
}
