import DialogueContracts
import Foundation
import ServiceKit

/// The mails to people who signed a petition, often without an account. They answer the
/// person's own signature or request, so they carry no unsubscribe link.
enum SignatoryMails {
    static func confirmation(_ event: PetitionSignatureConfirmationRequested, links: NotificationLinks) throws(EnvelopeError) -> OutgoingMail {
        MailLayout.render(MailContent(
            subject: "Confirmez votre signature — Dialogue",
            name: event.name,
            paragraphs: [
                "Vous avez signé la pétition « \(event.title) » sur Dialogue, la plateforme de participation du CESER Hauts-de-France.",
                "Pour que votre signature compte, ouvrez ce lien puis cliquez sur « Confirmer ma signature ». Il est valable jusqu'au \(FrenchDate.dateTime(event.expiresAt)) (heure de Paris).",
                "Si vous n'avez pas signé cette pétition, ignorez ce message : sans confirmation, la signature sera effacée.",
            ],
            action: MailContent.Link(
                label: "Confirmer ma signature", url: try MailLayout.webLink(links.url(SignatureConfirmation.pagePath(token: event.token)))
            )
        ), to: event.email)
    }

    static func signedAgain(_ event: PetitionSignedAgain, links: NotificationLinks) throws(EnvelopeError) -> OutgoingMail {
        MailLayout.render(MailContent(
            subject: "Vous avez déjà signé cette pétition — Dialogue",
            name: event.name,
            paragraphs: [
                "Vous venez de signer à nouveau la pétition « \(event.title) ». Votre première signature, du \(FrenchDate.day(event.firstSignedAt)), est bien enregistrée et compte : une seule signature par personne est retenue.",
                "Merci pour votre soutien ! Pour aider la pétition, vous pouvez la faire connaître autour de vous.",
                "Si vous n'êtes pas à l'origine de cette nouvelle signature, ignorez ce message : rien n'a changé.",
            ],
            action: MailContent.Link(label: "Voir la pétition", url: try MailLayout.webLink(links.url("/petitions/\(event.petitionID.uuidString.lowercased())")))
        ), to: event.email)
    }

    /// The assembly answered a petition they signed and asked to be told about: one mail.
    static func answer(_ event: PetitionSignatoryNoticeRequested, links: NotificationLinks) -> OutgoingMail {
        MailLayout.render(MailContent(
            subject: "L'assemblée a répondu à la pétition « \(event.title) » — Dialogue",
            name: event.name,
            paragraphs: [
                "Vous avez signé la pétition « \(event.title) » et demandé à être informé·e de la réponse de l'assemblée du CESER Hauts-de-France.",
                "Décision : \(event.decision.frenchLabel).",
                "La réponse complète, et le rapport quand il y en a un, sont publiés sur la page de la pétition.",
            ],
            action: MailContent.Link(label: "Lire la réponse de l'assemblée", url: links.url(event.publicPath)),
            footer: ["Vous recevez ce message, une seule fois, car vous l'avez demandé en signant la pétition."]
        ), to: event.email)
    }
}
