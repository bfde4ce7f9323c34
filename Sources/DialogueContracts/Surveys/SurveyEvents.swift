public import Foundation

// What the survey service publishes.

/// A free-text answer sent to moderation before it may be shown publicly.
public struct SurveyAnswerSubmitted: ContentSubmission {
    public static let contentType = ContentType.surveyAnswer
    public var content: SubmittedContent
    public init(content: SubmittedContent) { self.content = content }
}

/// Staff published a survey: it takes answers between its dates.
public struct SurveyPublished: DialogueEvent {
    public static let messageType = "survey.published"
    public static let schemaVersion = 1

    public var surveyID: UUID
    public var title: String
    public var opensAt: Date
    public var closesAt: Date
    public var audience: SurveyAudience
    public var resultsVisibility: SurveyResultsVisibility
    public var consultationID: UUID?
    public var publishedAt: Date

    public init(
        surveyID: UUID, title: String, opensAt: Date, closesAt: Date, audience: SurveyAudience, resultsVisibility: SurveyResultsVisibility,
        consultationID: UUID?, publishedAt: Date
    ) {
        self.surveyID = surveyID
        self.title = title
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.audience = audience
        self.resultsVisibility = resultsVisibility
        self.consultationID = consultationID
        self.publishedAt = publishedAt
    }
}

/// A survey reached its closing date: it takes no more answers.
public struct SurveyClosed: DialogueEvent {
    public static let messageType = "survey.closed"
    public static let schemaVersion = 1

    public var surveyID: UUID
    public var title: String
    public var resultsVisibility: SurveyResultsVisibility
    public var closedAt: Date

    public init(surveyID: UUID, title: String, resultsVisibility: SurveyResultsVisibility, closedAt: Date) {
        self.surveyID = surveyID
        self.title = title
        self.resultsVisibility = resultsVisibility
        self.closedAt = closedAt
    }
}
