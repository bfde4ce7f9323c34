public import Foundation

// What changes processes: staff's requests over RPC, with what they answer.

/// Creates a process with its phases (staff); audited in the same transaction. A refusal
/// stores nothing and names its field (`title`, `phases[2].starts_on`…).
public struct CreateProcess: DialogueRequest {
    public static let messageType = "process.create"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ProcessView

    public var draft: ProcessDraft
    public var staffID: UUID
    public var staffName: String

    public init(draft: ProcessDraft, staffID: UUID, staffName: String) {
        self.draft = draft
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// A signed-in citizen follows a process (told by mail at each new phase) or stops following
/// it. Following twice leaves one follow.
public struct FollowProcess: DialogueRequest {
    public static let messageType = "process.follow"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ProcessFollowing

    public var processID: UUID
    public var accountID: UUID
    /// False: stop following.
    public var follow: Bool

    public init(processID: UUID, accountID: UUID, follow: Bool = true) {
        self.processID = processID
        self.accountID = accountID
        self.follow = follow
    }
}

/// Whether the account follows the process now.
public struct ProcessFollowing: Codable, Sendable, Equatable {
    public var processID: UUID
    public var following: Bool

    public init(processID: UUID, following: Bool) {
        self.processID = processID
        self.following = following
    }
}
