import DialogueContracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import ServiceKit

/// Signing on a petition's page, and the page of the mailed link, whose button confirms
/// (a GET never does: mail scanners follow links).
extension PublicPetitionPages {
    func registerSigning(on pages: SecuredRoutes) {
        pages.post("petitions/{id}/signer", .everyone) { request, context in try await sign(request, context) }
        pages.get("confirmer-signature", .everyone) { request, context in try await confirmationPage(request, context) }
        pages.post("confirmer-signature", .everyone) { request, context in try await confirm(request, context) }
    }

    private var desk: SignatureDesk { SignatureDesk(web: web, petitions: caches.views) }

    /// A form sent back with its errors, to show again with what was typed.
    struct SigningAttempt {
        var form: SignatureDesk.Form
        var errors: FormErrors
    }

    /// The signing section of a petition's page: the form (filled from the account of a
    /// signed-in citizen), or why there is none.
    func signingSection(_ petition: PetitionView, _ context: WebContext, attempt: SigningAttempt?) async -> SigningSection {
        guard SignatureDesk.acceptsSignatures(petition) else { return SigningSection(closed: true) }
        let account = context.account.flatMap { $0.isConfirmed ? $0 : nil }
        if attempt == nil, let account, let signature = try? await desk.signature(of: account, on: petition.id) {
            return SigningSection(alreadySigned: FrenchDate.day(signature.signedAt ?? Date()), pending: !signature.confirmed)
        }
        let form = attempt?.form ?? SignatureDesk.Form(
            name: context.account?.displayName ?? "", email: context.account?.email ?? "", postcode: context.account?.postcode ?? "",
            consent: false, showName: false, wantsAnswer: true
        )
        let errors = attempt?.errors ?? FormErrors()
        return SigningSection(form: SigningSection.Form(
            name: FormField(name: "name", label: "Nom et prénom", value: form.name, error: errors["name"], autocomplete: "name", required: true),
            email: account != nil ? nil : FormField(
                name: "email", label: "Adresse électronique", type: "email", value: form.email,
                hint: "Un lien de confirmation y sera envoyé.", error: errors["email"], autocomplete: "email", required: true
            ),
            postcode: FormField(
                name: "postcode", label: "Code postal", value: form.postcode, hint: "Pour compter les signatures par département, par exemple 59000.",
                error: errors["postcode"], autocomplete: "postal-code", required: true
            ),
            consent: form.consent, showName: form.showName, wantsAnswer: form.wantsAnswer,
            accountEmail: account?.email, consentError: errors["consent"], errors: errors.summary
        ))
    }

    private func sign(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw HTTPError(.notFound) }
        let fields = context.form
        let account = context.account.flatMap { $0.isConfirmed ? $0 : nil }
        let form = SignatureDesk.Form(
            name: fields["name"] ?? "", email: account?.email ?? fields["email"] ?? "", postcode: fields["postcode"] ?? "",
            consent: fields.isChecked("consent"), showName: fields.isChecked("show_name"), wantsAnswer: fields.isChecked("wants_answer")
        )
        var errors = FormErrors()
        for error in form.errors { errors.add(error.field, error.message) }
        guard errors.isEmpty else {
            return try await petition(request, context, attempt: SigningAttempt(form: form, errors: errors))
        }
        let title: String
        let outcome: SignatureDesk.Outcome
        do {
            title = try await desk.petition(id).title
            outcome = try await desk.sign(
                form, petition: id, account: account, clientAddress: context.clientAddress,
                agent: SignatureDesk.agentClass(userAgent: request.headers[.userAgent])
            )
        } catch let error as APIError where error.code == SignatureDesk.closedPetition.code {
            return result(request, context, status: .conflict, heading: "Signatures closes", petition: id, title: nil, [error.message])
        }
        switch outcome {
        case .confirmationMailed:
            return result(request, context, heading: "Vérifiez votre messagerie", petition: id, title: title, [
                "Un courriel vient d'être envoyé à \(form.email.trimmingCharacters(in: .whitespaces)). Ouvrez le lien qu'il contient pour confirmer votre signature : elle comptera dès lors.",
                "Le lien reste valable 7 jours. Si vous aviez déjà signé cette pétition, le courriel vous le dira.",
            ])
        case .signed:
            return result(request, context, heading: "Merci pour votre signature", petition: id, title: title, [
                "Votre signature est enregistrée ; elle apparaîtra dans le compteur dans quelques instants.",
            ])
        case .alreadySigned(let signedAt):
            return result(request, context, heading: "Vous avez déjà signé", petition: id, title: title, [
                "Vous avez signé cette pétition le \(FrenchDate.day(signedAt)) : une seule signature par personne compte. Merci pour votre soutien !",
            ])
        }
    }

    private func result(
        _ request: Request, _ context: WebContext, status: HTTPResponse.Status = .ok, heading: String, petition: UUID?, title: String?, _ paragraphs: [String]
    ) -> Response {
        let model = SignatureResult(heading: heading, paragraphs: paragraphs, petitionID: petition?.uuidString.lowercased(), title: title)
        return web.render(Page("signature-result", title: heading, status: status, model: model), request, context)
    }

    private func confirmationPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let token = request.uri.queryParameters.get("jeton") ?? ""
        let status = try await desk.inspect(token)
        guard status.state == .pending else { return linkOutcome(status, request, context) }
        let model = SignatureConfirmationForm(token: token, title: status.title)
        return web.render(Page("signature-confirm", title: "Confirmer votre signature", model: model), request, context)
    }

    private func confirm(_ request: Request, _ context: WebContext) async throws -> Response {
        let status = try await desk.confirm(context.form["jeton"] ?? "")
        guard status.state == .pending else { return linkOutcome(status, request, context) }
        return result(request, context, heading: "Signature confirmée", petition: status.petitionID, title: status.title, [
            "Merci ! Votre signature est confirmée ; elle apparaîtra dans le compteur dans quelques instants.",
        ])
    }

    /// What a link that cannot confirm says, and with which status.
    private func linkOutcome(_ status: SignatureTokenStatus, _ request: Request, _ context: WebContext) -> Response {
        switch status.state {
        case .confirmed:
            result(request, context, heading: "Signature déjà confirmée", petition: status.petitionID, title: status.title, [
                "Votre signature était déjà confirmée : elle compte. Merci !",
            ])
        case .expired:
            result(request, context, status: .gone, heading: "Lien expiré", petition: status.petitionID, title: status.title, [
                "Ce lien de confirmation a expiré. Signez à nouveau la pétition : un nouveau lien vous sera envoyé.",
            ])
        case .closed:
            result(request, context, status: .conflict, heading: "Signatures closes", petition: status.petitionID, title: status.title, [
                "Cette pétition n'accepte plus de signatures : votre signature ne peut plus être confirmée.",
            ])
        case .unknown, .pending:
            result(request, context, status: .notFound, heading: "Lien invalide", petition: nil, title: nil, [
                "Ce lien de confirmation n'existe pas ou plus. Vérifiez qu'il est complet, ou signez à nouveau la pétition.",
            ])
        }
    }
}
