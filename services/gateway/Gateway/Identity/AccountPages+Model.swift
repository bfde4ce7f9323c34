// What the citizen's account templates (`sign-in`, `register`, `confirm`, `forgot`,
// `forgot-sent`, `reset`, `account`, `account-delete`) show.

/// `/connexion`: the sign-in form, and the page to go back to afterwards.
struct SignInPage {
    let email: FormField
    let password: FormField
    let errors: ErrorSummary?
    /// A path of this site only (see `AccountPages.safeReturn`).
    let returnTo: String?
}

/// `/inscription`: the registration form, its optional profile fields and the terms.
struct RegistrationPage {
    let errors: ErrorSummary?
    let email: FormField
    let password: FormField
    let passwordConfirmation: FormField
    let displayName: FormField
    let postcode: FormField
    let commune: FormField
    let termsError: String?
}

/// `/confirmation`: the button that confirms an address with the mailed token.
struct EmailConfirmationPage {
    let token: String
}

/// A used or expired mailed link, as the shared `error` template tells it.
struct InvalidLinkPage {
    let message: String
}

/// `/mot-de-passe-oublie`: the address to send a reset link to.
struct ForgottenPasswordPage {
    let email: FormField
    var errors: ErrorSummary? = nil
}

/// After a reset was asked for: the same words whether or not the address has an account.
struct ResetLinkSentPage {
    let email: String
}

/// `/mot-de-passe/nouveau`: the new password, with the mailed token carried along.
struct PasswordResetPage {
    let token: String
    let errors: ErrorSummary?
    let password: FormField
    let passwordConfirmation: FormField
}

/// `/compte`: the citizen's address, profile form, password form and data links.
struct AccountPage {
    let email: String
    let unconfirmed: Bool
    let isStaff: Bool
    /// The profile form's errors.
    let errors: ErrorSummary?
    let displayName: FormField
    let postcode: FormField
    /// The département of the stored postcode, by name.
    let departement: String?
    let commune: FormField
    let ageBands: [Choice]
    let occupations: [Choice]
    let consent: Bool
    let consentError: String?
    /// The password form's errors, summed up in its own section.
    let passwordErrors: ErrorSummary?
    let currentPassword: FormField
    let newPassword: FormField
}

/// `/compte/suppression`: the password that confirms the deletion.
struct AccountDeletionPage {
    let password: FormField
    var errors: ErrorSummary? = nil
}
