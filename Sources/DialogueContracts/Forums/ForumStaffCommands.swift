public import Foundation

// What staff do in a forum once it runs: pin a post, close a thread with its conclusion,
// merge duplicate threads, write the forum's conclusion when it ends. Each is audited.

/// The bounds of the conclusions staff write.
public enum ForumConclusionRules {
    public static let length = 10...5_000

    /// The conclusion's problem, if any: closing a thread or concluding a forum requires one.
    public static func problem(_ conclusion: String) -> RequestFailure? {
        if conclusion.isEmpty {
            return RequestFailure(code: .invalid, message: "Écrivez la conclusion : elle est obligatoire.", field: "conclusion")
        }
        guard length.contains(conclusion.count) else {
            return RequestFailure(code: .invalid, message: "La conclusion compte de 10 à 5 000 caractères.", field: "conclusion")
        }
        return nil
    }
}

/// Pins a shown post at the top of its thread (or unpins it).
public struct PinForumPost: DialogueRequest {
    public static let messageType = "forum.post.pin"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ForumPostView

    public var postID: UUID
    public var pinned: Bool
    public var staffID: UUID
    public var staffName: String

    public init(postID: UUID, pinned: Bool, staffID: UUID, staffName: String) {
        self.postID = postID
        self.pinned = pinned
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// Closes a thread with its conclusion (required): it takes no more replies or reactions.
public struct CloseForumThread: DialogueRequest {
    public static let messageType = "forum.thread.close"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ForumThreadSummary

    public var threadID: UUID
    public var conclusion: String
    public var staffID: UUID
    public var staffName: String

    public init(threadID: UUID, conclusion: String, staffID: UUID, staffName: String) {
        self.threadID = threadID
        self.conclusion = conclusion.trimmingCharacters(in: .whitespacesAndNewlines)
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// Merges a duplicate thread into another of the same forum: its posts move, keeping their
/// authors, reactions and stable links; the duplicate's own link leads to the other thread.
public struct MergeForumThreads: DialogueRequest {
    public static let messageType = "forum.thread.merge"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ForumThreadSummary

    public var duplicateThreadID: UUID
    public var intoThreadID: UUID
    public var staffID: UUID
    public var staffName: String

    public init(duplicateThreadID: UUID, intoThreadID: UUID, staffID: UUID, staffName: String) {
        self.duplicateThreadID = duplicateThreadID
        self.intoThreadID = intoThreadID
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// Writes the forum's conclusion once it has ended (its closing date passed).
public struct ConcludeForum: DialogueRequest {
    public static let messageType = "forum.conclude"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ForumView

    public var forumID: UUID
    public var conclusion: String
    public var staffID: UUID
    public var staffName: String

    public init(forumID: UUID, conclusion: String, staffID: UUID, staffName: String) {
        self.forumID = forumID
        self.conclusion = conclusion.trimmingCharacters(in: .whitespacesAndNewlines)
        self.staffID = staffID
        self.staffName = staffName
    }
}
