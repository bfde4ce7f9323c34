import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// Registration, confirmation, sign-in and out, password reset, and the citizen's account page
/// (profile, password, data download, deletion).
struct AccountPages: Sendable {
    let web: WebDependencies

    func register(on pages: SecuredRoutes) {
        pages.get("connexion", .everyone) { request, context in
            signInPage(request, context, email: nil, errors: FormErrors(), returnTo: request.uri.queryParameters.get("retour"))
        }
        pages.post("connexion", .everyone) { request, context in try await signIn(request, context) }
        pages.post("deconnexion", .everyone) { request, context in try await signOut(request, context) }

        pages.get("inscription", .everyone) { request, context in registrationPage(request, context, form: FormFields(), errors: FormErrors()) }
        pages.post("inscription", .everyone) { request, context in try await registerCitizen(request, context) }

        pages.get("confirmation", .everyone) { request, context in try await confirmationPage(request, context) }
        pages.post("confirmation", .everyone) { request, context in try await confirm(request, context) }

        pages.get("mot-de-passe-oublie", .everyone) { request, context in
            let model = ForgottenPasswordPage(email: FormField(name: "email", label: "Adresse électronique", type: "email", autocomplete: "email", required: true))
            return web.render(Page("forgot", title: "Mot de passe oublié", model: model), request, context)
        }
        pages.post("mot-de-passe-oublie", .everyone) { request, context in try await requestReset(request, context) }
        pages.get("mot-de-passe/nouveau", .everyone) { request, context in try await resetPage(request, context) }
        pages.post("mot-de-passe/nouveau", .everyone) { request, context in try await resetPassword(request, context) }

        pages.get("compte", .signedIn) { request, context in try accountPage(request, context, form: nil, errors: FormErrors()) }
        pages.post("compte", .signedIn) { request, context in try await saveProfile(request, context) }
        pages.post("compte/mot-de-passe", .signedIn) { request, context in try await changePassword(request, context) }
        pages.post("compte/confirmation", .signedIn) { request, context in try await resendConfirmation(request, context) }
        pages.get("compte/donnees", .signedIn) { _, context in try await downloadData(context) }
        pages.get("compte/suppression", .signedIn) { request, context in
            let model = AccountDeletionPage(password: passwordField("password", "Mot de passe actuel", autocomplete: "current-password"))
            return web.render(Page("account-delete", title: "Supprimer mon compte", model: model), request, context)
        }
        pages.post("compte/suppression", .signedIn) { request, context in try await deleteAccount(request, context) }
    }

    // MARK: Sign-in

    private func signInPage(_ request: Request, _ context: WebContext, email: String?, errors: FormErrors, returnTo: String?, status: HTTPResponse.Status = .ok) -> Response {
        let model = SignInPage(
            email: FormField(name: "email", label: "Adresse électronique", type: "email", value: email, error: errors["email"], autocomplete: "email", required: true),
            password: passwordField("password", "Mot de passe", error: errors["password"], autocomplete: "current-password"),
            errors: errors.summary,
            returnTo: Self.safeReturn(returnTo)
        )
        return web.render(Page("sign-in", title: Page.title("Connexion", hasErrors: !errors.isEmpty), status: status, model: model), request, context)
    }

    private func signIn(_ request: Request, _ context: WebContext) async throws -> Response {
        try await web.limiter.check(web.settings.rateLimits.signIn, client: context.clientAddress)
        let form = context.form
        let email = form["email"] ?? ""
        let password = form.raw("password") ?? ""
        let returnTo = form["retour"]
        var errors = FormErrors()
        if email.isEmpty { errors.add("email", "Indiquez votre adresse électronique.") }
        if password.isEmpty { errors.add("password", "Indiquez votre mot de passe.") }
        guard errors.isEmpty else { return signInPage(request, context, email: email, errors: errors, returnTo: returnTo, status: .unprocessableContent) }

        // Wrong passwords slow the next attempts down (by typed address and by client), but
        // never lock: the right password opens, after a few seconds at most. Known and unknown
        // addresses go through the same steps (a wait, a bcrypt check, the same refusal).
        let throttle = SignInThrottle(client: web.database, policy: web.settings.signInThrottle, logger: web.logger)
        try await throttle.wait(email: email, client: context.clientAddress)
        let record = try await web.accounts.signInRecord(email: email)
        let usable = record.flatMap { $0.account.disabledAt == nil ? $0.passwordHash : nil }
        let hash: String
        if let usable { hash = usable } else { hash = try await web.hasher.dummyHash() }
        let matches = try await web.hasher.verify(password, against: hash)
        guard let record, usable != nil, matches else {
            try await throttle.recordFailure(email: email, client: context.clientAddress)
            errors.add("password", Self.refused)
            return signInPage(request, context, email: email, errors: errors, returnTo: returnTo, status: .unprocessableContent)
        }
        try await throttle.recordSuccess(email: email, client: context.clientAddress)
        // A new session token at every sign-in: a token planted before (fixation) is worth nothing.
        if let old = context.visitor.sessionToken { try await web.sessions.close(old) }
        let token = try await web.sessions.open(for: record.account.id)
        if record.account.isStaff {
            try await AuditLog.record(actor: record.account, action: "staff.signed_in", objectType: "account",
                                      objectID: record.account.id.uuidString.lowercased(), client: web.database, logger: web.logger)
        }
        var response = PageRenderer.redirect(to: Self.safeReturn(returnTo) ?? (record.account.isStaff ? "/admin" : "/compte"))
        response.setCookie(web.cookies.sessionCookie(token))
        return response
    }

    private func signOut(_ request: Request, _ context: WebContext) async throws -> Response {
        if let token = context.visitor.sessionToken { try await web.sessions.close(token) }
        var response = PageRenderer.redirect(to: "/", notice: IdentityNotice.signedOut)
        response.setCookie(web.cookies.expiredSessionCookie())
        return response
    }

    /// The one refusal of the sign-in form, whether the address has an account or not.
    static let refused = "Adresse électronique ou mot de passe incorrect."

    /// Only a path on this site (`/…`, not `//host`), so the sign-in page cannot send people elsewhere.
    static func safeReturn(_ target: String?) -> String? {
        guard let target, target.hasPrefix("/"), !target.hasPrefix("//"), !target.hasPrefix("/\\"), target.count < 500, !target.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else { return nil }
        return target
    }

    // MARK: Registration

    private func registrationPage(_ request: Request, _ context: WebContext, form: FormFields, errors: FormErrors, status: HTTPResponse.Status = .ok) -> Response {
        let model = RegistrationPage(
            errors: errors.summary,
            email: FormField(name: "email", label: "Adresse électronique", type: "email", value: form["email"], hint: "Un lien de confirmation vous sera envoyé.", error: errors["email"], autocomplete: "email", required: true),
            password: passwordField("password", "Mot de passe", hint: "Au moins 12 caractères. Une phrase de passe facile à retenir convient très bien.", error: errors["password"], autocomplete: "new-password"),
            passwordConfirmation: passwordField("password_confirmation", "Confirmez le mot de passe", error: errors["password_confirmation"], autocomplete: "new-password"),
            displayName: FormField(name: "display_name", label: "Nom affiché (facultatif)", value: form["display_name"], hint: "Montré à côté de vos contributions. Sans nom, la partie de votre adresse avant « @ » est utilisée.", error: errors["display_name"], autocomplete: "nickname"),
            postcode: FormField(name: "postcode", label: "Code postal (facultatif)", value: form["postcode"], hint: "5 chiffres, par exemple 59000.", error: errors["postcode"], autocomplete: "postal-code"),
            commune: FormField(name: "commune", label: "Commune (facultatif)", value: form["commune"], error: errors["commune"], autocomplete: "address-level2"),
            termsError: errors["terms"]
        )
        return web.render(Page("register", title: Page.title("Créer un compte", hasErrors: !errors.isEmpty), status: status, model: model), request, context)
    }

    private func registerCitizen(_ request: Request, _ context: WebContext) async throws -> Response {
        try await web.limiter.check(web.settings.rateLimits.registration, client: context.clientAddress)
        let form = context.form
        var errors = FormErrors()
        let email = form["email"] ?? ""
        if !EmailAddress.isValid(email) { errors.add("email", "Indiquez une adresse électronique valide, par exemple nom@exemple.fr.") }
        let password = form.raw("password") ?? ""
        if let weakness = PasswordHasher.weakness(of: password) { errors.add("password", weakness) }
        if password != (form.raw("password_confirmation") ?? "") { errors.add("password_confirmation", "Les deux mots de passe ne sont pas identiques.") }
        let profile = Self.validateProfile(form, into: &errors)
        if !form.isChecked("terms") { errors.add("terms", "Acceptez les conditions d'utilisation pour créer un compte.") }
        guard errors.isEmpty else { return registrationPage(request, context, form: form, errors: errors, status: .unprocessableContent) }

        let hash = try await web.hasher.hash(password)
        do {
            _ = try await web.accounts.registerCitizen(
                email: email, passwordHash: hash, displayName: profile.displayName, postcode: profile.postcode, commune: profile.commune, links: web.links
            )
        } catch AccountError.emailTaken {
            // The owner is told by mail; the form answers as for a new account, so that it
            // does not tell who has an account.
        }
        // No session either way: the person signs in (once confirmed, or at once) like anyone.
        return PageRenderer.redirect(to: "/connexion", notice: IdentityNotice.registered)
    }

    /// Reads and checks the optional profile fields shared by registration and the account page.
    static func validateProfile(_ form: FormFields, into errors: inout FormErrors) -> AccountStore.Profile {
        let displayName = form["display_name"]
        if let displayName, displayName.count > 60 { errors.add("display_name", "Le nom affiché doit compter 60 caractères au plus.") }
        let postcode = form["postcode"]?.replacingOccurrences(of: " ", with: "")
        if let postcode, !Region.isValidPostcode(postcode) { errors.add("postcode", "Le code postal doit compter 5 chiffres, par exemple 59000.") }
        let commune = form["commune"]
        if let commune, commune.count > 100 { errors.add("commune", "Le nom de la commune doit compter 100 caractères au plus.") }
        let consent = form.isChecked("demographics_consent")
        let ageBand = form["age_band"].flatMap(AgeBand.init(rawValue:))
        let occupation = form["occupation"].flatMap(Occupation.init(rawValue:))
        if !consent, ageBand != nil || occupation != nil {
            errors.add("demographics_consent", "Cochez la case d'accord pour que votre tranche d'âge et votre situation soient enregistrées, ou laissez-les vides.")
        }
        return AccountStore.Profile(displayName: displayName, postcode: postcode, commune: commune, ageBand: ageBand, occupation: occupation, demographicsConsent: consent)
    }

    // MARK: Confirmation (GET shows a button; only the POST uses the token)

    private func confirmationPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let token = request.uri.queryParameters.get("jeton") ?? ""
        guard !token.isEmpty, try await web.accounts.tokenIsUsable(token, purpose: .emailConfirmation) else {
            return invalidLinkPage(request, context)
        }
        return web.render(Page("confirm", title: "Confirmer votre adresse", model: EmailConfirmationPage(token: token)), request, context)
    }

    private func confirm(_ request: Request, _ context: WebContext) async throws -> Response {
        do {
            _ = try await web.accounts.confirmEmail(token: context.form["jeton"] ?? "", keepingSession: context.visitor.sessionToken)
        } catch AccountError.invalidToken {
            return invalidLinkPage(request, context)
        }
        return web.render(Page("confirmed", title: "Adresse confirmée"), request, context)
    }

    private func invalidLinkPage(_ request: Request, _ context: WebContext) -> Response {
        web.render(Page(
            "error", title: "Lien invalide ou expiré", status: .gone,
            model: InvalidLinkPage(message: "Ce lien n'est plus valable : il a déjà servi ou il a expiré. Depuis votre compte, vous pouvez demander un nouveau lien de confirmation ; depuis la page de connexion, un nouveau lien de réinitialisation.")
        ), request, context)
    }

    // MARK: Password reset

    private func requestReset(_ request: Request, _ context: WebContext) async throws -> Response {
        try await web.limiter.check(web.settings.rateLimits.passwordReset, client: context.clientAddress)
        let email = context.form["email"] ?? ""
        guard EmailAddress.isValid(email) else {
            var errors = FormErrors()
            errors.add("email", "Indiquez une adresse électronique valide, par exemple nom@exemple.fr.")
            let model = ForgottenPasswordPage(
                email: FormField(name: "email", label: "Adresse électronique", type: "email", value: email, error: errors["email"], autocomplete: "email", required: true),
                errors: errors.summary
            )
            return web.render(Page("forgot", title: Page.title("Mot de passe oublié", hasErrors: true), status: .unprocessableContent, model: model), request, context)
        }
        try await web.accounts.requestPasswordReset(email: email, links: web.links)
        // The same answer whether or not an account exists: the form does not reveal who is registered.
        return web.render(Page("forgot-sent", title: "Courriel envoyé", model: ResetLinkSentPage(email: email)), request, context)
    }

    private func resetPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let token = request.uri.queryParameters.get("jeton") ?? ""
        guard !token.isEmpty, try await web.accounts.tokenIsUsable(token, purpose: .passwordReset) else {
            return invalidLinkPage(request, context)
        }
        return resetForm(request, context, token: token, errors: FormErrors())
    }

    private func resetForm(_ request: Request, _ context: WebContext, token: String, errors: FormErrors, status: HTTPResponse.Status = .ok) -> Response {
        let model = PasswordResetPage(
            token: token,
            errors: errors.summary,
            password: passwordField("password", "Nouveau mot de passe", hint: "Au moins 12 caractères.", error: errors["password"], autocomplete: "new-password"),
            passwordConfirmation: passwordField("password_confirmation", "Confirmez le nouveau mot de passe", error: errors["password_confirmation"], autocomplete: "new-password")
        )
        return web.render(Page("reset", title: Page.title("Nouveau mot de passe", hasErrors: !errors.isEmpty), status: status, model: model), request, context)
    }

    private func resetPassword(_ request: Request, _ context: WebContext) async throws -> Response {
        let token = context.form["jeton"] ?? ""
        let password = context.form.raw("password") ?? ""
        var errors = FormErrors()
        if let weakness = PasswordHasher.weakness(of: password) { errors.add("password", weakness) }
        if password != (context.form.raw("password_confirmation") ?? "") { errors.add("password_confirmation", "Les deux mots de passe ne sont pas identiques.") }
        guard errors.isEmpty else { return resetForm(request, context, token: token, errors: errors, status: .unprocessableContent) }
        do {
            _ = try await web.accounts.resetPassword(token: token, newHash: try await web.hasher.hash(password))
        } catch AccountError.invalidToken {
            return invalidLinkPage(request, context)
        }
        var response = PageRenderer.redirect(to: "/connexion", notice: IdentityNotice.passwordChanged)
        if context.visitor.sessionToken != nil { response.setCookie(web.cookies.expiredSessionCookie()) }
        return response
    }

    // MARK: Account page

    private func accountPage(_ request: Request, _ context: WebContext, form: FormFields?, errors: FormErrors, passwordErrors: FormErrors = FormErrors(), status: HTTPResponse.Status = .ok) throws -> Response {
        let account = try context.requireAccount()
        func value(_ name: String, _ stored: String?) -> String? { form.map { $0[name] } ?? stored }
        let consent = form.map { $0.isChecked("demographics_consent") } ?? (account.demographicsConsentAt != nil)
        let ageBand = value("age_band", account.ageBand)
        let occupation = value("occupation", account.occupation)
        let model = AccountPage(
            email: account.email,
            unconfirmed: !account.isConfirmed,
            isStaff: account.isStaff,
            errors: errors.summary,
            displayName: FormField(name: "display_name", label: "Nom affiché", value: value("display_name", account.displayName), hint: "Montré à côté de vos contributions.", error: errors["display_name"], autocomplete: "nickname"),
            postcode: FormField(name: "postcode", label: "Code postal", value: value("postcode", account.postcode), hint: "5 chiffres, par exemple 59000.", error: errors["postcode"], autocomplete: "postal-code"),
            departement: account.departement.flatMap { Region.departements[$0] },
            commune: FormField(name: "commune", label: "Commune", value: value("commune", account.commune), error: errors["commune"], autocomplete: "address-level2"),
            ageBands: AgeBand.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == ageBand) },
            occupations: Occupation.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == occupation) },
            consent: consent,
            consentError: errors["demographics_consent"],
            passwordErrors: passwordErrors.summary,
            currentPassword: passwordField("current_password", "Mot de passe actuel", error: passwordErrors["current_password"], autocomplete: "current-password"),
            newPassword: passwordField("new_password", "Nouveau mot de passe", hint: "Au moins 12 caractères.", error: passwordErrors["new_password"], autocomplete: "new-password")
        )
        return web.render(Page("account", title: Page.title("Mon compte", hasErrors: !(errors.isEmpty && passwordErrors.isEmpty)), status: status, model: model), request, context)
    }

    private func saveProfile(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        var errors = FormErrors()
        let profile = Self.validateProfile(context.form, into: &errors)
        guard errors.isEmpty else { return try accountPage(request, context, form: context.form, errors: errors, status: .unprocessableContent) }
        _ = try await web.accounts.updateProfile(of: account.id, profile)
        return PageRenderer.redirect(to: "/compte", notice: IdentityNotice.profileSaved)
    }

    private func changePassword(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        try await web.limiter.check(web.settings.rateLimits.signIn, client: context.clientAddress)
        var errors = FormErrors()
        let current = context.form.raw("current_password") ?? ""
        let new = context.form.raw("new_password") ?? ""
        if let hash = try await web.accounts.passwordHash(of: account.id) {
            if try await !web.hasher.verify(current, against: hash) { errors.add("current_password", "Le mot de passe actuel est incorrect.") }
        } else {
            errors.add("current_password", "Ce compte n'a pas encore de mot de passe : utilisez « Mot de passe oublié ».")
        }
        if let weakness = PasswordHasher.weakness(of: new) { errors.add("new_password", weakness) }
        guard errors.isEmpty else { return try accountPage(request, context, form: nil, errors: FormErrors(), passwordErrors: errors, status: .unprocessableContent) }
        try await web.accounts.changePassword(of: account.id, newHash: try await web.hasher.hash(new), keepingSession: context.visitor.sessionToken)
        return PageRenderer.redirect(to: "/compte", notice: IdentityNotice.passwordChanged)
    }

    private func resendConfirmation(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        try await web.limiter.check(web.settings.rateLimits.passwordReset, client: context.clientAddress)
        if !account.isConfirmed { try await web.accounts.resendConfirmation(for: account, links: web.links) }
        return PageRenderer.redirect(to: "/compte", notice: IdentityNotice.confirmationSent)
    }

    // MARK: Personal data

    private func downloadData(_ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        guard let export = try await web.accounts.export(account.id) else { throw AccessDenied(signedIn: false) }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json; charset=utf-8",
                .contentDisposition: "attachment; filename=\"mes-donnees-dialogue.json\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: .init(bytes: try encoder.encode(export)))
        )
    }

    private func deleteAccount(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        try await web.limiter.check(web.settings.rateLimits.signIn, client: context.clientAddress)
        let password = context.form.raw("password") ?? ""
        let hash = try await web.accounts.passwordHash(of: account.id)
        guard let hash, try await web.hasher.verify(password, against: hash) else {
            var errors = FormErrors()
            errors.add("password", "Le mot de passe est incorrect : le compte n'a pas été supprimé.")
            let model = AccountDeletionPage(password: passwordField("password", "Mot de passe actuel", error: errors["password"], autocomplete: "current-password"), errors: errors.summary)
            return web.render(Page("account-delete", title: Page.title("Supprimer mon compte", hasErrors: true), status: .unprocessableContent, model: model), request, context)
        }
        try await web.accounts.erase(account.id)
        var response = PageRenderer.redirect(to: "/", notice: IdentityNotice.accountDeleted)
        response.setCookie(web.cookies.expiredSessionCookie())
        return response
    }
}

func passwordField(_ name: String, _ label: String, hint: String? = nil, error: String? = nil, autocomplete: String) -> FormField {
    FormField(name: name, label: label, type: "password", hint: hint, error: error, autocomplete: autocomplete, required: true)
}
