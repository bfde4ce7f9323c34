import Crypto
import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import Signing

/// The moderation back-office under `/admin/moderation` (moderators and administrators),
/// and the citizens' flag form (`/signalement`). The data lives in the moderation worker.
struct ModerationPages: Sendable {
    let web: WebDependencies

    /// The decision form's fields, by the contract's names.
    private static let decisionFields = FormFieldNames(["reason": "motif", "comment": "commentaire"], otherwise: "decision")
    /// The moderation reason form's fields, by the contract's names.
    private static let reasonFields = FormFieldNames(["label": "libelle"], otherwise: "code")

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

    private var call: ServiceCall { ServiceCall(web: web) }

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

        var hiddenFields: [[String: String]] {
            (URLComponents(string: "?" + query)?.queryItems ?? []).map { ["name": $0.name, "value": $0.value ?? ""] }
        }
    }

    private func queue(
        _ request: Request, _ context: WebContext, filters: QueueFilters, errors: FormErrors, form: FormFields = FormFields(),
        conflicts: [ModerationConflict] = [], decidedCount: Int? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let page = try await call.ask(filters.request)
        let reasons = try await call.ask(GetModerationSettings()).reasons.filter { $0.kind == "decision" && $0.active }
        let selected = Set(form.all("elements"))
        var values = [String: Any]()
        values["errors"] = errors.summary
        values["total"] = page.total
        values["plural"] = page.total > 1
        values["empty"] = page.items.isEmpty
        values["items"] = page.items.map { item -> [String: Any] in
            let choice = "\(item.id.uuidString.lowercased()):\(item.revision)"
            return Self.summaryValues(item).merging(["choice": choice, "checked": selected.contains(choice)]) { first, _ in first }
        }
        values["statusChoices"] = ModerationStatus.allCases.map { ["value": $0.rawValue, "label": $0.frenchLabel, "selected": $0 == filters.status] as [String: Any] }
        values["typeChoices"] = ContentType.allCases.map { ["value": $0.rawValue, "label": $0.frenchLabel, "selected": $0 == filters.contentType] as [String: Any] }
        values["scoreChoices"] = [30, 60, 90].map { (score: Int) -> [String: Any] in
            ["value": score, "label": "\(score) ou plus", "selected": score == filters.minimumScore]
        }
        values["waitingChoices"] = [(24, "plus de 24 heures"), (72, "plus de 3 jours"), (168, "plus de 7 jours")].map {
            ["value": $0.0, "label": $0.1, "selected": $0.0 == filters.waitingHours] as [String: Any]
        }
        values["flaggedOnly"] = filters.flaggedOnly
        values["filterFields"] = filters.hiddenFields
        values["decisionChoices"] = Self.decisionChoices(chosen: form["decision"])
        values["reasonChoices"] = Self.reasonChoices(reasons, chosen: form["motif"])
        values["comment"] = form["commentaire"]
        values["decisionError"] = errors["decision"]
        values["reasonError"] = errors["motif"]
        values["selectionError"] = errors["elements"]
        values["returnPath"] = "/admin/moderation?" + filters.query
        values["conflicts"] = Self.conflictValues(conflicts)
        values["decided"] = decidedCount.map { "\($0) décision\($0 > 1 ? "s" : "") enregistrée\($0 > 1 ? "s" : "")." }
        values["next"] = page.next.map { "/admin/moderation?\(filters.query)&apres=\($0.uuidString.lowercased())" }
        values["first"] = filters.after == nil ? nil : "/admin/moderation?" + filters.query
        let title = Page.title("File de modération", hasErrors: !errors.isEmpty)
        return web.render(Page("admin-moderation", title: title, status: status, values: values), request, context)
    }

    static func summaryValues(_ item: ModerationItemSummary) -> [String: Any] {
        let values: [String: Any?] = [
            "id": item.id.uuidString.lowercased(),
            "type": item.contentType.frenchLabel,
            "title": item.title ?? String(item.excerpt.prefix(80)),
            "excerpt": item.excerpt,
            "author": item.authorName ?? "Anonyme",
            "status": item.status.frenchLabel,
            "visible": item.visible,
            "score": item.score,
            "scoreLevel": item.score >= 60 ? "high" : item.score >= 30 ? "medium" : "low",
            "flags": item.flagCount,
            "at": FrenchDate.dateTime(item.submittedAt),
            "isoAt": item.submittedAt.ISO8601Format(),
            "revision": item.revision,
        ]
        return values.compactMapValues { $0 }
    }

    static func decisionChoices(chosen: String?) -> [[String: Any]] {
        [ModerationStatus.published, .retained, .notRetained, .rejected].map {
            ["value": $0.rawValue, "label": $0.frenchLabel, "checked": $0.rawValue == chosen] as [String: Any]
        }
    }

    static func reasonChoices(_ reasons: [ModerationReason], chosen: String?) -> [[String: Any]] {
        reasons.map { ["value": $0.code, "label": $0.label, "selected": $0.code == chosen] as [String: Any] }
    }

    /// The conflicts block (rendered once around its items), nil without conflicts.
    static func conflictValues(_ conflicts: [ModerationConflict]) -> [String: Any]? {
        guard !conflicts.isEmpty else { return nil }
        return ["items": conflicts.map { conflict -> [String: Any] in
            [
                "id": conflict.itemID.uuidString.lowercased(), "title": conflict.title, "status": conflict.status.frenchLabel,
                "by": conflict.decidedBy, "at": FrenchDate.dateTime(conflict.decidedAt),
            ]
        }]
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

    // MARK: Item

    private func item(
        _ request: Request, _ context: WebContext, id: UUID, errors: FormErrors, form: FormFields = FormFields(),
        conflicts: [ModerationConflict] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let detail = try await call.ask(GetModerationItem(itemID: id))
        let reasons = try await call.ask(GetModerationSettings()).reasons.filter { $0.kind == "decision" && $0.active }
        var values = [String: Any]()
        values["errors"] = errors.summary
        var item = Self.summaryValues(detail.summary)
        item["text"] = detail.text
        item["choice"] = "\(detail.summary.id.uuidString.lowercased()):\(detail.summary.revision)"
        // Only a path of this site: an item never links elsewhere.
        if let path = detail.publicPath, path.hasPrefix("/"), !path.hasPrefix("//") { item["publicPath"] = path }
        values["item"] = item
        values["findings"] = detail.findings.map { ["rule": $0.rule, "score": $0.score, "reason": $0.reason] as [String: Any] }
        values["noFindings"] = detail.findings.isEmpty
        values["flagList"] = detail.flags.isEmpty ? nil : ["items": detail.flags.map { flag -> [String: Any] in
            let values: [String: Any?] = ["reason": flag.reasonLabel, "comment": flag.comment, "at": FrenchDate.dateTime(flag.flaggedAt)]
            return values.compactMapValues { $0 }
        }]
        values["history"] = detail.history.map { record -> [String: Any] in
            [
                "before": record.before?.frenchLabel ?? "—", "after": record.after.frenchLabel,
                "visibility": record.visibleAfter ? "Visible" : "Masqué", "reason": record.reasonLabel ?? "", "comment": record.comment ?? "",
                "by": record.decidedBy, "at": FrenchDate.dateTime(record.decidedAt), "isoAt": record.decidedAt.ISO8601Format(),
            ]
        }
        values["decisionChoices"] = Self.decisionChoices(chosen: form["decision"])
        values["reasonChoices"] = Self.reasonChoices(reasons, chosen: form["motif"])
        values["comment"] = form["commentaire"]
        values["decisionError"] = errors["decision"]
        values["reasonError"] = errors["motif"]
        values["conflicts"] = Self.conflictValues(conflicts)
        values["author"] = detail.authorAccountID.map {
            let values: [String: Any?] = ["accountID": $0.uuidString.lowercased(), "blocked": detail.authorBlocked, "blockError": errors["raison"]]
            return values.compactMapValues { $0 }
        }
        let title = Page.title("Modération : " + (detail.summary.title ?? detail.summary.contentType.frenchLabel), hasErrors: !errors.isEmpty)
        return web.render(Page("admin-moderation-item", title: title, status: status, values: values), request, context)
    }

    private func block(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let accountID = try context.requiredID()
        let form = context.form
        let itemID = form["element"].flatMap(UUID.init(uuidString:))
        let reason = (form["raison"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (3...1000).contains(reason.count) else {
            var errors = FormErrors()
            errors.add("raison", "Indiquez la raison du blocage (3 à 1 000 caractères).")
            guard let itemID else { throw HTTPError(.badRequest) }
            return try await item(request, context, id: itemID, errors: errors, form: form, status: .unprocessableContent)
        }
        let outcome = try await call.ask(BlockAccount(
            accountID: accountID, hideContent: form["contenus"] == "masquer", reason: reason, moderatorID: account.id,
            moderatorName: account.shownName
        ))
        let back = itemID.map { "/admin/moderation/elements/\($0.uuidString.lowercased())" } ?? "/admin/moderation"
        let notice: ModerationNotice = outcome.hiddenItems > 0 ? .accountBlockedContentHidden : .accountBlocked
        return PageRenderer.redirect(to: back, notice: notice)
    }

    // MARK: Log and settings

    private func log(_ request: Request, _ context: WebContext) async throws -> Response {
        let before = request.uri.queryParameters.get("avant", as: Int.self)
        let page = try await call.ask(ListModerationDecisions(before: before, limit: Self.pageSize))
        let values: [String: Any?] = [
            "entries": page.entries.map { entry -> [String: Any] in
                [
                    "itemID": entry.record.itemID.uuidString.lowercased(), "title": entry.title ?? entry.contentType.frenchLabel,
                    "type": entry.contentType.frenchLabel, "before": entry.record.before?.frenchLabel ?? "—",
                    "after": entry.record.after.frenchLabel, "visibility": entry.record.visibleAfter ? "Visible" : "Masqué",
                    "reason": entry.record.reasonLabel ?? "", "comment": entry.record.comment ?? "", "by": entry.record.decidedBy,
                    "at": FrenchDate.dateTime(entry.record.decidedAt), "isoAt": entry.record.decidedAt.ISO8601Format(),
                ]
            },
            "empty": page.entries.isEmpty,
            "next": page.next.map { "?avant=\($0)" },
            "first": before == nil ? nil : "/admin/moderation/journal",
        ]
        return web.render(Page("admin-moderation-log", title: "Journal de modération", values: values), request, context)
    }

    private func settings(_ request: Request, _ context: WebContext, errors: FormErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let account = try context.requireAccount()
        let settings = try await call.ask(GetModerationSettings())
        var values = [String: Any]()
        values["errors"] = errors.summary
        values["canEdit"] = account.roles.contains(.administrator)
        values["policies"] = settings.policies.map { policy -> [String: Any] in
            [
                "type": policy.contentType.rawValue, "label": policy.contentType.frenchLabel, "pre": policy.mode == "pre",
                "post": policy.mode == "post", "holdScore": policy.holdScore, "flagsToHold": policy.flagsToHold,
            ]
        }
        values["reasons"] = settings.reasons.map { reason -> [String: Any] in
            ["code": reason.code, "label": reason.label, "kind": reason.kind == "flag" ? "Signalement" : "Décision", "active": reason.active]
        }
        let title = Page.title("Réglages de la modération", hasErrors: !errors.isEmpty)
        return web.render(Page("admin-moderation-settings", title: title, status: status, values: values), request, context)
    }

    private func savePolicy(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = context.form
        guard let type = form["type"].flatMap(ContentType.init(rawValue:)) else { throw HTTPError(.badRequest) }
        var errors = FormErrors()
        let hold = form["seuil"].flatMap(Int.init)
        let flags = form["signalements"].flatMap(Int.init)
        if hold == nil || !(1...101).contains(hold!) { errors.add("seuil-\(type.rawValue)", "Le score de mise en attente va de 1 à 101 (101 : jamais).") }
        if flags == nil || !(1...1000).contains(flags!) { errors.add("signalements-\(type.rawValue)", "Le nombre de signalements va de 1 à 1000.") }
        guard errors.isEmpty, let hold, let flags else { return try await settings(request, context, errors: errors, status: .unprocessableContent) }
        _ = try await call.ask(UpdateModerationPolicy(
            policy: ModerationPolicy(contentType: type, mode: form["mode"] == "post" ? "post" : "pre", holdScore: hold, flagsToHold: flags),
            moderatorName: account.shownName
        ))
        return PageRenderer.redirect(to: "/admin/moderation/reglages", notice: ModerationNotice.settingsSaved)
    }

    private func saveReason(_ request: Request, _ context: WebContext) async throws -> Response {
        let form = context.form
        let reason = ModerationReason(
            code: form["code"] ?? "", label: form["libelle"] ?? "", kind: form["usage"] == "flag" ? "flag" : "decision",
            active: form["actif"] != "0"
        )
        do {
            _ = try await call.ask(SaveModerationReason(reason: reason))
        } catch let error as APIError where error.status == .unprocessableContent || error.status == .badRequest {
            var errors = FormErrors()
            errors.add(error, in: Self.reasonFields)
            return try await settings(request, context, errors: errors, status: .unprocessableContent)
        }
        return PageRenderer.redirect(to: "/admin/moderation/reglages", notice: ModerationNotice.settingsSaved)
    }

    // MARK: Flags

    /// What a flag is about, from the page's parameters.
    struct FlagTarget {
        let type: ContentType
        let id: UUID

        init(type: String?, id: String?) throws {
            guard let type = type.flatMap(ContentType.init(rawValue:)), let id = id.flatMap(UUID.init(uuidString:)) else {
                throw HTTPError(.notFound)
            }
            self.type = type
            self.id = id
        }
    }

    private func flagForm(
        _ request: Request, _ context: WebContext, target: FlagTarget, form: FormFields, errors: FormErrors,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let reasons = try await call.ask(GetModerationSettings()).reasons.filter { $0.kind == "flag" && $0.active }
        let values: [String: Any?] = [
            "errors": errors.summary,
            "type": target.type.rawValue,
            "id": target.id.uuidString.lowercased(),
            "typeLabel": target.type.frenchLabel.lowercased(),
            "reasonChoices": reasons.map { ["value": $0.code, "label": $0.label, "checked": $0.code == form["motif"]] as [String: Any] },
            "reasonError": errors["motif"],
            "comment": form["precision"],
            "commentError": errors["precision"],
        ]
        let title = Page.title("Signaler un contenu", hasErrors: !errors.isEmpty)
        return web.render(Page("flag", title: title, status: status, values: values), request, context)
    }

    private func flag(_ request: Request, _ context: WebContext) async throws -> Response {
        let form = context.form
        let target = try FlagTarget(type: form["type"], id: form["id"])
        var errors = FormErrors()
        let reason = form["motif"] ?? ""
        if reason.isEmpty { errors.add("motif", "Choisissez la raison du signalement.") }
        let comment = form["precision"].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let comment, comment.count > 1000 { errors.add("precision", "La précision compte 1 000 caractères au plus.") }
        guard errors.isEmpty else {
            return try await flagForm(request, context, target: target, form: form, errors: errors, status: .unprocessableContent)
        }
        let outcome: FlagOutcome
        do {
            outcome = try await call.ask(FlagContent(
                contentType: target.type, contentID: target.id, reporterKey: reporterKey(context), reasonCode: reason, comment: comment
            ))
        } catch let error as APIError where error.status == .unprocessableContent || error.status == .badRequest {
            errors.add("motif", error.message)
            return try await flagForm(request, context, target: target, form: form, errors: errors, status: .unprocessableContent)
        }
        let message = outcome.recorded
            ? "Merci : votre signalement a été transmis à l'équipe de modération, qui l'examinera."
            : "Vous avez déjà signalé ce contenu : l'équipe de modération en a connaissance."
        return web.render(Page("flag-sent", title: "Signalement transmis", values: ["message": message]), request, context)
    }

    /// One flag per person and item: the account when signed in, otherwise a keyed hash of
    /// the address (the address itself is never sent nor stored).
    private func reporterKey(_ context: WebContext) -> String {
        if let account = context.account { return "account:" + account.id.uuidString.lowercased() }
        let key = SymmetricKey(data: Signing.keyBytes(secret: web.settings.secret, purpose: "flag-reporter"))
        return "address:" + Signing.signature(of: context.clientAddress, key: key)
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
