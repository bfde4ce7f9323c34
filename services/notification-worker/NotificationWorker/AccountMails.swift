import DialogueContracts
import Foundation
import ServiceKit

/// The mails of the account flows. They answer the person's own request, so they carry
/// no unsubscribe link.
enum AccountMails {
    /// `email-confirmation.*.mustache`.
    struct EmailConfirmation: MailModel {
        static let kind = MailKind.emailConfirmation
        let subject = "Confirmez votre adresse électronique — Dialogue"
        let name: String?
        /// Paris time, as French text.
        let expiresAt: String
        let link: String
    }

    /// `password-reset.*.mustache`. It says the link serves once, which is true: using a
    /// reset link marks every reset link of the account as used.
    struct PasswordReset: MailModel {
        static let kind = MailKind.passwordReset
        let subject = "Réinitialisation de votre mot de passe — Dialogue"
        let name: String?
        /// Paris time, as French text.
        let expiresAt: String
        let link: String
    }

    // The gateway builds these links (it holds the tokens); a link that is not a web address is refused.

    static func confirmation(
        _ event: AccountEmailConfirmationRequested, renderer: MailRenderer = .bundled
    ) throws(EnvelopeError) -> OutgoingMail {
        renderer.render(EmailConfirmation(
            name: greetingName(event.displayName), expiresAt: FrenchDate.dateTime(event.expiresAt), link: try MailLink.web(event.confirmationURL)
        ), to: event.email)
    }

    static func passwordReset(_ event: AccountPasswordResetRequested, renderer: MailRenderer = .bundled) throws(EnvelopeError) -> OutgoingMail {
        renderer.render(PasswordReset(
            name: greetingName(event.displayName), expiresAt: FrenchDate.dateTime(event.expiresAt), link: try MailLink.web(event.resetURL)
        ), to: event.email)
    }
}
