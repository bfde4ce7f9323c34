import DialogueContracts
import Foundation
import ServiceKit

/// The mails to people answering a survey without an account. Anyone can type any address in
/// the survey's form, so the mail shows nothing typed by the requester, only the survey's
/// published title, and carries no unsubscribe link (it answers a request made with the address).
enum SurveyMails {
    /// `survey-answer-link.*.mustache`.
    struct AnswerLink: MailModel {
        static let kind = MailKind.surveyAnswerLink
        let subject = "Votre lien pour répondre à l'enquête — Dialogue"
        let title: String
        /// Paris time, as French text.
        let expiresAt: String
        let closesAt: String
        let link: String
    }

    static func answerLink(
        _ event: SurveyAnswerLinkMailRequested, links: NotificationLinks, renderer: MailRenderer = .bundled
    ) throws(EnvelopeError) -> OutgoingMail {
        renderer.render(AnswerLink(
            title: event.title, expiresAt: FrenchDate.dateTime(event.expiresAt), closesAt: FrenchDate.dateTime(event.closesAt),
            link: try MailLink.web(links.url(.surveyAnswering(event.surveyID, token: event.token)))
        ), to: event.email)
    }
}
