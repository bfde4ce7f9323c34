import DialogueContracts
import Foundation
import Hummingbird
import ServiceKit

/// The public survey pages: the surveys open now, a survey's page (what the answers are for,
/// its dates, who may answer), and the answering form (`SurveyAnsweringFlow`).
struct PublicSurveyPages: Sendable {
    let web: WebDependencies

    func register(on pages: SecuredRoutes) {
        pages.get("enquetes", .everyone) { request, context in try await list(request, context) }
        pages.get("enquetes/{id}", .everyone) { request, context in try await survey(request, context) }
        let flow = SurveyAnsweringFlow(web: web, isPreview: false)
        pages.get("enquetes/{id}/repondre", .everyone) { request, context in try await flow.start(request, context) }
        pages.post("enquetes/{id}/repondre", .everyone) { request, context in try await flow.step(request, context) }
        pages.post("enquetes/{id}/lien", .everyone) { request, context in try await requestLink(request, context) }
        // Also the page of people answering with a mailed link, who have no account.
        pages.get("enquetes/{id}/merci", .everyone) { request, context in try await thanks(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    private func list(_ request: Request, _ context: WebContext) async throws -> Response {
        let open = try await call.ask(ListSurveys(status: .open, limit: 100))
        let closed = try await call.ask(ListSurveys(status: .closed, limit: 100))
        let now = Date()
        func row(_ survey: SurveySummary) -> SurveyListPage.Row {
            let id = survey.id.uuidString.lowercased()
            let resultsArePublic = survey.resultsVisibility.map { SurveysAPI.resultsArePublic($0, status: survey.status) } ?? false
            return SurveyListPage.Row(
                id: id, title: survey.title, closes: survey.closesAt.map(FrenchDate.day) ?? "—",
                questions: survey.questionCount == 1 ? "1 question" : "\(survey.questionCount) questions",
                results: resultsArePublic ? "/enquetes/\(id)/resultats" : nil
            )
        }
        let rows = open.items.filter { ($0.opensAt ?? now) <= now }.map(row)
        let published = closed.items.map(row).filter { $0.results != nil }
        let model = SurveyListPage(rows: rows, hasRows: !rows.isEmpty, published: published, hasPublished: !published.isEmpty)
        return web.render(Page("surveys", title: "Enquêtes", model: model), request, context)
    }

    private func survey(_ request: Request, _ context: WebContext) async throws -> Response {
        let view = try await call.ask(GetSurvey(surveyID: try context.requiredID()))
        guard view.status != .draft else { throw HTTPError(.notFound) }
        let now = Date()
        let definition = view.definition
        var message: String?
        if view.status == .closed || (definition.closesAt.map { $0 <= now } ?? false) {
            message = "Cette enquête est close : elle ne prend plus de réponses."
        } else if let opensAt = definition.opensAt, opensAt > now {
            message = "Cette enquête ouvrira le \(FrenchDate.dateTime(opensAt))."
        }
        var model = SurveyPage(
            id: view.id.uuidString.lowercased(), survey: SurveyIntroduction(definition), canAnswer: message == nil, message: message, signIn: nil,
            linkForm: message == nil && context.account == nil && definition.audience == .confirmedEmail ? SurveyLinkForm(email: nil, error: nil) : nil
        )
        model.resultsArePublic = SurveysAPI.resultsArePublic(view)
        return web.render(Page("survey", title: definition.title, model: model), request, context)
    }

    /// « Répondre sans compte »: mails a link to the address typed. The page says the same
    /// whether or not the address answered already; a bad address comes back with its message.
    private func requestLink(_ request: Request, _ context: WebContext) async throws -> Response {
        let view = try await call.ask(GetSurvey(surveyID: try context.requiredID()))
        guard view.status != .draft else { throw HTTPError(.notFound) }
        try await web.limiter.check(web.settings.rateLimits.surveyAnswerLink, client: context.clientAddress)
        let email = (context.form["email"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        func formBack(_ message: String, status: HTTPResponse.Status) -> Response {
            var errors = FormErrors()
            errors.add("email", message)
            let model = SurveyPage(
                id: view.id.uuidString.lowercased(), survey: SurveyIntroduction(view.definition), canAnswer: false, message: nil, signIn: nil,
                linkForm: SurveyLinkForm(email: email, error: errors["email"]), errors: errors.summary
            )
            return web.render(Page("survey", title: Page.title(view.definition.title, hasErrors: true), status: status, model: model), request, context)
        }
        guard EmailAddress.isValid(email) else {
            return formBack("Indiquez une adresse électronique valide, par exemple nom@exemple.fr.", status: .unprocessableContent)
        }
        do {
            _ = try await call.ask(RequestSurveyAnswerLink(surveyID: view.id, email: email))
        } catch let error as APIError where [.badRequest, .unprocessableContent, .conflict].contains(error.status) {
            return formBack(error.message, status: error.status)
        }
        return PageRenderer.redirect(to: "/enquetes/\(view.id.uuidString.lowercased())", notice: SurveyNotice.linkSent)
    }

    /// After sending: the response waits in the command queue, so the page says it was
    /// received, and offers to change it while the survey is open.
    private func thanks(_ request: Request, _ context: WebContext) async throws -> Response {
        let view = try await call.ask(GetSurvey(surveyID: try context.requiredID()))
        guard view.status != .draft else { throw HTTPError(.notFound) }
        let definition = view.definition
        let open = view.status == .open && (definition.closesAt.map { $0 > Date() } ?? true)
        let results = switch definition.resultsVisibility {
        case .never: "Les résultats servent au travail de l'assemblée ; ils ne sont pas publiés."
        case .afterClosing: "Les résultats seront publiés après la clôture de l'enquête."
        case .during: "Les résultats sont publiés au fil des réponses."
        }
        let model = SurveyThanksPage(
            id: view.id.uuidString.lowercased(), title: definition.title, canEdit: open, byMailedLink: context.account == nil, closes: definition.closesAt.map(FrenchDate.dateTime),
            results: results
        )
        return web.render(Page("survey-thanks", title: "Merci – \(definition.title)", model: model), request, context)
    }

    /// "21 novembre 2026" for a `yyyy-MM-dd` day, as it was typed otherwise.
    static func frenchDay(_ day: String) -> String {
        guard let date = try? Date("\(day)T12:00:00Z", strategy: .iso8601) else { return day }
        return FrenchDate.day(date)
    }
}
