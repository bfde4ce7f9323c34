import DialogueContracts
import Foundation
import Hummingbird
import ServiceKit

/// The free texts of a survey for staff (`/admin/enquetes/{id}/textes`): for each question
/// that takes a typed text (text questions, « autre, précisez »), the texts moderation
/// published, newest first, a page at a time, among the responses the results' filter keeps.
/// A text not yet moderated, or rejected, is never listed. One GET form, no script.
struct StaffSurveyFreeTextPages: Sendable {
    let web: WebDependencies
    /// Texts on one page of a question.
    static let pageSize = 20

    func register(on admin: SecuredRoutes) {
        admin.get("enquetes/{id}/textes", StaffSurveyPages.surveyStaff) { request, context in try await texts(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    /// The query parameter of a question's page number.
    static func pageParameter(_ questionID: String) -> String { "page-\(questionID)" }

    private func texts(_ request: Request, _ context: WebContext) async throws -> Response {
        let survey = try await call.ask(GetSurvey(surveyID: try context.requiredID()))
        let parameters = request.uri.queryParameters
        var errors = FormErrors()
        var filter = SurveyResultsFilter.all
        do {
            filter = try SurveysAPI.filter(parameters)
        } catch let error as APIError {
            errors.add(error.field ?? "departement", error.message)
        }
        let id = survey.id.uuidString.lowercased()
        let questions = survey.definition.orderedQuestions.map(\.question).filter(\.kind.takesFreeText)
        var models: [FreeTextQuestion] = []
        if errors.isEmpty {
            for question in questions {
                let page = max(1, parameters.get(Self.pageParameter(question.id), as: Int.self) ?? 1)
                let found = try await call.ask(ListSurveyFreeTexts(
                    surveyID: survey.id, questionID: question.id, filter: filter, offset: (page - 1) * Self.pageSize, limit: Self.pageSize
                ))
                models.append(Self.model(of: found, question: question, page: page, path: "/admin/enquetes/\(id)/textes", parameters: parameters, details: Self.staffDetails))
            }
        }
        let model = SurveyFreeTextsPage(
            id: id, title: survey.definition.title, errors: errors.summary,
            filters: StaffSurveyResultsPages(web: web).filterGroups(parameters: parameters, errors: errors),
            filterDescription: StaffSurveyResultsPages.describe(filter), questions: models, hasQuestions: !questions.isEmpty
        )
        let title = Page.title("Textes libres de « \(survey.definition.title) »", hasErrors: !errors.isEmpty)
        return web.render(
            Page("admin-survey-free-texts", title: title, status: errors.isEmpty ? .ok : .unprocessableContent, model: model), request, context
        )
    }

    /// What staff read under a text: département, channel and day, what the filters are about.
    static func staffDetails(_ item: SurveyFreeText) -> String {
        ([item.departement.map(SurveyProfileForm.label), item.channel.label, FrenchDate.day(item.answeredAt)] as [String?])
            .compactMap { $0 }.joined(separator: " · ")
    }

    /// A question's page of texts, with links to the pages around it that keep the other
    /// parameters (filters, other questions' pages) of `path`.
    static func model(
        of found: SurveyFreeTextPage, question: SurveyQuestion, page: Int, path: String, parameters: Parameters, details: (SurveyFreeText) -> String
    ) -> FreeTextQuestion {
        let pages = max(1, (found.total + Self.pageSize - 1) / Self.pageSize)
        func link(to page: Int) -> String {
            let name = Self.pageParameter(question.id)
            var pairs = parameters.filter { $0.key != name }.map { (String($0.key), String($0.value)) }
            pairs.append((name, String(page)))
            return path + "?" + pairs.map { "\(Self.encoded($0.0))=\(Self.encoded($0.1))" }.joined(separator: "&") + "#t-\(question.id)"
        }
        let previous = page > 1 ? link(to: min(page - 1, pages)) : nil
        let next = page < pages ? link(to: page + 1) : nil
        let first = found.offset + 1
        let last = found.offset + found.items.count
        return FreeTextQuestion(
            id: question.id, prompt: question.prompt,
            count: found.total == 1 ? "1 texte publié" : "\(found.total) textes publiés",
            range: found.items.isEmpty ? nil : "Textes \(first) à \(last) sur \(found.total) (page \(page) sur \(pages))",
            items: found.items.map { FreeTextItem(text: $0.text, details: details($0)) },
            hasItems: !found.items.isEmpty,
            previous: previous, next: next, hasPages: previous != nil || next != nil
        )
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "" }
}

/// `/admin/enquetes/{id}/textes`.
struct SurveyFreeTextsPage {
    let id: String
    let title: String
    let errors: ErrorSummary?
    let filters: [ResultsCheckboxGroup]
    let filterDescription: String
    let questions: [FreeTextQuestion]
    let hasQuestions: Bool
}

/// One question's published texts, a page of them.
struct FreeTextQuestion {
    let id: String
    let prompt: String
    let count: String
    let range: String?
    let items: [FreeTextItem]
    let hasItems: Bool
    let previous: String?
    let next: String?
    let hasPages: Bool
}

struct FreeTextItem {
    let text: String
    /// What is said of the answer, never who wrote it (`StaffSurveyFreeTextPages.staffDetails`
    /// for staff, the day alone in public).
    let details: String
}
