import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import Wording

/// The moderation back-office under `/admin/moderation` (moderators and administrators),
/// and the citizens' flag form (`/signalement`). The data lives in the moderation worker.
/// This file holds the queue and its decisions; an item's page, the log and settings, and
/// flagging are in the `ModerationPages+…` files beside it.
struct ModerationPages: Sendable {
    let web: WebDependencies

    /// The decision form's fields, by the contract's names.
    static let decisionFields = FormFieldNames(["reason": "motif", "comment": "commentaire"], otherwise: "decision")
    /// The moderation reason form's fields, by the contract's names.
    static let reasonFields = FormFieldNames(["label": "libelle"], otherwise: "code")

    static let moderators = Access.staff([.moderator, .administrator])
    static let pageSize = 50

    func register(on admin: SecuredRoutes) {
        admin.get("moderation", Self.moderators) { request, context in
            try await queue(request, context, filters: QueueFilters(request.uri.queryParameters), errors: FormErrors())
        }
        admin.post("moderation/decisions", Self.moderators) { request, context in try await decide(request, context) }
        admin.get("moderation/elements/{id}", Self.moderators) { request, context in
            try await item(request, context, id: try context.requiredID(), errors: FormErrors())
        }
        admin.post("moderation/comptes/{id}/blocage", Self.moderators) { request, context in try await block(request, context) }
        admin.post("moderation/signaleurs/sanction", Self.moderators) { request, context in try await sanctionReporter(request, context) }
        admin.get("moderation/journal", Self.moderators) { request, context in try await log(request, context) }
        admin.get("moderation/reglages", Self.moderators) { request, context in try await settings(request, context, errors: FormErrors()) }
        admin.post("moderation/reglages/politiques", .staff([.administrator])) { request, context in try await savePolicy(request, context) }
        admin.post("moderation/reglages/motifs", .staff([.administrator])) { request, context in try await saveReason(request, context) }
    }

    func registerFlagging(on pages: SecuredRoutes) {
        pages.get("signalement", .everyone) { request, context in
            let target = try FlagTarget(type: request.uri.queryParameters.get("type"), id: request.uri.queryParameters.get("id"))
            return try await flagForm(request, context, target: target, form: FormFields(), errors: FormErrors())
        }
        pages.post("signalement", .everyone) { request, context in try await flag(request, context) }
    }

    var call: ServiceCall { ServiceCall(web: web) }

    // MARK: Queue

    /// The queue's filters, from the query string (or the bulk form's hidden copies).
    struct QueueFilters {
        var status: ModerationStatus = .pending
        var contentType: ContentType?
        var minimumScore: Int?
        var waitingHours: Int?
        var flaggedOnly = false
        var after: UUID?

        init(_ parameters: some ParameterLookup) {
            status = parameters.value("etat").flatMap(ModerationStatus.init(rawValue:)) ?? .pending
            contentType = parameters.value("type").flatMap(ContentType.init(rawValue:))
            minimumScore = parameters.value("score").flatMap(Int.init).flatMap { (1...100).contains($0) ? $0 : nil }
            waitingHours = parameters.value("attente").flatMap(Int.init).flatMap { (1...8760).contains($0) ? $0 : nil }
            flaggedOnly = parameters.value("signales") == "1"
            after = parameters.value("apres").flatMap(UUID.init(uuidString:))
        }

        var request: ListModerationItems {
            ListModerationItems(
                status: status, contentType: contentType, minimumScore: minimumScore, waitingHours: waitingHours,
                flaggedOnly: flaggedOnly, after: after, limit: ModerationPages.pageSize
            )
        }

        /// The query string of these filters (without the page position).
        var query: String {
            var items = [URLQueryItem(name: "etat", value: status.rawValue)]
            if let contentType { items.append(URLQueryItem(name: "type", value: contentType.rawValue)) }
            if let minimumScore { items.append(URLQueryItem(name: "score", value: String(minimumScore))) }
            if let waitingHours { items.append(URLQueryItem(name: "attente", value: String(waitingHours))) }
            if flaggedOnly { items.append(URLQueryItem(name: "signales", value: "1")) }
            var components = URLComponents()
            components.queryItems = items
            return components.percentEncodedQuery ?? ""
        }

        var hiddenFields: [ModerationQueuePage.HiddenField] {
            (URLComponents(string: "?" + query)?.queryItems ?? []).map { .init(name: $0.name, value: $0.value ?? "") }
        }
    }

    private func queue(
        _ request: Request, _ context: WebContext, filters: QueueFilters, errors: FormErrors, form: FormFields = FormFields(),
        conflicts: [ModerationConflict] = [], decidedCount: Int? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let page = try await call.ask(filters.request)
        let reasons = try await call.ask(GetModerationSettings()).reasons.filter { $0.kind == "decision" && $0.active }
        let selected = Set(form.all("elements"))
        let model = ModerationQueuePage(
            errors: errors.summary,
            total: page.total,
            plural: page.total > 1,
            empty: page.items.isEmpty,
            items: page.items.map(ModeratedItem.init).map { ModerationQueuePage.Row(item: $0, checked: selected.contains($0.choice)) },
            statusChoices: ModerationStatus.allCases.map { Choice(value: $0.rawValue, label: $0.frenchLabel, selected: $0 == filters.status) },
            typeChoices: ContentType.allCases.map { Choice(value: $0.rawValue, label: $0.frenchLabel, selected: $0 == filters.contentType) },
            scoreChoices: [30, 60, 90].map { Choice(value: String($0), label: "\($0) ou plus", selected: $0 == filters.minimumScore) },
            waitingChoices: [(24, "plus de 24 heures"), (72, "plus de 3 jours"), (168, "plus de 7 jours")].map {
                Choice(value: String($0.0), label: $0.1, selected: $0.0 == filters.waitingHours)
            },
            flaggedOnly: filters.flaggedOnly,
            filterFields: filters.hiddenFields,
            decisionForm: DecisionForm(form, reasons: reasons, errors: errors),
            selectionError: errors["elements"],
            returnPath: "/admin/moderation?" + filters.query,
            conflicts: ConflictList(conflicts),
            decided: decidedCount.map { "\($0) décision\($0 > 1 ? "s" : "") enregistrée\($0 > 1 ? "s" : "")." },
            next: page.next.map { "/admin/moderation?\(filters.query)&apres=\($0.uuidString.lowercased())" },
            first: filters.after == nil ? nil : "/admin/moderation?" + filters.query
        )
        let title = Page.title("File de modération", hasErrors: !errors.isEmpty)
        return web.render(Page("admin-moderation", title: title, status: status, model: model), request, context)
    }

    // MARK: Decisions

    private func decide(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = context.form
        let returnPath = form["retour"].flatMap { $0.hasPrefix("/admin/moderation") && !$0.hasPrefix("//") ? $0 : nil } ?? "/admin/moderation"
        let singleItem = form["element"].flatMap(UUID.init(uuidString:))
        var errors = FormErrors()
        let items: [ModerationItemRevision] = form.all("elements").compactMap { choice in
            let parts = choice.split(separator: ":")
            guard parts.count == 2, let id = UUID(uuidString: String(parts[0])), let revision = Int(parts[1]) else { return nil }
            return ModerationItemRevision(itemID: id, revision: revision)
        }
        if items.isEmpty { errors.add("elements", "Sélectionnez au moins un élément.") }
        let decision = form["decision"].flatMap(ModerationStatus.init(rawValue:)).flatMap { $0 == .pending ? nil : $0 }
        if decision == nil { errors.add("decision", "Choisissez une décision.") }
        let reason = form["motif"].flatMap { $0.isEmpty ? nil : $0 }
        if (decision == .rejected || decision == .notRetained) && reason == nil {
            errors.add("motif", "Un rejet ou une non-rétention demande un motif : il sera communiqué à l'auteur.")
        }
        let comment = form["commentaire"].map { String($0.prefix(2000)) }
        let filters = QueueFilters(FormLookup(form: form))
        // A refused form comes back on the page it was sent from, with what was typed.
        func refused(_ errors: FormErrors) async throws -> Response {
            if let singleItem { return try await item(request, context, id: singleItem, errors: errors, form: form, status: .unprocessableContent) }
            return try await queue(request, context, filters: filters, errors: errors, form: form, status: .unprocessableContent)
        }

        guard errors.isEmpty, let decision else {
            return try await refused(errors)
        }
        let outcome: ModerationDecisionOutcome
        do {
            outcome = try await call.ask(DecideModeration(
                items: items, status: decision, reasonCode: reason, comment: comment, moderatorID: account.id, moderatorName: account.shownName
            ))
        } catch let error as APIError where error.status == .unprocessableContent || error.status == .badRequest {
            errors.add(error, in: Self.decisionFields)
            return try await refused(errors)
        }
        if let singleItem {
            // Someone else decided first: the page shows what they decided, nothing was overwritten.
            if !outcome.conflicts.isEmpty {
                return try await item(request, context, id: singleItem, errors: FormErrors(), conflicts: outcome.conflicts, status: .conflict)
            }
            return PageRenderer.redirect(to: "/admin/moderation/elements/\(singleItem.uuidString.lowercased())", notice: ModerationNotice.decisionSaved)
        }
        if !outcome.conflicts.isEmpty {
            return try await queue(
                request, context, filters: filters, errors: FormErrors(), conflicts: outcome.conflicts, decidedCount: outcome.decided.count,
                status: outcome.decided.isEmpty ? .conflict : .ok
            )
        }
        return PageRenderer.redirect(to: returnPath, notice: ModerationNotice.decisionsSaved)
    }
}

/// Reads a named value from a query string or a submitted form alike.
protocol ParameterLookup {
    func value(_ name: String) -> String?
}

extension Hummingbird.Parameters: ParameterLookup {
    func value(_ name: String) -> String? { self.get(name) }
}

struct FormLookup: ParameterLookup {
    let form: FormFields
    func value(_ name: String) -> String? { form[name] }
}
