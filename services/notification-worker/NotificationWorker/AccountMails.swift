import DialogueContracts
import Foundation
import ServiceKit

/// The mails of the account flows. They answer the person's own request, so they carry
/// no unsubscribe link.
enum AccountMails {
    static func confirmation(_ event: AccountEmailConfirmationRequested) throws(EnvelopeError) -> OutgoingMail {
        MailLayout.render(MailContent(
            subject: "Confirmez votre adresse électronique — Dialogue",
            name: event.displayName,
            paragraphs: [
                "Pour confirmer votre adresse électronique sur Dialogue, la plateforme de participation du CESER Hauts-de-France, ouvrez ce lien puis cliquez sur « Confirmer mon adresse ».",
                "Ce lien est valable jusqu'au \(FrenchDate.dateTime(event.expiresAt)) (heure de Paris).",
                "Si vous n'avez pas créé de compte sur Dialogue, ignorez ce message : aucun compte ne sera activé.",
            ],
            action: MailContent.Link(label: "Confirmer mon adresse", url: try MailLayout.webLink(event.confirmationURL))
        ), to: event.email)
    }

    static func passwordReset(_ event: AccountPasswordResetRequested) throws(EnvelopeError) -> OutgoingMail {
        MailLayout.render(MailContent(
            subject: "Réinitialisation de votre mot de passe — Dialogue",
            name: event.displayName,
            paragraphs: [
                "Pour choisir un nouveau mot de passe sur Dialogue, ouvrez ce lien.",
                // True: using a reset link marks every reset link of the account as used.
                "Ce lien est valable jusqu'au \(FrenchDate.dateTime(event.expiresAt)) (heure de Paris) et ne sert qu'une fois.",
                "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.",
            ],
            action: MailContent.Link(label: "Choisir un nouveau mot de passe", url: try MailLayout.webLink(event.resetURL))
        ), to: event.email)
    }
}
