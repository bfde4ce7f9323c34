public import Foundation

// What happens to accounts (schema `identity`, owned by the gateway), for the services that keep a copy or act on it.

/// A citizen registered (or asked for a new link) and must confirm their address:
/// the notification worker mails them `confirmationURL`.
///
/// The link carries a single-use token; only queues bound to this type ever see it, and the
/// outbox blanks the row once published (`carriesSecrets`).
public struct AccountEmailConfirmationRequested: DialogueEvent {
    public static let messageType = "account.email_confirmation_requested"
    public static let schemaVersion = 1
    public static let carriesSecrets = true

    public var accountID: UUID
    public var email: String
    public var displayName: String?
    /// The page with the button that confirms (a GET never consumes the token).
    public var confirmationURL: String
    public var expiresAt: Date

    public init(accountID: UUID, email: String, displayName: String?, confirmationURL: String, expiresAt: Date) {
        self.accountID = accountID
        self.email = email
        self.displayName = displayName
        self.confirmationURL = confirmationURL
        self.expiresAt = expiresAt
    }
}

/// Someone asked to reset the password of an account: the notification worker mails `resetURL`.
public struct AccountPasswordResetRequested: DialogueEvent {
    public static let messageType = "account.password_reset_requested"
    public static let schemaVersion = 1
    public static let carriesSecrets = true

    public var accountID: UUID
    public var email: String
    public var displayName: String?
    /// The page where the new password is chosen (a GET never consumes the token).
    public var resetURL: String
    public var expiresAt: Date

    public init(accountID: UUID, email: String, displayName: String?, resetURL: String, expiresAt: Date) {
        self.accountID = accountID
        self.email = email
        self.displayName = displayName
        self.resetURL = resetURL
        self.expiresAt = expiresAt
    }
}

/// Someone tried to register an address that already has an account (whatever its spelling):
/// the notification worker tells the owner, while the one who tried saw the same page as after
/// a registration, so that the form does not tell who has an account.
public struct AccountRegistrationAttempted: DialogueEvent {
    public static let messageType = "account.registration_attempted"
    public static let schemaVersion = 1

    public var accountID: UUID
    /// The account's own address (not the spelling typed in the form).
    public var email: String
    public var attemptedAt: Date

    public init(accountID: UUID, email: String, attemptedAt: Date) {
        self.accountID = accountID
        self.email = email
        self.attemptedAt = attemptedAt
    }
}

/// A citizen deleted their account. Every service removes the personal data it holds for
/// this person and shows what they wrote as `anonymousAuthorName`.
///
/// Services that keyed data by e-mail (signatures given before the account existed) find it
/// by `normalizedEmails`, normalised with `EmailAddress.normalized`.
public struct AccountErased: DialogueEvent {
    public static let messageType = "account.erased"
    public static let schemaVersion = 1
    /// What replaces the name of a person who erased their account.
    public static let anonymousAuthorName = "Participant anonyme"

    public var accountID: UUID
    public var normalizedEmails: [String]
    public var erasedAt: Date

    public init(accountID: UUID, normalizedEmails: [String], erasedAt: Date) {
        self.accountID = accountID
        self.normalizedEmails = normalizedEmails
        self.erasedAt = erasedAt
    }
}

/// What the notification worker needs to know of an account, sent whenever it changes
/// (registration, confirmation, profile, roles, disabling): the worker keeps its own copy,
/// so it never mails an unconfirmed or disabled address and knows each staff member's roles.
public struct AccountContactChanged: DialogueEvent {
    public static let messageType = "account.contact_changed"
    public static let schemaVersion = 1

    public var accountID: UUID
    public var email: String
    public var displayName: String?
    public var emailConfirmed: Bool
    public var disabled: Bool
    /// Staff roles (`administrator`, `moderator`, `staff`, `analyst`); empty for a citizen.
    public var staffRoles: [String]
    /// When the change was made: a copy applies only a newer one (events may be redelivered late).
    public var changedAt: Date

    public init(accountID: UUID, email: String, displayName: String?, emailConfirmed: Bool, disabled: Bool, staffRoles: [String], changedAt: Date) {
        self.accountID = accountID
        self.email = email
        self.displayName = displayName
        self.emailConfirmed = emailConfirmed
        self.disabled = disabled
        self.staffRoles = staffRoles
        self.changedAt = changedAt
    }
}
