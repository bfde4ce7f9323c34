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
