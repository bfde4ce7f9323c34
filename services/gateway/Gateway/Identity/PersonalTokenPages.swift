import DialogueContracts
import Foundation
import Hummingbird
import Identity

/// `/compte/jetons`: a person's own API tokens. With a confirmed address they create one
/// (a name, a lifetime), see it once, list them and revoke them. A personal token acts as a
/// citizen only (contribute, support, answer, vote through `/api/v1`), never with staff roles.
struct PersonalTokenPages: Sendable {
    let web: WebDependencies

    static let path = "/compte/jetons"
    /// Offered when the form is first shown.
    static let defaultLifetimeDays = 90

    func register(on pages: SecuredRoutes) {
        pages.get("compte/jetons", .signedIn) { request, context in
            try await page(request, context, form: FormFields(), newToken: nil, errors: FormErrors())
        }
        pages.post("compte/jetons", .signedIn) { request, context in try await issue(request, context) }
        pages.post("compte/jetons/{id}/revocation", .signedIn) { _, context in
            let account = try context.requireAccount()
            guard try await web.apiTokens.revoke(try context.requiredID(), of: account, scope: .citizen) else { throw HTTPError(.notFound) }
            return PageRenderer.redirect(to: Self.path, notice: IdentityNotice.tokenRevoked)
        }
    }

    private func page(
        _ request: Request, _ context: WebContext, form: FormFields, newToken: String?, errors: FormErrors, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let account = try context.requireAccount()
        let tokens = try await web.apiTokens.tokens(of: account.id, scope: .citizen)
        let now = Date()
        let bounds = APITokenStore.personalLifetimeDays
        let model = PersonalTokensPage(
            unconfirmed: !account.isConfirmed,
            newToken: newToken,
            errors: errors.summary,
            label: FormField(
                name: "label", label: "Nom du jeton", value: newToken == nil ? form["label"] : nil,
                hint: "Pour vous rappeler où il sert, par exemple « mon application de quartier ».",
                error: errors["label"], autocomplete: "off", required: true
            ),
            days: FormField(
                name: "days", label: "Durée de validité, en jours", type: "number",
                value: newToken == nil ? (form["days"] ?? String(Self.defaultLifetimeDays)) : String(Self.defaultLifetimeDays),
                hint: "De \(bounds.lowerBound) à \(bounds.upperBound) jours. Le jeton cesse de fonctionner ensuite ; vous pourrez en créer un autre.",
                error: errors["days"], autocomplete: "off", required: true
            ),
            liveLimit: APITokenStore.personalLiveLimit,
            tokens: tokens.map { APITokensPage.Token($0, now: now) },
            empty: tokens.isEmpty
        )
        return web.render(Page("account-tokens", title: Page.title("Mes jetons d'accès à l'API", hasErrors: !errors.isEmpty), status: status, model: model), request, context)
    }

    private func issue(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = context.form
        var errors = FormErrors()
        let label = form["label"] ?? ""
        if !(1...80).contains(label.count) { errors.add("label", "Donnez un nom au jeton (80 caractères au plus).") }
        let bounds = APITokenStore.personalLifetimeDays
        let days = form["days"].flatMap { Int($0) }
        if days.map({ !bounds.contains($0) }) ?? true {
            errors.add("days", "Indiquez une durée de validité en jours, un nombre entier de \(bounds.lowerBound) à \(bounds.upperBound).")
        }
        guard errors.isEmpty, let days else { return try await page(request, context, form: form, newToken: nil, errors: errors, status: .unprocessableContent) }
        do {
            let token = try await web.apiTokens.issuePersonal(to: account, label: label, lifetimeDays: days)
            // Shown once, on this page only: it is stored hashed and cannot be shown again.
            return try await page(request, context, form: FormFields(), newToken: token, errors: FormErrors())
        } catch PersonalTokenRefusal.unconfirmedAddress {
            errors.add("label", "Confirmez d'abord votre adresse électronique : ouvrez le lien du courriel reçu, ou demandez-en un nouveau depuis « Mon compte ».")
            return try await page(request, context, form: form, newToken: nil, errors: errors, status: .forbidden)
        } catch PersonalTokenRefusal.tooManyLiveTokens(let limit) {
            errors.add("label", "Vous avez déjà \(limit) jetons actifs : révoquez-en un avant d'en créer un autre.")
            return try await page(request, context, form: form, newToken: nil, errors: errors, status: .conflict)
        }
    }
}

/// `/compte/jetons`: the person's personal API tokens, the form for a new one, and a new token once.
struct PersonalTokensPage {
    /// Without a confirmed address no token can be created: the page says why instead of the form.
    let unconfirmed: Bool
    /// The token just issued, shown on this page only.
    let newToken: String?
    let errors: ErrorSummary?
    let label: FormField
    let days: FormField
    let liveLimit: Int
    let tokens: [APITokensPage.Token]
    let empty: Bool
}
