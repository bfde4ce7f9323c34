import DialogueContracts
import Foundation
import ServiceKit

/// The French mails of the account flows, as plain text and HTML. Every value placed in
/// the HTML is escaped: a display name is text, never markup.
enum AccountMails {
    static func confirmation(_ event: AccountEmailConfirmationRequested) -> OutgoingMail {
        let greeting = greeting(event.displayName)
        let expiry = FrenchDate.dateTime(event.expiresAt)
        let text = """
            \(greeting)

            Pour confirmer votre adresse électronique sur Dialogue, la plateforme de participation du CESER Hauts-de-France, ouvrez ce lien puis cliquez sur « Confirmer mon adresse » :

            \(event.confirmationURL)

            Ce lien est valable jusqu'au \(expiry).

            Si vous n'avez pas créé de compte sur Dialogue, ignorez ce message : aucun compte ne sera activé.
            """
        let html = page(title: "Confirmez votre adresse électronique", paragraphs: [
            escape(greeting),
            "Pour confirmer votre adresse électronique sur Dialogue, la plateforme de participation du CESER Hauts-de-France, ouvrez ce lien puis cliquez sur « Confirmer mon adresse » :",
            "<a href=\"\(escape(event.confirmationURL))\">Confirmer mon adresse</a>",
            "Ce lien est valable jusqu'au \(escape(expiry)).",
            "Si vous n'avez pas créé de compte sur Dialogue, ignorez ce message : aucun compte ne sera activé.",
        ])
        return OutgoingMail(to: event.email, subject: "Confirmez votre adresse électronique — Dialogue", text: text, html: html)
    }

    static func passwordReset(_ event: AccountPasswordResetRequested) -> OutgoingMail {
        let greeting = greeting(event.displayName)
        let expiry = FrenchDate.dateTime(event.expiresAt)
        let text = """
            \(greeting)

            Pour choisir un nouveau mot de passe sur Dialogue, ouvrez ce lien :

            \(event.resetURL)

            Ce lien est valable jusqu'au \(expiry) et ne sert qu'une fois.

            Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.
            """
        let html = page(title: "Réinitialisation de votre mot de passe", paragraphs: [
            escape(greeting),
            "Pour choisir un nouveau mot de passe sur Dialogue, ouvrez ce lien :",
            "<a href=\"\(escape(event.resetURL))\">Choisir un nouveau mot de passe</a>",
            "Ce lien est valable jusqu'au \(escape(expiry)) et ne sert qu'une fois.",
            "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.",
        ])
        return OutgoingMail(to: event.email, subject: "Réinitialisation de votre mot de passe — Dialogue", text: text, html: html)
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
