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

/// A response was stored (or replaced by its person's edit): its profile, channel and closed
/// answers, for the synthesis reporter. Free texts are left out (they go to moderation as
/// `SurveyAnswerSubmitted`).
public struct SurveyResponseSubmitted: DialogueEvent {
    public static let messageType = "survey.response_submitted"
    public static let schemaVersion = 1

    public var surveyID: UUID
    public var responseID: UUID
    public var channel: SurveyChannel
    public var profile: SurveyProfile
    /// Question id → answer, for every answered question that is not a text: options,
    /// rankings, numbers, scale points, matrix rows, dates and places (no `text`, no `otherText`).
    public var closedAnswers: [String: SurveyAnswer]
    public var submittedAt: Date
    /// The response replaces the same person's earlier one (its figures replace the earlier ones).
    public var replacesEarlier: Bool

    public init(
        surveyID: UUID, responseID: UUID, channel: SurveyChannel, profile: SurveyProfile, closedAnswers: [String: SurveyAnswer],
        submittedAt: Date, replacesEarlier: Bool
    ) {
        self.surveyID = surveyID
        self.responseID = responseID
        self.channel = channel
        self.profile = profile
        self.closedAnswers = closedAnswers
        self.submittedAt = submittedAt
        self.replacesEarlier = replacesEarlier
    }
}
