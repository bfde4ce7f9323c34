// The words of notifications: topics, how often a person is told, their choices.

/// What a person can be told about, and how often they want it.
public enum NotificationTopic: String, Codable, Sendable, CaseIterable {
    // Citizens
    case contributionModeration = "contribution.moderation"
    case petitionMilestones = "petition.milestones"
    case contributionAnswers = "contribution.answers"
    case consultationResults = "consultation.results"
    case processPhases = "process.phases"
    // Staff
    case petitionThreshold = "petition.threshold"
    case moderationWaiting = "moderation.waiting"
    case consultationContributions = "consultation.contributions"
    case workshopFilling = "workshop.filling"

    /// The staff roles a staff topic is for; empty for a citizens' topic (everyone).
    public var staffRoles: Set<String> {
        switch self {
        case .contributionModeration, .petitionMilestones, .contributionAnswers, .consultationResults, .processPhases: []
        case .petitionThreshold: ["administrator", "staff"]
        case .moderationWaiting: ["administrator", "moderator"]
        case .consultationContributions: ["administrator", "staff"]
        case .workshopFilling: ["administrator", "staff"]
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
