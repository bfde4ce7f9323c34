import Crypto
import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import Signing
import Wording

/// The citizens' flag form (`/signalement`): anyone may flag a piece of content once.
extension ModerationPages {
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

    func flagForm(
        _ request: Request, _ context: WebContext, target: FlagTarget, form: FormFields, errors: FormErrors,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let reasons = try await call.ask(GetModerationSettings()).reasons.filter { $0.kind == "flag" && $0.active }
        let model = FlagPage(
            errors: errors.summary,
            type: target.type.rawValue,
            id: target.id.uuidString.lowercased(),
            typeLabel: target.type.frenchLabel.lowercased(),
            reasonChoices: reasons.map { Choice(value: $0.code, label: $0.label, checked: $0.code == form["motif"]) },
            reasonError: errors["motif"],
            comment: form["precision"],
            commentError: errors["precision"]
        )
        let title = Page.title("Signaler un contenu", hasErrors: !errors.isEmpty)
        return web.render(Page("flag", title: title, status: status, model: model), request, context)
    }

    func flag(_ request: Request, _ context: WebContext) async throws -> Response {
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
                contentType: target.type, contentID: target.id, reporterKey: reporterKey(context), reasonCode: reason, comment: comment,
                reporter: reporter(context), audience: await audience(of: target)
            ))
        } catch let error as APIError where error.status == .unprocessableContent || error.status == .badRequest {
            errors.add("motif", error.message)
            return try await flagForm(request, context, target: target, form: form, errors: errors, status: .unprocessableContent)
        }
        let message = outcome.recorded
            ? "Merci : votre signalement a été transmis à l'équipe de modération, qui l'examinera."
            : "Vous avez déjà signalé ce contenu : l'équipe de modération en a connaissance."
        return web.render(Page("flag-sent", title: "Signalement transmis", model: FlagSentPage(message: message)), request, context)
    }

    /// Who flags, for moderation to weigh the flag: only confirmed accounts old enough
    /// count toward hiding anything.
    private func reporter(_ context: WebContext) -> FlagReporter {
        guard let account = context.account else { return .visitor }
        return FlagReporter(accountID: account.id, confirmed: account.isConfirmed, accountCreatedAt: account.createdAt)
    }

    /// How many people the content reaches, which raises the flags needed to hold it: a
    /// petition's signatures. Nil for other content and for a petition that cannot be read
    /// now (the flag is then weighed without it, and moderators still see it).
    private func audience(of target: FlagTarget) async -> Int? {
        guard target.type == .petition else { return nil }
        return try? await call.ask(GetPetition(petitionID: target.id)).signatureCount
    }

    /// One flag per person and item: the account when signed in, otherwise a keyed hash of
    /// the address (the address itself is never sent nor stored).
    private func reporterKey(_ context: WebContext) -> String {
        if let account = context.account { return "account:" + account.id.uuidString.lowercased() }
        let key = SymmetricKey(data: Signing.keyBytes(secret: web.settings.secret, purpose: "flag-reporter"))
        return "address:" + Signing.signature(of: context.clientAddress, key: key)
    }
}
