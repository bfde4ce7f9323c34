public import Foundation

// What changes surveys: staff requests over RPC, with what they answer.

/// Creates a draft survey from a definition (staff). The definition is checked as it is saved.
public struct CreateSurvey: DialogueRequest {
    public static let messageType = "survey.create"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys
    public typealias Response = SurveyView

    public var definition: SurveyDefinition
    public var staffID: UUID
    public var staffName: String

    public init(definition: SurveyDefinition, staffID: UUID, staffName: String) {
        self.definition = definition
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// Replaces a survey's definition (staff). A draft takes any valid definition; an open survey
/// only changes that cannot corrupt answers already given; a closed one none.
public struct UpdateSurvey: DialogueRequest {
    public static let messageType = "survey.update"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys
    public typealias Response = SurveyView

    public var surveyID: UUID
    /// The revision the editor started from: a change made meanwhile by someone else is not overwritten.
    public var revision: Int
    public var definition: SurveyDefinition
    public var staffID: UUID
    public var staffName: String

    public init(surveyID: UUID, revision: Int, definition: SurveyDefinition, staffID: UUID, staffName: String) {
        self.surveyID = surveyID
        self.revision = revision
        self.definition = definition
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// Publishes a draft (staff): it must be complete (dates, at least one question) and valid;
/// `survey.published` is emitted with the change.
public struct PublishSurvey: DialogueRequest {
    public static let messageType = "survey.publish"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys
    public typealias Response = SurveyView

    public var surveyID: UUID
    public var staffID: UUID
    public var staffName: String

    public init(surveyID: UUID, staffID: UUID, staffName: String) {
        self.surveyID = surveyID
        self.staffID = staffID
        self.staffName = staffName
    }
}
