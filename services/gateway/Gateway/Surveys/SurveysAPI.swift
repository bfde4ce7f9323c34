import DialogueContracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import Messaging
import ServiceKit

/// `/api/v1/surveys`: answering a survey (one's own response and its edit; for staff, paper
/// and in-person questionnaires too) and reading its results and cross-tabs.
struct SurveysAPI: Sendable {
    let web: WebDependencies

    private var desk: SurveyResponseDesk { SurveyResponseDesk(web: web) }
    private var call: ServiceCall { ServiceCall(web: web) }

    /// Who reads breakdowns and filtered results: the counts of small groups are not public.
    static let analysts = Access.staff([.administrator, .staff, .analyst])

    struct ResponseBody: Decodable {
        let answers: [String: SurveyAnswer]
        let profile: ProfileBody?
        /// `web` (the account's own response, the default), `paper` or `in_person` (staff entering a questionnaire).
        let channel: String?
    }

    /// The profile as sent: each value is checked so that a wrong one is named.
    struct ProfileBody: Decodable {
        let departement: String?
        let ageBand: String?
        let occupation: String?
        let association: String?
    }

    struct Accepted: Encodable {
        /// `accepted`: stored shortly (`GET …/responses/mine` shows it once it is).
        let status: String
    }

    func register(on routes: SecuredRoutes) {
        routes.post("{id}/responses", .signedIn) { request, context in
            try await submit(request, survey: context.parameters.require("id"), by: try context.requireAccount(), intent: .first)
        }
        routes.on(.put, "{id}/responses/mine", .signedIn) { request, context in
            try await submit(request, survey: context.parameters.require("id"), by: try context.requireAccount(), intent: .edit)
        }
        routes.get("{id}/responses/mine", .signedIn) { _, context in
            try await mine(context.parameters.require("id"), account: try context.requireAccount())
        }
        routes.get("{id}/results", .everyone) { request, context in
            try await results(request, survey: context.parameters.require("id"), account: context.account)
        }
        routes.get("{id}/results/crosstab", Self.analysts) { request, context in
            try await crossTab(request, survey: context.parameters.require("id"))
        }
    }

    func submit(_ request: Request, survey id: String, by account: Account, intent: SurveyResponseDesk.Intent) async throws -> Response {
        guard let surveyID = UUID(uuidString: id) else { throw APIError.notFound }
        let body = try await JSONBody.decode(ResponseBody.self, from: request, limit: web.settings.bodyLimit)
        let profile = try Self.profile(body.profile)
        var channel = SurveyChannel.web
        if let text = body.channel {
            guard let given = SurveyChannel(rawValue: text), intent == .first || given == .web else {
                throw APIError.invalid("channel", "« \(text) » n'est pas un canal : web, paper ou in_person (une modification vient du web).")
            }
            channel = given
        }
        try await desk.submit(body.answers, profile: profile, channel: channel, to: surveyID, by: account, intent: intent)
        return try JSONResponse.make(Accepted(status: "accepted"), status: .accepted)
    }

    func mine(_ id: String, account: Account) async throws -> Response {
        guard let surveyID = UUID(uuidString: id) else { throw APIError.notFound }
        _ = try await desk.survey(surveyID)
        let respondent = SurveyRespondent.account(account.id, confirmedEmail: account.isConfirmed ? account.email : nil)
        let mine = try await desk.mine(surveyID, respondent: respondent)
        guard mine.response != nil else {
            throw APIError(status: .notFound, code: "not_found", message: "Vous n'avez pas (encore) répondu à cette enquête.")
        }
        return try JSONResponse.make(mine)
    }

    /// Staff read every survey's results, filtered as they like; others read the results of a
    /// survey whose results are public now, over every response.
    func results(_ request: Request, survey id: String, account: Account?) async throws -> Response {
        guard let surveyID = UUID(uuidString: id) else { throw APIError.notFound }
        let filter = try Self.filter(request.uri.queryParameters)
        if !Self.analysts.allows(account) {
            let survey = try await desk.survey(surveyID)
            guard Self.resultsArePublic(survey) else {
                throw APIError(status: .forbidden, code: "results_not_public", message: "Les résultats de cette enquête ne sont pas publics pour l'instant.")
            }
            guard filter.keepsEverything else {
                throw APIError(status: .forbidden, code: "forbidden", message: "Les résultats filtrés sont réservés à l'équipe du CESER.", field: "filter")
            }
        }
        return try JSONResponse.make(try await call.ask(GetSurveyResults(surveyID: surveyID, filter: filter)))
    }

    func crossTab(_ request: Request, survey id: String) async throws -> Response {
        guard let surveyID = UUID(uuidString: id) else { throw APIError.notFound }
        let parameters = request.uri.queryParameters
        func dimension(_ name: String) throws -> SurveyDimension {
            guard let text = parameters.get(name) else { throw APIError.invalid(name, "Le paramètre « \(name) » est obligatoire.") }
            guard let dimension = SurveyDimension(rawValue: text) else {
                throw APIError.invalid(name, "« \(text) » n'est pas un critère : question:<id>, profile:<champ> ou channel.")
            }
            return dimension
        }
        let request = GetSurveyCrossTab(surveyID: surveyID, rows: try dimension("rows"), columns: try dimension("columns"), filter: try Self.filter(parameters))
        return try JSONResponse.make(try await call.ask(request))
    }

    /// Results are public during the survey, or once it is closed, as its builder chose.
    static func resultsArePublic(_ survey: SurveyView) -> Bool {
        resultsArePublic(survey.definition.resultsVisibility, status: survey.status)
    }

    static func resultsArePublic(_ visibility: SurveyResultsVisibility, status: SurveyStatus) -> Bool {
        switch visibility {
        case .never: false
        case .during: status != .draft
        case .afterClosing: status == .closed
        }
    }

    static func profile(_ body: ProfileBody?) throws -> SurveyProfile {
        guard let body else { return SurveyProfile() }
        func value<Value: RawRepresentable & CaseIterable>(_ text: String?, _ field: String) throws -> Value? where Value.RawValue == String {
            guard let text else { return nil }
            guard let value = Value(rawValue: text) else {
                throw APIError.invalid("profile.\(field)", "« \(text) » n'est pas une valeur de « \(field) » : \(Value.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return value
        }
        return SurveyProfile(
            departement: try value(body.departement, "departement"), ageBand: try value(body.ageBand, "ageBand"),
            occupation: try value(body.occupation, "occupation"), association: try value(body.association, "association")
        )
    }

    /// The filter of a results URL: each parameter may repeat (`?departement=59&departement=62`);
    /// an empty one (a form's « Tous ») keeps everything.
    static func filter(_ parameters: Parameters) throws -> SurveyResultsFilter {
        func values<Value: RawRepresentable & CaseIterable>(_ name: String) throws -> [Value] where Value.RawValue == String {
            try parameters.getAll(name).filter { !$0.isEmpty }.map { text in
                guard let value = Value(rawValue: text) else {
                    throw APIError.invalid(name, "« \(text) » n'est pas une valeur de « \(name) » : \(Value.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                return value
            }
        }
        return SurveyResultsFilter(
            departements: try values("departement"), ageBands: try values("ageBand"), occupations: try values("occupation"),
            associations: try values("association"), channels: try values("channel")
        )
    }
}
