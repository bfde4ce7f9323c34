import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import SurveyStatistics

/// `/admin/reglages-enquetes`: the platform's survey settings, for administrators (as the
/// petitions' are). Today one: the smallest count the results pages publish.
struct StaffSurveySettingsPages: Sendable {
    let web: WebDependencies

    static let path = "/admin/reglages-enquetes"
    private static let minimumField = "effectif-minimum"

    func register(on admin: SecuredRoutes) {
        admin.get("reglages-enquetes", .staff([.administrator])) { request, context in
            try await settings(request, context, form: nil, errors: FormErrors())
        }
        admin.post("reglages-enquetes", .staff([.administrator])) { request, context in try await save(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    private func settings(_ request: Request, _ context: WebContext, form: FormFields?, errors: FormErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let current = try await call.ask(GetSurveySettings())
        let allowed = SurveySettings.allowedSmallCellMinimums
        let model = SurveySettingsPage(
            errors: errors.summary,
            minimumField: FormField(
                name: Self.minimumField, label: "Plus petit effectif publié dans les résultats", type: "number",
                value: form?[Self.minimumField] ?? String(current.smallCellMinimum),
                hint: "De \(allowed.lowerBound) à \(allowed.upperBound) réponses (\(SurveySettings.defaultSmallCellMinimum) par défaut). "
                    + "Un effectif plus petit s'affiche « < n », et ceux qui permettraient de le retrouver sont masqués. "
                    + "S'applique aussitôt à toutes les pages de résultats et à leurs croisements.",
                error: errors[Self.minimumField], required: true
            )
        )
        let title = Page.title("Réglages des enquêtes", hasErrors: !errors.isEmpty)
        return web.render(Page("admin-survey-settings", title: title, status: status, model: model), request, context)
    }

    private func save(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = context.form
        var errors = FormErrors()
        let allowed = SurveySettings.allowedSmallCellMinimums
        let minimum = form[Self.minimumField].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard let minimum, allowed.contains(minimum) else {
            errors.add(Self.minimumField, "Indiquez un nombre entier de \(allowed.lowerBound) à \(allowed.upperBound).")
            return try await settings(request, context, form: form, errors: errors, status: .unprocessableContent)
        }
        // Audited by the survey service, in the transaction that saves them.
        _ = try await call.ask(SaveSurveySettings(settings: SurveySettings(smallCellMinimum: minimum), staffID: account.id, staffName: account.shownName))
        return PageRenderer.redirect(to: Self.path, notice: SurveyNotice.settingsSaved)
    }
}

extension SurveySettings {
    /// The rule the results pages protect small counts with.
    var smallCellRule: SmallCellRule {
        // The service keeps the minimum within its allowed range (at least 5), above the rule's floor of 2.
        (try? SmallCellRule(minimumCount: smallCellMinimum)) ?? .default
    }
}

/// `/admin/reglages-enquetes`.
struct SurveySettingsPage {
    let errors: ErrorSummary?
    let minimumField: FormField
}
