public import Foundation

// The free texts of a survey (text answers and « autre, précisez »), listed once moderation
// published them.

/// One page of the published free texts of a question, newest response first, among the
/// responses the filter keeps (staff). A text moderation has not decided on yet, or rejected,
/// is never listed.
public struct ListSurveyFreeTexts: DialogueRequest {
    public static let messageType = "survey.free_texts.list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys
    public typealias Response = SurveyFreeTextPage

    public var surveyID: UUID
    /// A short or long text question, or a choice question with « autre, précisez ».
    public var questionID: String
    public var filter: SurveyResultsFilter
    public var offset: Int
    public var limit: Int

    public init(surveyID: UUID, questionID: String, filter: SurveyResultsFilter = SurveyResultsFilter(), offset: Int = 0, limit: Int = 50) {
        self.surveyID = surveyID
        self.questionID = questionID
        self.filter = filter
        self.offset = offset
        self.limit = limit
    }
}

public struct SurveyFreeTextPage: Codable, Sendable, Equatable {
    public var questionID: String
    public var items: [SurveyFreeText]
    /// Every published text of the question the filter keeps, on all pages.
    public var total: Int
    public var offset: Int
    public var limit: Int

    public init(questionID: String, items: [SurveyFreeText], total: Int, offset: Int, limit: Int) {
        self.questionID = questionID
        self.items = items
        self.total = total
        self.offset = offset
        self.limit = limit
    }
}

/// A published free text, with what the filters are about (never who wrote it).
public struct SurveyFreeText: Codable, Sendable, Equatable {
    public var text: String
    public var channel: SurveyChannel
    public var departement: SurveyDepartement?
    /// When its response was sent (or last changed).
    public var answeredAt: Date

    public init(text: String, channel: SurveyChannel, departement: SurveyDepartement?, answeredAt: Date) {
        self.text = text
        self.channel = channel
        self.departement = departement
        self.answeredAt = answeredAt
    }
}
