import DialogueContracts
import Foundation
import ServiceKit
import Wording

/// The mails to people who signed a petition, often without an account. They answer a
/// signature or request made with the address, so they carry no unsubscribe link. Anyone can
/// sign with any address: the mails about a signature not confirmed by its address's owner
/// show none of the text typed in the form (the name), only the petition's published title.
enum SignatoryMails {
    /// `signature-confirmation.*.mustache`.
    struct Confirmation: MailModel {
        static let kind = MailKind.signatureConfirmation
        let subject = "Confirmez votre signature — Dialogue"
        let title: String
        /// Paris time, as French text.
        let expiresAt: String
        let link: String
    }

    /// `signed-again.*.mustache`.
    struct SignedAgain: MailModel {
        static let kind = MailKind.signedAgain
        let subject = "Vous avez déjà signé cette pétition — Dialogue"
        let title: String
        /// The day of the first signature, as French text.
        let firstSignedOn: String
        let link: String
    }

    /// `signatory-answer.*.mustache`.
    struct Answer: MailModel {
        static let kind = MailKind.signatoryAnswer
        let subject: String
        let name: String?
        let title: String
        let decision: String
        let link: String
    }

    static func confirmation(
        _ event: PetitionSignatureConfirmationRequested, links: NotificationLinks, renderer: MailRenderer = .bundled
    ) throws(EnvelopeError) -> OutgoingMail {
        renderer.render(Confirmation(
            title: event.title, expiresAt: FrenchDate.dateTime(event.expiresAt),
            link: try MailLink.web(links.url(.signatureConfirmation(token: event.token)))
        ), to: event.email)
    }

    static func signedAgain(
        _ event: PetitionSignedAgain, links: NotificationLinks, renderer: MailRenderer = .bundled
    ) throws(EnvelopeError) -> OutgoingMail {
        renderer.render(SignedAgain(
            title: event.title, firstSignedOn: FrenchDate.day(event.firstSignedAt),
            link: try MailLink.web(links.url(.petition(event.petitionID)))
        ), to: event.email)
    }

    /// The assembly answered a petition they signed and asked to be told about: one mail. The
    /// signature was confirmed from this address, so the name is the owner's own.
    static func answer(_ event: PetitionSignatoryNoticeRequested, links: NotificationLinks, renderer: MailRenderer = .bundled) -> OutgoingMail {
        renderer.render(Answer(
            subject: "L'assemblée a répondu à la pétition « \(event.title) » — Dialogue",
            name: greetingName(event.name), title: event.title, decision: event.decision.frenchLabel, link: links.url(.petition(event.petitionID))
        ), to: event.email)
    }
}
