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

/// A person's response to a survey; sent as a command so a peak waits in the queue, not in
/// the gateway (which checks the answers with `SurveyRules` first and answers 202).
///
/// The service checks it again and stores it whole or not at all: the survey must be open
/// and between its dates, the respondent allowed by its audience, every answer to a shown
/// question and valid for its type. One response per person: a second one is refused unless
/// it `replacesEarlier` (« modifier mes réponses »), which replaces the answers and the
/// profile of the person's response until the survey closes. Paper and in-person
/// questionnaires are entered by staff (`enteredBy`), linked to nobody.
public struct SubmitSurveyResponse: DialogueCommand {
    public static let messageType = "survey.response.submit"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys

    public var surveyID: UUID
    public var respondent: SurveyRespondent
    public var channel: SurveyChannel
    /// Question id → answer; blank answers count as none.
    public var answers: [String: SurveyAnswer]
    /// As the person gave it on that day; kept with the response.
    public var profile: SurveyProfile
    public var submittedAt: Date
    /// The person edits the response they gave: it replaces it (or is the first one, if the
    /// first has not arrived yet). A later edit is never overwritten by an earlier one.
    public var replacesEarlier: Bool
    /// Who entered a paper or in-person questionnaire; nil for a web response.
    public var enteredBy: SurveyStaffEntry?

    public init(
        surveyID: UUID, respondent: SurveyRespondent, channel: SurveyChannel = .web, answers: [String: SurveyAnswer],
        profile: SurveyProfile = SurveyProfile(), submittedAt: Date = Date(), replacesEarlier: Bool = false, enteredBy: SurveyStaffEntry? = nil
    ) {
        self.surveyID = surveyID
        self.respondent = respondent
        self.channel = channel
        self.answers = answers
        self.profile = profile
        self.submittedAt = submittedAt
        self.replacesEarlier = replacesEarlier
        self.enteredBy = enteredBy
    }
}

/// Saves the platform's survey settings; the service audits the change in the same transaction.
public struct SaveSurveySettings: DialogueRequest {
    public static let messageType = "survey.settings.save"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys
    public typealias Response = SurveySettings

    public var settings: SurveySettings
    public var staffID: UUID?
    public var staffName: String

    public init(settings: SurveySettings, staffID: UUID?, staffName: String) {
        self.settings = settings
        self.staffID = staffID
        self.staffName = staffName
    }
}
