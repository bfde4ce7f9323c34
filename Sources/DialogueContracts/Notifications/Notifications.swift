public import Foundation

/// What a person can be told about, and how often they want it.
public enum NotificationTopic: String, Codable, Sendable, CaseIterable {
    // Citizens
    case contributionModeration = "contribution.moderation"
    case petitionMilestones = "petition.milestones"
    case contributionAnswers = "contribution.answers"
    case consultationResults = "consultation.results"
    // Staff
    case petitionThreshold = "petition.threshold"
    case moderationWaiting = "moderation.waiting"
    case consultationContributions = "consultation.contributions"

    public var frenchLabel: String {
        switch self {
        case .contributionModeration: "Les décisions de modération sur mes contributions"
        case .petitionMilestones: "Les étapes de mes pétitions (seuils, réponse de l'assemblée)"
        case .contributionAnswers: "Les réponses à mes contributions"
        case .consultationResults: "Les résultats des consultations auxquelles j'ai participé"
        case .petitionThreshold: "Les pétitions qui atteignent leur seuil de saisine"
        case .moderationWaiting: "La file de modération à traiter"
        case .consultationContributions: "Les nouvelles contributions aux consultations"
        }
    }

    /// The staff roles a staff topic is for; empty for a citizens' topic (everyone).
    public var staffRoles: Set<String> {
        switch self {
        case .contributionModeration, .petitionMilestones, .contributionAnswers, .consultationResults: []
        case .petitionThreshold: ["administrator", "staff"]
        case .moderationWaiting: ["administrator", "moderator"]
        case .consultationContributions: ["administrator", "staff"]
        }
    }

    /// How often, when the person has not chosen.
    public var defaultFrequency: NotificationFrequency {
        switch self {
        case .consultationResults, .consultationContributions: .daily
        default: .immediate
        }
    }

    /// The topics offered to an account with these staff roles.
    public static func offered(toStaffRoles roles: Set<String>) -> [NotificationTopic] {
        allCases.filter { $0.staffRoles.isEmpty || !$0.staffRoles.isDisjoint(with: roles) }
    }
}

public enum NotificationFrequency: String, Codable, Sendable, CaseIterable {
    case immediate
    case daily
    case weekly
    case never

    public var frenchLabel: String {
        switch self {
        case .immediate: "À chaque fois"
        case .daily: "Un résumé par jour"
        case .weekly: "Un résumé par semaine"
        case .never: "Jamais"
        }
    }
}

/// One person's choices, topic by topic (defaults filled in).
public struct NotificationPreferences: Codable, Sendable, Equatable {
    public var choices: [Choice]

    public struct Choice: Codable, Sendable, Equatable {
        public var topic: NotificationTopic
        public var frequency: NotificationFrequency

        public init(topic: NotificationTopic, frequency: NotificationFrequency) {
            self.topic = topic
            self.frequency = frequency
        }
    }

    public init(choices: [Choice]) {
        self.choices = choices
    }
}

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
    /// `pending`, `sending`, `sent` or `failed`.
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
