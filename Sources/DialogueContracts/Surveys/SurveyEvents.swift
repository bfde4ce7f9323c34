// What the survey service publishes.

public struct SurveyAnswerSubmitted: ContentSubmission {
    public static let contentType = ContentType.surveyAnswer
    public var content: SubmittedContent
    public init(content: SubmittedContent) { self.content = content }
}
