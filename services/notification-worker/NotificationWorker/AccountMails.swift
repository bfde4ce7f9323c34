import DialogueContracts
import Foundation
import ServiceKit

/// The mails of the account flows. They answer a request made with the address, so they
/// carry no unsubscribe link. Whoever made it may not own the address: these mails show no
/// text chosen in the form (a display name) unless the address was confirmed.
enum AccountMails {
    /// `email-confirmation.*.mustache`. No name: the one who registered chose it, and the
    /// address is not confirmed yet.
    struct EmailConfirmation: MailModel {
        static let kind = MailKind.emailConfirmation
        let subject = "Confirmez votre adresse électronique — Dialogue"
        /// Paris time, as French text.
        let expiresAt: String
        let link: String
    }

    /// `password-reset.*.mustache`. It says the link serves once, which is true: using a
    /// reset link marks every reset link of the account as used. The name only for an address
    /// its owner confirmed (else whoever registered it chose the name).
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
            expiresAt: FrenchDate.dateTime(event.expiresAt), link: try MailLink.web(event.confirmationURL)
        ), to: event.email)
    }

    /// - Parameter addressConfirmed: whether the worker knows the account's address as
    ///   confirmed (its copy of the contacts); only then does the mail greet by name.
    static func passwordReset(
        _ event: AccountPasswordResetRequested, addressConfirmed: Bool, renderer: MailRenderer = .bundled
    ) throws(EnvelopeError) -> OutgoingMail {
        renderer.render(PasswordReset(
            name: addressConfirmed ? greetingName(event.displayName) : nil, expiresAt: FrenchDate.dateTime(event.expiresAt),
            link: try MailLink.web(event.resetURL)
        ), to: event.email)
    }

    /// `registration-attempt.*.mustache`: someone tried to register the owner's address.
    struct RegistrationAttempt: MailModel {
        static let kind = MailKind.registrationAttempt
        let subject = "Tentative de création de compte avec votre adresse — Dialogue"
        /// Paris time, as French text.
        let attemptedAt: String
        let signInLink: String
        let resetLink: String
    }

    static func registrationAttempt(_ event: AccountRegistrationAttempted, links: NotificationLinks, renderer: MailRenderer = .bundled) -> OutgoingMail {
        renderer.render(RegistrationAttempt(
            attemptedAt: FrenchDate.dateTime(event.attemptedAt), signInLink: links.url(.signIn), resetLink: links.url(.forgottenPassword)
        ), to: event.email)
    }
}
