import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// The staff accounts, the audit log and the API tokens of the back-office (`/admin`).
struct StaffAccountPages: Sendable {
    let web: WebDependencies

    static let administrators = Access.staff([.administrator])

    func register(on admin: SecuredRoutes) {
        admin.get("utilisateurs", Self.administrators) { request, context in try await users(request, context) }
        admin.get("utilisateurs/nouveau", Self.administrators) { request, context in newStaffPage(request, context, form: FormFields(), errors: FormErrors()) }
        admin.post("utilisateurs", Self.administrators) { request, context in try await createStaff(request, context) }
        admin.get("utilisateurs/{id}", Self.administrators) { request, context in try await user(request, context) }
        admin.post("utilisateurs/{id}/roles", Self.administrators) { request, context in try await setRoles(request, context) }
        admin.post("utilisateurs/{id}/statut", Self.administrators) { request, context in try await setDisabled(request, context) }

        admin.get("journal", Self.administrators) { request, context in try await auditLog(request, context) }

        admin.get("jetons", .anyStaff) { request, context in try await tokens(request, context, newToken: nil, errors: FormErrors()) }
        admin.post("jetons", .anyStaff) { request, context in try await issueToken(request, context) }
        admin.post("jetons/{id}/revocation", .anyStaff) { _, context in
            let account = try context.requireAccount()
            guard try await web.apiTokens.revoke(try context.requiredID(), of: account) else { throw HTTPError(.notFound) }
            return PageRenderer.redirect(to: "/admin/jetons", notice: IdentityNotice.tokenRevoked)
        }
    }

    // MARK: Staff accounts

    private func users(_ request: Request, _ context: WebContext) async throws -> Response {
        let pageSize = 50
        let page = max(1, request.uri.queryParameters.get("page", as: Int.self) ?? 1)
        let search = request.uri.queryParameters.get("q").map { String($0.trimmingCharacters(in: .whitespaces).prefix(100)) }.flatMap { $0.isEmpty ? nil : $0 }
        let staffOnly = request.uri.queryParameters.get("equipe") == "1"
        let accounts = try await web.accounts.list(search: search, staffOnly: staffOnly, offset: (page - 1) * pageSize, limit: pageSize + 1)
        let query = [search.map { "q=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }, staffOnly ? "equipe=1" : nil].compactMap { $0 }
        let model = AccountListPage(
            search: search,
            staffOnly: staffOnly,
            accounts: accounts.prefix(pageSize).map(AccountRow.init),
            empty: accounts.isEmpty,
            next: accounts.count > pageSize ? "?" + (query + ["page=\(page + 1)"]).joined(separator: "&") : nil,
            previous: page > 1 ? "?" + (query + ["page=\(page - 1)"]).joined(separator: "&") : nil
        )
        return web.render(Page("admin-users", title: "Utilisateurs", model: model), request, context)
    }

    private func newStaffPage(_ request: Request, _ context: WebContext, form: FormFields, errors: FormErrors, status: HTTPResponse.Status = .ok) -> Response {
        let chosen = Set(form.all("roles"))
        let model = NewStaffPage(
            errors: errors.summary,
            email: FormField(name: "email", label: "Adresse électronique", type: "email", value: form["email"], error: errors["email"], autocomplete: "off", required: true),
            displayName: FormField(name: "display_name", label: "Nom affiché", value: form["display_name"], error: errors["display_name"], autocomplete: "off"),
            roleChoices: Self.roleChoices(chosen),
            rolesError: errors["roles"]
        )
        return web.render(Page("admin-user-new", title: Page.title("Nouveau membre de l'équipe", hasErrors: !errors.isEmpty), status: status, model: model), request, context)
    }

    /// The staff roles as the `role-choices` checkboxes show them.
    static func roleChoices(_ chosen: Set<String>) -> [Choice] {
        StaffRole.allCases.map { Choice(value: $0.rawValue, label: $0.label, checked: chosen.contains($0.rawValue)) }
    }

    private func createStaff(_ request: Request, _ context: WebContext) async throws -> Response {
        let actor = try context.requireAccount()
        let form = context.form
        var errors = FormErrors()
        let email = form["email"] ?? ""
        if !EmailAddress.isValid(email) { errors.add("email", "Indiquez une adresse électronique valide.") }
        let name = form["display_name"]
        if let name, name.count > 60 { errors.add("display_name", "Le nom affiché doit compter 60 caractères au plus.") }
        let roles = Set(form.all("roles").compactMap(StaffRole.init(rawValue:)))
        if roles.isEmpty { errors.add("roles", "Choisissez au moins un rôle.") }
        guard errors.isEmpty else { return newStaffPage(request, context, form: form, errors: errors, status: .unprocessableContent) }
        do {
            _ = try await web.accounts.createStaff(email: email, displayName: name, roles: roles, links: web.links, by: actor)
        } catch AccountError.emailTaken {
            errors.add("email", "Un compte existe déjà avec cette adresse : ouvrez-le dans la liste pour lui donner des rôles.")
            return newStaffPage(request, context, form: form, errors: errors, status: .unprocessableContent)
        }
        return PageRenderer.redirect(to: "/admin/utilisateurs?equipe=1", notice: IdentityNotice.staffCreated)
    }

    private func user(_ request: Request, _ context: WebContext, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.requireAccount()
        guard let account = try await web.accounts.account(id: try context.requiredID()) else { throw HTTPError(.notFound) }
        let model = StaffAccountPage(
            account: AccountRow(account),
            roleChoices: Self.roleChoices(Set(account.roles.map(\.rawValue))),
            isSelf: account.id == actor.id,
            rolesError: error,
            errors: error.flatMap { message in
                var errors = FormErrors()
                errors.add("roles-administrator", message)
                return errors.summary
            }
        )
        return web.render(Page("admin-user", title: account.email, status: status, model: model), request, context)
    }

    private func setRoles(_ request: Request, _ context: WebContext) async throws -> Response {
        let actor = try context.requireAccount()
        let id = try context.requiredID()
        let roles = Set(context.form.all("roles").compactMap(StaffRole.init(rawValue:)))
        if id == actor.id, !roles.contains(.administrator) {
            // An administrator cannot lock everybody out by removing their own role.
            return try await user(request, context, error: "Vous ne pouvez pas retirer votre propre rôle d'administrateur.", status: .unprocessableContent)
        }
        _ = try await web.accounts.setRoles(of: id, to: roles, by: actor)
        return PageRenderer.redirect(to: "/admin/utilisateurs/\(id.uuidString.lowercased())", notice: IdentityNotice.rolesSaved)
    }

    private func setDisabled(_ request: Request, _ context: WebContext) async throws -> Response {
        let actor = try context.requireAccount()
        let id = try context.requiredID()
        let disable = context.form["action"] == "desactiver"
        if id == actor.id, disable {
            return try await user(request, context, error: "Vous ne pouvez pas désactiver votre propre compte.", status: .unprocessableContent)
        }
        _ = try await web.accounts.setDisabled(id, disable, by: actor)
        return PageRenderer.redirect(to: "/admin/utilisateurs/\(id.uuidString.lowercased())", notice: (disable ? IdentityNotice.accountDisabled : .accountEnabled))
    }

    // MARK: Audit log

    private func auditLog(_ request: Request, _ context: WebContext) async throws -> Response {
        let pageSize = 50
        let before = request.uri.queryParameters.get("avant", as: Int.self)
        let entries = try await AuditLog.entries(before: before, limit: pageSize, client: web.database, logger: web.logger)
        let model = AuditLogPage(
            entries: entries.map(AuditLogPage.Entry.init),
            empty: entries.isEmpty,
            next: entries.count == pageSize ? entries.last.map { "?avant=\($0.id)" } : nil
        )
        return web.render(Page("admin-audit", title: "Journal des actions", model: model), request, context)
    }


    // MARK: API tokens

    private func tokens(_ request: Request, _ context: WebContext, newToken: String?, errors: FormErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let account = try context.requireAccount()
        let tokens = try await web.apiTokens.tokens(of: account.id)
        let now = Date()
        let model = APITokensPage(
            newToken: newToken,
            errors: errors.summary,
            label: FormField(name: "label", label: "Nom du jeton", hint: "Pour vous rappeler où il sert, par exemple « tableau de bord ».", error: errors["label"], autocomplete: "off", required: true),
            lifetimeDays: web.settings.apiTokenLifetimeDays,
            tokens: tokens.map { APITokensPage.Token($0, now: now) },
            empty: tokens.isEmpty
        )
        return web.render(Page("admin-tokens", title: Page.title("Jetons d'accès à l'API", hasErrors: !errors.isEmpty), status: status, model: model), request, context)
    }

    private func issueToken(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let label = context.form["label"] ?? ""
        guard (1...80).contains(label.count) else {
            var errors = FormErrors()
            errors.add("label", "Donnez un nom au jeton (80 caractères au plus).")
            return try await tokens(request, context, newToken: nil, errors: errors, status: .unprocessableContent)
        }
        let token = try await web.apiTokens.issue(to: account, label: label, lifetimeDays: web.settings.apiTokenLifetimeDays)
        // Shown once, on this page only: it is stored hashed and cannot be shown again.
        return try await tokens(request, context, newToken: token, errors: FormErrors())
    }
}
