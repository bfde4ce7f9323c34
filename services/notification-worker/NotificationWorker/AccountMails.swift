import DialogueContracts
import Foundation
import ServiceKit

/// The French mails of the account flows, as plain text and HTML. Every value placed in
/// the HTML is escaped: a display name is text, never markup.
enum AccountMails {
    static func confirmation(_ event: AccountEmailConfirmationRequested) throws(EnvelopeError) -> OutgoingMail {
        let link = try webLink(event.confirmationURL)
        let greeting = greeting(event.displayName)
        let expiry = FrenchDate.dateTime(event.expiresAt) + " (heure de Paris)"
        let text = """
            \(greeting)

            Pour confirmer votre adresse électronique sur Dialogue, la plateforme de participation du CESER Hauts-de-France, ouvrez ce lien puis cliquez sur « Confirmer mon adresse » :

            \(link)

            Ce lien est valable jusqu'au \(expiry).

            Si vous n'avez pas créé de compte sur Dialogue, ignorez ce message : aucun compte ne sera activé.
            """
        let html = page(title: "Confirmez votre adresse électronique", paragraphs: [
            escape(greeting),
            "Pour confirmer votre adresse électronique sur Dialogue, la plateforme de participation du CESER Hauts-de-France, ouvrez ce lien puis cliquez sur « Confirmer mon adresse » :",
            "<a href=\"\(escape(link))\">Confirmer mon adresse</a>",
            "Ce lien est valable jusqu'au \(escape(expiry)).",
            "Si vous n'avez pas créé de compte sur Dialogue, ignorez ce message : aucun compte ne sera activé.",
        ])
        return OutgoingMail(to: event.email, subject: "Confirmez votre adresse électronique — Dialogue", text: text, html: html)
    }

    static func passwordReset(_ event: AccountPasswordResetRequested) throws(EnvelopeError) -> OutgoingMail {
        let link = try webLink(event.resetURL)
        let greeting = greeting(event.displayName)
        let expiry = FrenchDate.dateTime(event.expiresAt) + " (heure de Paris)"
        let text = """
            \(greeting)

            Pour choisir un nouveau mot de passe sur Dialogue, ouvrez ce lien :

            \(link)

            Ce lien est valable jusqu'au \(expiry) et ne sert qu'une fois.

            Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.
            """
        let html = page(title: "Réinitialisation de votre mot de passe", paragraphs: [
            escape(greeting),
            "Pour choisir un nouveau mot de passe sur Dialogue, ouvrez ce lien :",
            "<a href=\"\(escape(link))\">Choisir un nouveau mot de passe</a>",
            "Ce lien est valable jusqu'au \(escape(expiry)) et ne sert qu'une fois.",
            "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.",
        ])
        return OutgoingMail(to: event.email, subject: "Réinitialisation de votre mot de passe — Dialogue", text: text, html: html)
    }

    /// The link a mail invites the person to open: only a web address, never `javascript:`
    /// or another scheme a mail client would act on. A bad link is a bug of the sender: the
    /// event is dead-lettered, not mailed.
    static func webLink(_ text: String) throws(EnvelopeError) -> String {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "https" || scheme == "http", let host = components.host, !host.isEmpty
        else {
            throw EnvelopeError(description: "the mail's link is not an http(s) address")
        }
        return text
    }

    private static func greeting(_ name: String?) -> String {
        guard let name, !name.isEmpty else { return "Bonjour," }
        return "Bonjour \(name),"
    }

    private static func page(title: String, paragraphs: [String]) -> String {
        """
        <!doctype html>
        <html lang="fr"><head><meta charset="utf-8"><title>\(escape(title))</title></head>
        <body style="font-family: Arial, sans-serif; line-height: 1.5; color: #1b1f24;">
        \(paragraphs.map { "<p>\($0)</p>" }.joined(separator: "\n"))
        <p style="color: #4a5560;">Dialogue — CESER Hauts-de-France</p>
        </body></html>
        """
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
