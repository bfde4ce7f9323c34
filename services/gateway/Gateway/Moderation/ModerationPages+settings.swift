import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// The moderation log (every decision, newest first) and the moderation settings.
extension ModerationPages {
    func log(_ request: Request, _ context: WebContext) async throws -> Response {
        let before = request.uri.queryParameters.get("avant", as: Int.self)
        let page = try await call.ask(ListModerationDecisions(before: before, limit: Self.pageSize))
        let model = ModerationLogPage(
            entries: page.entries.map(ModerationLogPage.Entry.init),
            empty: page.entries.isEmpty,
            next: page.next.map { "?avant=\($0)" },
            first: before == nil ? nil : "/admin/moderation/journal"
        )
        return web.render(Page("admin-moderation-log", title: "Journal de modération", model: model), request, context)
    }

    func settings(_ request: Request, _ context: WebContext, errors: FormErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let account = try context.requireAccount()
        let settings = try await call.ask(GetModerationSettings())
        let model = ModerationSettingsPage(
            errors: errors.summary,
            canEdit: account.roles.contains(.administrator),
            policies: settings.policies.map(ModerationSettingsPage.Policy.init),
            reasons: settings.reasons.map(ModerationSettingsPage.Reason.init)
        )
        let title = Page.title("Réglages de la modération", hasErrors: !errors.isEmpty)
        return web.render(Page("admin-moderation-settings", title: title, status: status, model: model), request, context)
    }

    func savePolicy(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = context.form
        guard let type = form["type"].flatMap(ContentType.init(rawValue:)) else { throw HTTPError(.badRequest) }
        var errors = FormErrors()
        let hold = form["seuil"].flatMap(Int.init)
        let flags = form["signalements"].flatMap(Int.init)
        let accountDays = form["anciennete"].flatMap(Int.init)
        let audienceStep = form["public"].flatMap(Int.init)
        if hold == nil || !(1...101).contains(hold!) { errors.add("seuil-\(type.rawValue)", "Le score de mise en attente va de 1 à 101 (101 : jamais).") }
        // The ranges of the flag rules are the worker's: a number outside them comes back from it.
        if flags == nil { errors.add("signalements-\(type.rawValue)", "Indiquez un nombre de signalements.") }
        if accountDays == nil { errors.add("anciennete-\(type.rawValue)", "Indiquez une ancienneté en jours.") }
        if audienceStep == nil { errors.add("public-\(type.rawValue)", "Indiquez un nombre de personnes.") }
        guard errors.isEmpty, let hold, let flags, let accountDays, let audienceStep else {
            return try await settings(request, context, errors: errors, status: .unprocessableContent)
        }
        do {
            _ = try await call.ask(UpdateModerationPolicy(
                policy: ModerationPolicy(
                    contentType: type, mode: form["mode"] == "post" ? "post" : "pre", holdScore: hold, flagsToHold: flags,
                    flagAccountMinimumDays: accountDays, audiencePerExtraFlag: audienceStep
                ),
                moderatorName: account.shownName
            ))
        } catch let error as APIError where error.status == .unprocessableContent || error.status == .badRequest {
            let fields = FormFieldNames(
                [
                    "hold_score": "seuil-\(type.rawValue)", "flags_to_hold": "signalements-\(type.rawValue)",
                    "flag_account_minimum_days": "anciennete-\(type.rawValue)", "audience_per_extra_flag": "public-\(type.rawValue)",
                ],
                otherwise: "signalements-\(type.rawValue)"
            )
            errors.add(error, in: fields)
            return try await settings(request, context, errors: errors, status: .unprocessableContent)
        }
        return PageRenderer.redirect(to: "/admin/moderation/reglages", notice: ModerationNotice.settingsSaved)
    }

    func saveReason(_ request: Request, _ context: WebContext) async throws -> Response {
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
}
