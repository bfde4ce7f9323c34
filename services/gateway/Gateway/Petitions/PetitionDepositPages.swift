import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import Wording

/// Citizens deposit petitions: the form (`/petitions/nouvelle`), its preview with the similar
/// petitions already published, the confirmation, and "Mes pétitions" (`/compte/petitions`).
/// Every step works without script: the preview carries the draft in hidden fields, and its
/// "Modifier" button posts it back to the filled form.
struct PetitionDepositPages: Sendable {
    let web: WebDependencies

    func register(on pages: SecuredRoutes) {
        pages.get("petitions/nouvelle", .signedIn) { request, context in
            let account = try context.requireAccount()
            guard account.isConfirmed else { return unconfirmedPage(request, context, status: .ok) }
            return formPage(request, context, draft: nil, errors: FormErrors())
        }
        pages.post("petitions/nouvelle", .signedIn) { request, context in try await submit(request, context) }
        pages.get("compte/petitions", .signedIn) { request, context in try await authorPetitions(request, context) }
        pages.get("compte/petitions/{id}/deposee", .signedIn) { request, context in try await deposited(request, context) }
    }

    private var depositor: PetitionDepositor { PetitionDepositor(web: web) }

    // MARK: Form, preview, deposit

    private func submit(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        guard account.isConfirmed else { return unconfirmedPage(request, context, status: .forbidden) }
        let form = context.form
        let draft = PetitionDraft(title: form["title"] ?? "", text: form["text"] ?? "", reasons: form["reasons"] ?? "", theme: form["theme"])
        let action = form["action"]
        if action == "modifier" { return formPage(request, context, draft: draft, errors: FormErrors()) }

        var errors = FormErrors()
        for problem in draft.problems { errors.add(problem.field ?? "title", problem.message) }
        guard errors.isEmpty else { return formPage(request, context, draft: draft, errors: errors, status: .unprocessableContent) }
        guard action == "deposer" else { return try await previewPage(request, context, draft: draft, author: account) }

        let petition: PetitionView
        do {
            petition = try await depositor.deposit(draft, by: account)
        } catch let error as APIError where error.code == "invalid_request" {
            // The service's rules are the same as the draft's; this covers a rule it alone knows.
            errors.add(error.field ?? "title", error.message)
            return formPage(request, context, draft: draft, errors: errors, status: .unprocessableContent)
        }
        return PageRenderer.redirect(to: "/compte/petitions/\(petition.id.uuidString.lowercased())/deposee")
    }

    private func formPage(
        _ request: Request, _ context: WebContext, draft: PetitionDraft?, errors: FormErrors, status: HTTPResponse.Status = .ok
    ) -> Response {
        let model = PetitionDepositForm(
            errors: errors.summary,
            titleField: FormField(
                name: "title", label: "Titre", value: draft?.title, hint: "Une phrase courte qui dit l'objet de la pétition (3 à 200 caractères).",
                error: errors["title"], required: true
            ),
            textField: FormField(
                name: "text", label: "Ce que demande la pétition", value: draft?.text,
                hint: "Ce que vous demandez au CESER d'examiner (10 à 10 000 caractères).", error: errors["text"], required: true
            ),
            reasonsField: FormField(
                name: "reasons", label: "Pourquoi", value: draft?.reasons,
                hint: "Les raisons de votre demande : constats, exemples, conséquences (10 à 10 000 caractères).", error: errors["reasons"], required: true
            ),
            themeError: errors["theme"],
            themes: PetitionTheme.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == draft?.theme) }
        )
        let title = Page.title("Déposer une pétition", hasErrors: !errors.isEmpty)
        return web.render(Page("petition-new", title: title, status: status, model: model), request, context)
    }

    private func previewPage(_ request: Request, _ context: WebContext, draft: PetitionDraft, author: Account) async throws -> Response {
        let similar = try await depositor.similar(to: draft)
        let model = PetitionPreview(draft: draft, author: author.publicName ?? PetitionAuthor.anonymous, similar: similar)
        return web.render(Page("petition-preview", title: "Aperçu de votre pétition", model: model), request, context)
    }

    private func unconfirmedPage(_ request: Request, _ context: WebContext, status: HTTPResponse.Status) -> Response {
        web.render(Page("petition-unconfirmed", title: "Adresse électronique à confirmer", status: status), request, context)
    }

    private func deposited(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw HTTPError(.notFound) }
        // Only the author's own petitions: the list is read for this account.
        let mine = try await ServiceCall(web: web).ask(ListAuthorPetitions(authorAccountID: account.id))
        guard let item = mine.items.first(where: { $0.petition.id == id }) else { throw HTTPError(.notFound) }
        return web.render(Page("petition-deposited", title: "Pétition déposée", model: PetitionDeposited(title: item.petition.title)), request, context)
    }

    // MARK: Mes pétitions

    private func authorPetitions(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let mine = try await ServiceCall(web: web).ask(ListAuthorPetitions(authorAccountID: account.id))
        let model = AuthorPetitionsPage(items: mine.items.map(AuthorPetitionsPage.Item.init))
        return web.render(Page("account-petitions", title: "Mes pétitions", model: model), request, context)
    }

    /// The state as the author needs it: moderation's say first, then the public status.
    static func authorStatusLabel(_ petition: PetitionView) -> String {
        switch petition.status {
        case .inModeration: "En cours de modération"
        case .rejected: "Refusée par la modération"
        case _ where !petition.visible: "Masquée par la modération"
        case .open: "Publiée, ouverte aux signatures"
        default: petition.status.label
        }
    }
}

/// Deposits a petition for an account, and finds the published ones like it: the one path
/// of the site and of the API.
struct PetitionDepositor: Sendable {
    let call: ServiceCall
    let limiter: RateLimiter
    let rule: RateLimitRule

    init(call: ServiceCall, limiter: RateLimiter, rule: RateLimitRule) {
        self.call = call
        self.limiter = limiter
        self.rule = rule
    }

    init(web: WebDependencies) {
        self.init(call: ServiceCall(web: web), limiter: web.limiter, rule: web.settings.rateLimits.petitionDeposit)
    }

    /// Counted per account, whatever the address: a citizen cannot flood moderation by
    /// changing networks. Staff deposit on the assembly's behalf (paper petitions) unlimited.
    func deposit(_ draft: PetitionDraft, by account: Account) async throws -> PetitionView {
        // Checked here too so that a refused draft does not count toward the limit.
        if let problem = draft.problems.first { throw APIError.invalid(problem.field, problem.message) }
        if !account.isStaff { try await limiter.check(rule, client: "account:\(account.id.uuidString.lowercased())") }
        return try await call.ask(CreatePetition(
            title: draft.title, text: draft.text, reasons: draft.reasons, theme: draft.theme,
            authorAccountID: account.id, authorName: account.publicName
        ))
    }

    func similar(to draft: PetitionDraft) async throws -> [PetitionView] {
        try await call.ask(FindSimilarPetitions(title: draft.title, text: draft.text + "\n" + draft.reasons)).items
    }
}
