public import Foundation

// What the gateway asks the notification worker to change, over RPC.

/// Saves a signed-in person's choices (topics not offered to them are refused).
public struct SaveNotificationPreferences: DialogueRequest {
    public static let messageType = "notifications.preferences.save"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.notifications
    public typealias Response = NotificationPreferences

    public var accountID: UUID
    public var staffRoles: [String]
    public var choices: [NotificationPreferences.Choice]

    public init(accountID: UUID, staffRoles: [String], choices: [NotificationPreferences.Choice]) {
        self.accountID = accountID
        self.staffRoles = staffRoles
        self.choices = choices
    }
}

/// Unsubscribes the person a signed link was made for, from its topic, without signing in.
public struct UnsubscribeWithToken: DialogueRequest {
    public static let messageType = "notifications.unsubscribe"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.notifications
    public typealias Response = UnsubscribeTarget

    public var token: String

    public init(token: String) {
        self.token = token
    }
}

/// Marks a staff notification as read (shared by all staff: one person reading it is enough),
/// if its topic is one the asker receives; another topic's notification is "not found".
/// Version 2 added `topics`: a version 1 request, which names none, is refused.
public struct MarkStaffNotificationRead: DialogueRequest {
    public static let messageType = "notifications.staff_inbox.mark_read"
    public static let schemaVersion = 2
    public static let targetService = ServiceName.notifications
    public typealias Response = StaffNotificationView

    public var notificationID: UUID
    /// The topics of the asker's roles (as for `ListStaffNotifications`).
    public var topics: [String]

    public init(notificationID: UUID, topics: [String]) {
        self.notificationID = notificationID
        self.topics = topics
    }
}
