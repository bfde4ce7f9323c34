public import Foundation

/// One page of the staff in-app inbox, newest first.
public struct ListStaffNotifications: DialogueRequest {
    public static let messageType = "notifications.staff_inbox.list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.notifications
    public typealias Response = StaffNotificationPage

    /// Only notifications whose topic is one of these (staff see the topics of their roles).
    public var topics: [String]
    public var unreadOnly: Bool
    /// The last notification of the previous page (keyset pagination: the page continues
    /// strictly after it, in the database's own time precision), or nil for the first page.
    public var before: UUID?
    public var limit: Int

    public init(topics: [String], unreadOnly: Bool = false, before: UUID? = nil, limit: Int = 50) {
        self.topics = topics
        self.unreadOnly = unreadOnly
        self.before = before
        self.limit = limit
    }
}

/// A page of staff notifications.
public struct StaffNotificationPage: Codable, Sendable, Equatable {
    public var items: [StaffNotificationView]
    /// The last notification of this page when more follow (the `before` of the next page).
    public var next: UUID?
    public var unreadCount: Int

    public init(items: [StaffNotificationView], next: UUID?, unreadCount: Int) {
        self.items = items
        self.next = next
        self.unreadCount = unreadCount
    }
}

/// A staff notification as the back-office shows it.
public struct StaffNotificationView: Codable, Sendable, Equatable {
    public var id: UUID
    public var topic: String
    public var title: String
    public var body: String
    /// A back-office path, when the notification is about one object.
    public var link: String?
    public var createdAt: Date
    public var readAt: Date?

    public init(id: UUID, topic: String, title: String, body: String, link: String?, createdAt: Date, readAt: Date?) {
        self.id = id
        self.topic = topic
        self.title = title
        self.body = body
        self.link = link
        self.createdAt = createdAt
        self.readAt = readAt
    }
}

/// Marks a staff notification as read (shared by all staff: one person reading it is enough).
public struct MarkStaffNotificationRead: DialogueRequest {
    public static let messageType = "notifications.staff_inbox.mark_read"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.notifications
    public typealias Response = StaffNotificationView

    public var notificationID: UUID

    public init(notificationID: UUID) {
        self.notificationID = notificationID
    }
}
