public import Foundation

// What the gateway reads from the notification worker, over RPC.

public struct GetNotificationPreferences: DialogueRequest {
    public static let messageType = "notifications.preferences.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.notifications
    public typealias Response = NotificationPreferences

    public var accountID: UUID
    public var staffRoles: [String]

    public init(accountID: UUID, staffRoles: [String]) {
        self.accountID = accountID
        self.staffRoles = staffRoles
    }
}

/// Reads what an unsubscribe link is about, without changing anything (the page a link
/// opens; a mail scanner's GET must not unsubscribe).
public struct InspectUnsubscribeToken: DialogueRequest {
    public static let messageType = "notifications.unsubscribe.inspect"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.notifications
    public typealias Response = UnsubscribeTarget

    public var token: String

    public init(token: String) {
        self.token = token
    }
}

public struct UnsubscribeTarget: Codable, Sendable, Equatable {
    public var topic: NotificationTopic
    /// The address, partly masked ("ca•••@exemple.fr"): the page says whose mails stop.
    public var maskedEmail: String

    public init(topic: NotificationTopic, maskedEmail: String) {
        self.topic = topic
        self.maskedEmail = maskedEmail
    }
}

/// The delivery log, newest first, for administrators looking for a mail someone did not get.
public struct SearchDeliveries: DialogueRequest {
    public static let messageType = "notifications.deliveries.search"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.notifications
    public typealias Response = DeliveryLogPage

    /// An address (matched whatever its case, dots or +suffix where the provider ignores them).
    public var address: String?
    /// `pending`, `sending`, `sent`, `failed` or `suppressed` (held back by the limit per recipient).
    public var status: String?
    /// The last delivery of the previous page.
    public var before: UUID?
    public var limit: Int

    public init(address: String? = nil, status: String? = nil, before: UUID? = nil, limit: Int = 50) {
        self.address = address
        self.status = status
        self.before = before
        self.limit = limit
    }
}

public struct DeliveryLogEntry: Codable, Sendable, Equatable {
    public var id: UUID
    /// Nil once the person erased their account.
    public var recipient: String?
    public var template: String
    public var subject: String?
    public var status: String
    public var attempts: Int
    public var lastSMTPCode: Int?
    public var lastError: String?
    public var createdAt: Date
    public var sentAt: Date?

    public init(
        id: UUID, recipient: String?, template: String, subject: String?, status: String, attempts: Int, lastSMTPCode: Int?,
        lastError: String?, createdAt: Date, sentAt: Date?
    ) {
        self.id = id
        self.recipient = recipient
        self.template = template
        self.subject = subject
        self.status = status
        self.attempts = attempts
        self.lastSMTPCode = lastSMTPCode
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
    }
}

public struct DeliveryLogPage: Codable, Sendable, Equatable {
    public var entries: [DeliveryLogEntry]
    public var next: UUID?

    public init(entries: [DeliveryLogEntry], next: UUID?) {
        self.entries = entries
        self.next = next
    }
}

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
