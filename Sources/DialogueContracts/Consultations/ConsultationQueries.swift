public import Foundation

// What pages and the API read about consultations and contributions.

public struct GetConsultation: DialogueRequest {
    public static let messageType = "consultation.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ConsultationView

    public var consultationID: UUID

    public init(consultationID: UUID) {
        self.consultationID = consultationID
    }
}

/// Every consultation, open ones first, then upcoming, closed, with results; within each, the
/// nearest closing (or opening) first.
public struct ListConsultations: DialogueRequest {
    public static let messageType = "consultation.list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ConsultationList

    public var limit: Int
    public var offset: Int

    public init(limit: Int = 50, offset: Int = 0) {
        self.limit = limit
        self.offset = offset
    }
}

/// How a list of contributions is sorted.
public enum ContributionOrder: String, Codable, Sendable, CaseIterable {
    /// Most supported first (then newest).
    case supports
    case newest
    /// A random order that stays the same for one visitor (`ListContributions.randomSeed`) and
    /// differs between visitors, so the first contributions are not always the same ones.
    case random
}

/// A consultation's published contributions, filtered by theme, kind and moderation's say,
/// sorted, a page at a time; with `authorAccountID`, that author's own instead, in any state
/// (withdrawn ones included).
public struct ListContributions: DialogueRequest {
    public static let messageType = "contribution.list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ContributionList

    public static let maximumLimit = 100

    public var consultationID: UUID
    public var authorAccountID: UUID?
    /// The person reading, to say which proposals they support.
    public var viewerAccountID: UUID?
    /// A theme's code.
    public var theme: String?
    public var kind: ContributionKind?
    /// Only those moderation retained (`retained`) or did not (`not_retained`).
    public var moderationStatus: ModerationStatus?
    /// Only those staff gave this status (`received` includes those never answered).
    public var answerStatus: ContributionAnswerStatus?
    public var order: ContributionOrder
    /// The visitor's own value for `random` (any text: the same text gives the same order).
    public var randomSeed: String?
    public var limit: Int
    public var offset: Int

    public init(
        consultationID: UUID, authorAccountID: UUID? = nil, viewerAccountID: UUID? = nil, theme: String? = nil, kind: ContributionKind? = nil,
        moderationStatus: ModerationStatus? = nil, order: ContributionOrder = .newest, randomSeed: String? = nil, limit: Int = 20, offset: Int = 0,
        answerStatus: ContributionAnswerStatus? = nil
    ) {
        self.answerStatus = answerStatus
        self.consultationID = consultationID
        self.authorAccountID = authorAccountID
        self.viewerAccountID = viewerAccountID
        self.theme = theme
        self.kind = kind
        self.moderationStatus = moderationStatus
        self.order = order
        self.randomSeed = randomSeed
        self.limit = limit
        self.offset = offset
    }
}

/// One contribution as its author sees it, to change or withdraw it; to anyone else it does not exist.
public struct GetOwnContribution: DialogueRequest {
    public static let messageType = "contribution.get_own"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ContributionView

    public var contributionID: UUID
    public var accountID: UUID

    public init(contributionID: UUID, accountID: UUID) {
        self.contributionID = contributionID
        self.accountID = accountID
    }
}
