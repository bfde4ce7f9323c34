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
