import DialogueContracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import ServiceKit

/// `/api/v1/consultations`: everything public (consultations, their published contributions
/// with their supports); with a citizen's bearer token, contributing and supporting.
struct ConsultationsAPI: Sendable {
    let web: WebDependencies

    private var call: ServiceCall { ServiceCall(web: web) }

    struct ContributionBody: Decodable {
        let kind: String
        let theme: String
        let title: String
        let text: String
        let reasons: String?
        let commune: String?
    }

    /// What staff send to answer contributions (`POST /consultations/{id}/answers`).
    struct AnswerBody: Decodable {
        let contributions: [UUID]
        let status: String
        let text: String?
        let reason: String?
        let reportURL: String?

        enum CodingKeys: String, CodingKey {
            case contributions, status, text, reason
            case reportURL = "report_url"
        }
    }

    func register(on routes: SecuredRoutes) {
        routes.get("", .everyone) { request, _ in
            let query = APIQuery(request)
            let limit = try query.integer("limit", in: 1...100) ?? 50
            let offset = try query.integer("offset", in: 0...Int.max) ?? 0
            return try JSONResponse.make(try await call.ask(ListConsultations(limit: limit, offset: offset)))
        }
        routes.get("{id}", .everyone) { _, context in
            try JSONResponse.make(try await call.ask(GetConsultation(consultationID: try Self.id(context))))
        }
        routes.get("{id}/contributions", .everyone) { request, context in try await contributions(request, context) }
        routes.post("{id}/contributions", .signedIn) { request, context in try await contribute(request, context) }
        routes.post("contributions/{id}/support", .signedIn) { _, context in try await support(context, withdraw: false) }
        routes.on(.delete, "contributions/{id}/support", .signedIn) { _, context in try await support(context, withdraw: true) }
        routes.get("contributions/{id}", .everyone) { _, context in
            try JSONResponse.make(try await call.ask(GetContribution(contributionID: try Self.id(context), viewerAccountID: context.account?.id)))
        }
        routes.get("contributions/{id}/comments", .everyone) { request, context in
            let page = try APIQuery(request).integer("page", in: 1...100_000) ?? 1
            return try JSONResponse.make(try await call.ask(ListContributionComments(
                contributionID: try Self.id(context), viewerAccountID: context.account?.id, page: page
            )))
        }
        routes.get("{id}/balance-sheet", .everyone) { _, context in
            try JSONResponse.make(try await call.ask(GetBalanceSheet(consultationID: try Self.id(context))))
        }
        routes.post("{id}/answers", StaffConsultationPages.consultationStaff) { request, context in try await answer(request, context) }
        routes.get("{id}/similar", .everyone) { request, context in
            let parameters = request.uri.queryParameters
            guard let title = parameters.get("title"), !title.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw APIError.invalid("title", "Indiquez le titre de la proposition en cours d'écriture.")
            }
            return try JSONResponse.make(try await call.ask(FindSimilarContributions(
                consultationID: try Self.id(context), title: title, text: parameters.get("text") ?? "", viewerAccountID: context.account?.id
            )))
        }
    }

    static func id(_ context: WebContext) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound }
        return id
    }

    private func contributions(_ request: Request, _ context: WebContext) async throws -> Response {
        let query = APIQuery(request)
        let consultationID = try Self.id(context)
        let kind = try query.value("kind", as: ContributionKind.self)
        let order = try query.value("order", as: ContributionOrder.self) ?? .newest
        var status: ModerationStatus?
        if let text = try query.text("moderation") {
            guard let known = ModerationStatus(rawValue: text), [.retained, .notRetained].contains(known) else {
                throw APIError.invalid("moderation", "Le filtre de modération vaut retained ou not_retained.")
            }
            status = known
        }
        let answerStatus = try query.value("answer_status", as: ContributionAnswerStatus.self)
        let limit = try query.integer("limit", in: 1...ListContributions.maximumLimit) ?? 20
        let offset = try query.integer("offset", in: 0...Int.max) ?? 0
        let list = try await call.ask(ListContributions(
            consultationID: consultationID, viewerAccountID: context.account?.id, theme: try query.text("theme"), kind: kind,
            moderationStatus: status, order: order,
            randomSeed: try query.text("seed") ?? PublicConsultationPages.randomSeed(context), limit: limit, offset: offset,
            answerStatus: answerStatus
        ))
        return try JSONResponse.make(list)
    }

    private func contribute(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        guard account.isConfirmed else { throw APIError.unconfirmedEmail }
        let consultationID = try Self.id(context)
        let body = try await JSONBody.decode(ContributionBody.self, from: request, limit: web.settings.bodyLimit)
        guard let kind = ContributionKind(rawValue: body.kind) else { throw APIError.invalid("kind", "Le type vaut testimony ou proposal.") }
        let draft = ContributionDraft(kind: kind, theme: body.theme, title: body.title, text: body.text, reasons: body.reasons, commune: body.commune)
        let contribution = try await ContributionDesk(call: call).submit(draft, to: consultationID, by: account)
        return try JSONResponse.make(contribution, status: .created)
    }

    private func support(_ context: WebContext, withdraw: Bool) async throws -> Response {
        let account = try context.requireAccount()
        guard account.isConfirmed else { throw APIError.unconfirmedEmail }
        return try JSONResponse.make(try await ContributionDesk(call: call).support(try Self.id(context), by: account, withdraw: withdraw))
    }

    private func answer(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let consultationID = try Self.id(context)
        let body = try await JSONBody.decode(AnswerBody.self, from: request, limit: web.settings.bodyLimit)
        guard let status = ContributionAnswerStatus(rawValue: body.status) else {
            throw APIError.invalid("status", "La suite donnée vaut received, under_study, retained, not_retained ou in_report.")
        }
        let answer = ContributionAnswer(status: status, text: body.text, reason: body.reason, reportURL: body.reportURL)
        if let problem = answer.problems.first { throw APIError.invalid(problem.field, problem.message) }
        return try JSONResponse.make(try await call.ask(AnswerContributions(
            consultationID: consultationID, contributionIDs: body.contributions, answer: answer, staffID: account.id, staffName: account.shownName
        )))
    }
}
