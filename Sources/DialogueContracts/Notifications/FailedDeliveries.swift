public import Foundation

// The mails that could not be sent, shown to administrators with a resend action
// (`/admin/envois-en-echec`, `/api/v1/deliveries/failed`).

/// The failed deliveries, most recent failure first. The recipient comes masked: the list
/// is for seeing what failed and why; an address typed in `address` still finds its mails.
public struct ListFailedDeliveries: DialogueRequest {
    public static let messageType = "notifications.deliveries.failed.list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.notifications
    public typealias Response = FailedDeliveryPage

    /// Only mails of this kind (`account.email_confirmation`, `petition.signature_confirmation`, …).
    public var template: String?
    /// Only mails to this address (matched as the delivery log matches it).
    public var address: String?
    /// The `next` of the previous page.
    public var before: UUID?
    public var limit: Int

    public init(template: String? = nil, address: String? = nil, before: UUID? = nil, limit: Int = 50) {
        self.template = template
        self.address = address
        self.before = before
        self.limit = limit
    }
}

public struct FailedDelivery: Codable, Sendable, Equatable {
    public var id: UUID
    /// The kind of mail (its template).
    public var template: String
    /// "ca•••@exemple.fr"; nil once the person erased their account.
    public var maskedRecipient: String?
    public var subject: String?
    /// Why it was not sent (the last SMTP answer, or what interrupted it).
    public var reason: String?
    public var lastSMTPCode: Int?
    public var attempts: Int
    /// How many times staff sent it again already.
    public var resends: Int
    public var failedAt: Date
    /// Whether it can be sent again; when not, `notResendableBecause` says why.
    public var resendable: Bool
    public var notResendableBecause: String?

    public init(
        id: UUID, template: String, maskedRecipient: String?, subject: String?, reason: String?, lastSMTPCode: Int?,
        attempts: Int, resends: Int, failedAt: Date, resendable: Bool, notResendableBecause: String?
    ) {
        self.id = id
        self.template = template
        self.maskedRecipient = maskedRecipient
        self.subject = subject
        self.reason = reason
        self.lastSMTPCode = lastSMTPCode
        self.attempts = attempts
        self.resends = resends
        self.failedAt = failedAt
        self.resendable = resendable
        self.notResendableBecause = notResendableBecause
    }
}

public struct FailedDeliveryPage: Codable, Sendable, Equatable {
    public var entries: [FailedDelivery]
    public var next: UUID?
    /// How many mails are failed in all (whatever the filters).
    public var total: Int
    /// The kinds of mail among the failed ones, for the filter.
    public var templates: [String]

    public init(entries: [FailedDelivery], next: UUID?, total: Int, templates: [String]) {
        self.entries = entries
        self.next = next
        self.total = total
        self.templates = templates
    }
}

/// Puts a failed mail back in the queue, as it was written, for one more round of attempts;
/// audited in the worker's transaction. A mail whose link expired, whose content was cleared
/// (kept a week after the failure) or whose recipient erased their account is refused (`conflict`);
/// a mail that is not failed is `notFound`.
public struct ResendFailedDelivery: DialogueRequest {
    public static let messageType = "notifications.deliveries.resend"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.notifications
    public typealias Response = ResentDelivery

    public var deliveryID: UUID
    public var staffID: UUID?
    public var staffName: String

    public init(deliveryID: UUID, staffID: UUID?, staffName: String) {
        self.deliveryID = deliveryID
        self.staffID = staffID
        self.staffName = staffName
    }
}

public struct ResentDelivery: Codable, Sendable, Equatable {
    public var id: UUID
    /// `pending`: queued again, the senders take it at once.
    public var status: String

    public init(id: UUID, status: String) {
        self.id = id
        self.status = status
    }
}
