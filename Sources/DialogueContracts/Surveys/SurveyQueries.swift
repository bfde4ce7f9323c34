public import Foundation

// What the site and the back-office read from the survey service, over RPC.

/// Reads one survey with its whole definition.
public struct GetSurvey: DialogueRequest {
    public static let messageType = "survey.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys
    public typealias Response = SurveyView

    public var surveyID: UUID

    public init(surveyID: UUID) {
        self.surveyID = surveyID
    }
}

/// A survey as the builder and the answering pages read it.
public struct SurveyView: Codable, Sendable, Equatable {
    public var id: UUID
    public var status: SurveyStatus
    /// Moves by one at each saved change; an update names the revision it started from.
    public var revision: Int
    public var definition: SurveyDefinition
    public var createdAt: Date
    public var updatedAt: Date
    public var publishedAt: Date?

    public init(id: UUID, status: SurveyStatus, revision: Int, definition: SurveyDefinition, createdAt: Date, updatedAt: Date, publishedAt: Date?) {
        self.id = id
        self.status = status
        self.revision = revision
        self.definition = definition
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.publishedAt = publishedAt
    }
}

/// Lists surveys, newest first, optionally of one status.
public struct ListSurveys: DialogueRequest {
    public static let messageType = "survey.list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys
    public typealias Response = SurveyList

    public var status: SurveyStatus?
    public var offset: Int
    public var limit: Int

    public init(status: SurveyStatus? = nil, offset: Int = 0, limit: Int = 20) {
        self.status = status
        self.offset = offset
        self.limit = limit
    }
}

/// One line of a list of surveys.
public struct SurveySummary: Codable, Sendable, Equatable {
    public var id: UUID
    public var title: String
    public var status: SurveyStatus
    public var opensAt: Date?
    public var closesAt: Date?
    public var questionCount: Int
    public var updatedAt: Date

    public init(id: UUID, title: String, status: SurveyStatus, opensAt: Date?, closesAt: Date?, questionCount: Int, updatedAt: Date) {
        self.id = id
        self.title = title
        self.status = status
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.questionCount = questionCount
        self.updatedAt = updatedAt
    }
}

/// A page of surveys, and how many match in all.
public struct SurveyList: Codable, Sendable, Equatable {
    public var items: [SurveySummary]
    public var total: Int

    public init(items: [SurveySummary], total: Int) {
        self.items = items
        self.total = total
    }
}
