import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import Wording

/// An item's moderation page: its facts, checks, flags and history, the decision form, and
/// blocking its author.
extension ModerationPages {
    func item(
        _ request: Request, _ context: WebContext, id: UUID, errors: FormErrors, form: FormFields = FormFields(),
        conflicts: [ModerationConflict] = [], failedSanctionLine: Int? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let detail = try await call.ask(GetModerationItem(itemID: id))
        let reasons = try await call.ask(GetModerationSettings()).reasons.filter { $0.kind == "decision" && $0.active }
        let model = ModeratedItemPage(
            errors: errors.summary,
            item: ModeratedItem(detail.summary),
            text: detail.text,
            // Only a path of this site: an item never links elsewhere.
            publicPath: detail.publicPath.flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") ? $0 : nil },
            findings: detail.findings.map { ModeratedItemPage.Finding(rule: $0.rule, score: $0.score, reason: $0.reason) },
            noFindings: detail.findings.isEmpty,
            flagList: ModeratedItemPage.FlagList(detail, errors: errors, failedLine: failedSanctionLine),
            sanctions: detail.flagSanctions.map(ModeratedItemPage.SanctionLine.init),
            hasSanctions: !detail.flagSanctions.isEmpty,
            heldByFlags: !detail.heldByFlags ? nil : detail.summary.contentType == .petition
                ? "Masquée par la règle des signalements, non par une décision : la pétition a quitté les listes mais reste accessible par son lien et signable jusqu'à votre décision."
                : "Masqué par la règle des signalements, non par une décision de modération.",
            history: detail.history.map(DecisionLine.init),
            decisionForm: DecisionForm(form, reasons: reasons, errors: errors),
            conflicts: ConflictList(conflicts),
            author: detail.authorAccountID.map {
                ModeratedItemPage.Author(accountID: $0.uuidString.lowercased(), blocked: detail.authorBlocked, blockError: errors["raison"])
            }
        )
        let title = Page.title("Modération : " + (detail.summary.title ?? detail.summary.contentType.frenchLabel), hasErrors: !errors.isEmpty)
        return web.render(Page("admin-moderation-item", title: title, status: status, model: model), request, context)
    }

    /// Sanctions flag abuse: the reporter's flags stop counting (past and future), or count
    /// again; the moderator says why, and moderation keeps it in its audit trail.
    func sanctionReporter(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = context.form
        guard let itemID = form["element"].flatMap(UUID.init(uuidString:)), let line = form["ligne"].flatMap(Int.init),
              let reporterKey = form["signaleur"], !reporterKey.isEmpty,
              let action = form["sanction"].flatMap(FlagSanctionAction.init(rawValue:))
        else { throw HTTPError(.badRequest) }
        let reason = (form["raison-sanction"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FormErrors()
        if !(3...1000).contains(reason.count) {
            errors.add("sanction-\(line)", "Indiquez la raison de la sanction (3 à 1 000 caractères).")
        } else {
            do {
                let outcome = try await call.ask(SanctionFlagReporter(
                    reporterKey: reporterKey, action: action, reason: reason, moderatorID: account.id, moderatorName: account.shownName
                ))
                let notice: ModerationNotice = switch action {
                case .ignore: outcome.itemsShownAgain > 0 ? .flagsIgnoredItemsShown : .flagsIgnored
                case .restore: .flagsRestored
                }
                return PageRenderer.redirect(to: "/admin/moderation/elements/\(itemID.uuidString.lowercased())", notice: notice)
            } catch let error as APIError where error.status == .unprocessableContent || error.status == .badRequest || error.status == .notFound {
                errors.add("sanction-\(line)", error.message)
            }
        }
        return try await item(request, context, id: itemID, errors: errors, failedSanctionLine: line, status: .unprocessableContent)
    }

    func block(_ request: Request, _ context: WebContext) async throws -> Response {
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
}
