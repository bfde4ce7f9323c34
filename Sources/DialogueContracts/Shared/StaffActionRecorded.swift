public import Foundation

/// A staff action a service recorded in its own audit table (`staff_audit`), in the
/// transaction of the action itself: the action and its record commit, or roll back,
/// together. The gateway keeps a copy in its audit log, so that the staff audit page shows
/// one list whatever the service that acted.
public struct StaffActionRecorded: DialogueEvent {
    public static let messageType = "staff.action_recorded"
    public static let schemaVersion = 1

    /// The service that did the action and holds the original entry.
    public var service: ServiceName
    /// The entry's id in that service's `staff_audit` table.
    public var entryID: Int
    public var occurredAt: Date
    /// The staff account that acted, as the gateway named it in the command.
    public var staffID: UUID?
    public var staffName: String
    /// What was done, e.g. `petition.paper_signatures_added`.
    public var action: String
    public var objectType: String
    public var objectID: String?
    public var details: [String: String]

    public init(
        service: ServiceName, entryID: Int, occurredAt: Date, staffID: UUID?, staffName: String, action: String,
        objectType: String, objectID: String?, details: [String: String]
    ) {
        self.service = service
        self.entryID = entryID
        self.occurredAt = occurredAt
        self.staffID = staffID
        self.staffName = staffName
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.details = details
    }
}
