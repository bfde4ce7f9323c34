import DialogueContracts
import Foundation
import Hummingbird
import ServiceKit
import SurveyStatistics

/// `/enquetes/{id}/resultats`: the results of a survey for everyone, once its setting makes
/// them public (during the survey, or after it closes). Every response counts (filters and
/// breakdowns stay with staff: the counts of small groups are not public); each question's
/// figures are the staff page's, protected by the same small-count rule, and under each
/// question the texts moderation published, a page at a time. No script.
struct PublicSurveyResultsPages: Sendable {
    let web: WebDependencies

    func register(on pages: SecuredRoutes) {
        pages.get("enquetes/{id}/resultats", .everyone) { request, context in try await results(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    private func results(_ request: Request, _ context: WebContext) async throws -> Response {
        let survey = try await call.ask(GetSurvey(surveyID: try context.requiredID()))
        guard survey.status != .draft else { throw HTTPError(.notFound) }
        let id = survey.id.uuidString.lowercased()
        let definition = survey.definition
        guard SurveysAPI.resultsArePublic(survey) else {
            let model = PublicSurveyResultsPage(
                id: id, title: definition.title, notPublished: Self.whyNotPublished(definition.resultsVisibility),
                provisional: nil, responseCount: nil, legend: nil, questions: []
            )
            return web.render(Page("survey-results", title: "Résultats – \(definition.title)", status: .forbidden, model: model), request, context)
        }
        let rule = try await call.ask(GetSurveySettings()).smallCellRule
        let figures = SurveyQuestionFigures(rule: rule)
        let results = try await call.ask(GetSurveyResults(surveyID: survey.id, filter: .all))
        let parameters = request.uri.queryParameters
        var questions = figures.questionModels(results, definition: definition)
        let textQuestions = Dictionary(
            definition.orderedQuestions.map(\.question).filter(\.kind.takesFreeText).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }
        )
        for index in questions.indices {
            guard let question = textQuestions[questions[index].id] else { continue }
            let page = max(1, parameters.get(StaffSurveyFreeTextPages.pageParameter(question.id), as: Int.self) ?? 1)
            let pageSize = StaffSurveyFreeTextPages.pageSize
            let found = try await call.ask(ListSurveyFreeTexts(
                surveyID: survey.id, questionID: question.id, filter: .all, offset: (page - 1) * pageSize, limit: pageSize
            ))
            // Only the day is said of a text in public: with a département and a channel, a
            // text from a small group could point to its author.
            questions[index].texts = StaffSurveyFreeTextPages.model(
                of: found, question: question, page: page, path: "/enquetes/\(id)/resultats", parameters: parameters,
                details: { FrenchDate.day($0.answeredAt) }
            )
        }
        let open = survey.status == .open && (definition.closesAt.map { $0 > Date() } ?? true)
        let model = PublicSurveyResultsPage(
            id: id, title: definition.title, notPublished: nil,
            provisional: open ? "L'enquête est ouverte : ces résultats sont provisoires et changent au fil des réponses." : nil,
            responseCount: figures.count(PublishedCount.of(results.responseCount, rule: rule)), legend: rule.frenchLegend, questions: questions
        )
        return web.render(Page("survey-results", title: "Résultats – \(definition.title)", model: model), request, context)
    }

    /// What the page says when the results are not public (now).
    static func whyNotPublished(_ visibility: SurveyResultsVisibility) -> String {
        switch visibility {
        case .never: "Les résultats de cette enquête servent au travail de l'assemblée ; ils ne sont pas publiés."
        case .afterClosing: "Les résultats de cette enquête seront publiés après sa clôture."
        case .during: "Les résultats de cette enquête ne sont pas encore publiés."
        }
    }
}

/// `/enquetes/{id}/resultats`.
struct PublicSurveyResultsPage {
    let id: String
    let title: String
    /// Why there is nothing to read (yet).
    let notPublished: String?
    /// Said while the survey still takes answers.
    let provisional: String?
    let responseCount: String?
    let legend: String?
    let questions: [ResultsQuestion]
}
