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
        var values = [String: Any]()
        values["search"] = search
        values["staffOnly"] = staffOnly
        values["accounts"] = accounts.prefix(pageSize).map(Self.row)
        values["empty"] = accounts.isEmpty
        let query = [search.map { "q=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }, staffOnly ? "equipe=1" : nil].compactMap { $0 }
        if accounts.count > pageSize { values["next"] = "?" + (query + ["page=\(page + 1)"]).joined(separator: "&") }
        if page > 1 { values["previous"] = "?" + (query + ["page=\(page - 1)"]).joined(separator: "&") }
        return web.render(Page("admin-users", title: "Utilisateurs", values: values), request, context)
    }

    static func row(_ account: Account) -> [String: Any] {
        [
            "id": account.id.uuidString.lowercased(),
            "email": account.email,
            "name": account.displayName ?? "",
            "roles": account.roles.isEmpty ? "Citoyen·ne" : account.roles.sorted().map(\.label).joined(separator: ", "),
            "confirmed": account.isConfirmed,
            "disabled": account.disabledAt != nil,
            "createdAt": FrenchDate.dateTime(account.createdAt),
        ]
    }

    private func newStaffPage(_ request: Request, _ context: WebContext, form: FormFields, errors: FormErrors, status: HTTPResponse.Status = .ok) -> Response {
        let chosen = Set(form.all("roles"))
        let values: [String: Any?] = [
            "errors": errors.summary,
            "email": FormField(name: "email", label: "Adresse électronique", type: "email", value: form["email"], error: errors["email"], autocomplete: "off", required: true),
            "displayName": FormField(name: "display_name", label: "Nom affiché", value: form["display_name"], error: errors["display_name"], autocomplete: "off"),
            "roleChoices": Self.roleChoices(chosen),
            "rolesError": errors["roles"],
        ]
        return web.render(Page("admin-user-new", title: Page.title("Nouveau membre de l'équipe", hasErrors: !errors.isEmpty), status: status, values: values), request, context)
    }

    static func roleChoices(_ chosen: Set<String>) -> [[String: Any]] {
        StaffRole.allCases.map { ["value": $0.rawValue, "label": $0.label, "checked": chosen.contains($0.rawValue)] as [String: Any] }
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
        var values = [String: Any]()
        values["account"] = Self.row(account)
        values["roleChoices"] = Self.roleChoices(Set(account.roles.map(\.rawValue)))
        values["isSelf"] = account.id == actor.id
        values["rolesError"] = error
        values["errors"] = error.flatMap { message in
            var errors = FormErrors()
            errors.add("roles-administrator", message)
            return errors.summary
        }
        return web.render(Page("admin-user", title: account.email, status: status, values: values), request, context)
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
        let values: [String: Any?] = [
            "entries": entries.map { entry -> [String: Any] in
                [
                    "at": FrenchDate.dateTime(entry.occurredAt),
                    "isoAt": entry.occurredAt.ISO8601Format(),
                    "actor": entry.actor,
                    "action": entry.action,
                    "object": [entry.objectType, entry.objectID].compactMap { $0 }.joined(separator: " "),
                    "details": entry.details.sorted { $0.key < $1.key }.map { "\($0.key) : \($0.value)" }.joined(separator: " ; "),
                ]
            },
            "empty": entries.isEmpty,
            "next": entries.count == pageSize ? entries.last.map { "?avant=\($0.id)" } : nil,
        ]
        return web.render(Page("admin-audit", title: "Journal des actions", values: values), request, context)
    }


    // MARK: API tokens

    private func tokens(_ request: Request, _ context: WebContext, newToken: String?, errors: FormErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let account = try context.requireAccount()
        let tokens = try await web.apiTokens.tokens(of: account.id)
        var values = [String: Any]()
        values["newToken"] = newToken
        values["errors"] = errors.summary
        values["label"] = FormField(name: "label", label: "Nom du jeton", hint: "Pour vous rappeler où il sert, par exemple « tableau de bord ».", error: errors["label"], autocomplete: "off", required: true)
        values["lifetimeDays"] = web.settings.apiTokenLifetimeDays
        values["tokens"] = tokens.map { token -> [String: Any] in
            [
                "id": token.id.uuidString.lowercased(),
                "label": token.label,
                "createdAt": FrenchDate.dateTime(token.createdAt),
                "expiresAt": FrenchDate.dateTime(token.expiresAt),
                "lastUsedAt": token.lastUsedAt.map(FrenchDate.dateTime) ?? "jamais",
                "active": token.revokedAt == nil && token.expiresAt > Date(),
            ]
        }
        values["empty"] = tokens.isEmpty
        return web.render(Page("admin-tokens", title: Page.title("Jetons d'accès à l'API", hasErrors: !errors.isEmpty), status: status, values: values), request, context)
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
