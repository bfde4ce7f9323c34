public import Foundation

// Answering without an account: a survey open to « anyone with a confirmed e-mail » mails a
// link to the address a person types; opening the link proves they read that address.

/// Mails a link to answer a survey open to confirmed addresses (`audience == .confirmedEmail`)
/// to `email`. The survey service keeps only the link's hash and emits
/// `SurveyAnswerLinkMailRequested`; the answer is the same whether or not the address has
/// answered already, so the form reveals nothing about who took part.
public struct RequestSurveyAnswerLink: DialogueRequest {
    public static let messageType = "survey.answer_link.request"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys
    public typealias Response = SurveyAnswerLinkSent

    public var surveyID: UUID
    public var email: String

    public init(surveyID: UUID, email: String) {
        self.surveyID = surveyID
        self.email = email
    }
}

/// A link is on its way: until when it works.
public struct SurveyAnswerLinkSent: Codable, Sendable, Equatable {
    public var expiresAt: Date

    public init(expiresAt: Date) {
        self.expiresAt = expiresAt
    }
}

/// Reads whose a mailed answer link is. Refused `not_found` for a link the service never
/// made (or of another survey), `conflict` (field `token`) for one that expired.
public struct OpenSurveyAnswerLink: DialogueRequest {
    public static let messageType = "survey.answer_link.open"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys
    public typealias Response = SurveyAnswerLinkHolder

    public var surveyID: UUID
    public var token: String

    public init(surveyID: UUID, token: String) {
        self.surveyID = surveyID
        self.token = token
    }
}

/// The address a valid link was mailed to, normalised (the response counts one per address).
public struct SurveyAnswerLinkHolder: Codable, Sendable, Equatable {
    public var email: String
    public var expiresAt: Date

    public init(email: String, expiresAt: Date) {
        self.email = email
        self.expiresAt = expiresAt
    }
}

/// Someone asked to answer a survey from an address: the notification worker mails the link
/// (limited per recipient, as every mail someone else can cause). The token is the link's
/// secret: the outbox blanks the row once published.
public struct SurveyAnswerLinkMailRequested: DialogueEvent {
    public static let messageType = "survey.answer_link_mail_requested"
    public static let schemaVersion = 1
    public static let carriesSecrets = true

    public var surveyID: UUID
    /// The survey's published title (nothing the requester typed but the address).
    public var title: String
    public var email: String
    public var token: String
    public var expiresAt: Date
    public var closesAt: Date

    public init(surveyID: UUID, title: String, email: String, token: String, expiresAt: Date, closesAt: Date) {
        self.surveyID = surveyID
        self.title = title
        self.email = email
        self.token = token
        self.expiresAt = expiresAt
        self.closesAt = closesAt
    }
}
