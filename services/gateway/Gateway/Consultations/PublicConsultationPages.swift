import Crypto
import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import Wording

/// The public consultation pages: the list (open first), and each consultation's page with its
/// question, what contributions will be used for, dates (the extension announced), themes,
/// counts and its published contributions.
struct PublicConsultationPages: Sendable {
    let web: WebDependencies

    func register(on pages: SecuredRoutes) {
        pages.get("consultations", .everyone) { request, context in try await list(request, context) }
        pages.get("consultations/{id}", .everyone) { request, context in try await consultation(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    private func list(_ request: Request, _ context: WebContext) async throws -> Response {
        let consultations = try await call.ask(ListConsultations(limit: 100))
        let rows = consultations.items.map { ConsultationListPage.Row($0) }
        return web.render(
            Page("consultations", title: "Consultations", model: ConsultationListPage(rows: rows, hasRows: !rows.isEmpty)), request, context
        )
    }

    private func consultation(_ request: Request, _ context: WebContext) async throws -> Response {
        let view = try await call.ask(GetConsultation(consultationID: try context.requiredID()))
        let parameters = request.uri.queryParameters
        let filters = ContributionFilters({ parameters.get($0) }, themes: view.definition.themes)
        let published = try await call.ask(ListContributions(
            consultationID: view.id, viewerAccountID: context.account?.id, theme: filters.theme, kind: filters.kind,
            moderationStatus: filters.retainedOnly ? .retained : nil, order: filters.order, randomSeed: Self.randomSeed(context),
            limit: ContributionFilters.pageSize, offset: (filters.page - 1) * ContributionFilters.pageSize, answerStatus: filters.answerStatus
        ))
        var mine: [ContributionView] = []
        if let account = context.account {
            mine = try await call.ask(ListContributions(consultationID: view.id, authorAccountID: account.id, limit: ListContributions.maximumLimit)).items
        }
        let model = ConsultationPage(view, published: published, mine: mine, signedIn: context.account != nil, filters: filters)
        return web.render(Page("consultation", title: view.definition.title, model: model), request, context)
    }

    /// The visitor's own value for the random order: their account, else their browser's
    /// cookie, else their address; hashed, so the service never sees the cookie.
    static func randomSeed(_ context: WebContext) -> String {
        let visitor = context.account.map { "account:\($0.id.uuidString)" } ?? context.visitor.csrfSeed.map { "browser:\($0)" } ?? "address:\(context.clientAddress)"
        return SHA256.hash(data: Data(visitor.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}

/// The list controls of a consultation's page, read from its query (`thematique`, `type`,
/// `retenues`, `tri`, `page`); anything unknown is ignored.
struct ContributionFilters {
    static let pageSize = 20

    var theme: String?
    var kind: ContributionKind?
    var retainedOnly = false
    /// « Suite donnée » (`suite`).
    var answerStatus: ContributionAnswerStatus?
    var order = ContributionOrder.random
    var page = 1

    /// - Parameter query: the value of a query parameter, by name.
    init(_ query: (String) -> String?, themes: [ConsultationTheme]) {
        theme = query("thematique").flatMap { code in themes.contains { $0.code == code } ? code : nil }
        kind = switch query("type") {
        case "temoignage": .testimony
        case "proposition": .proposal
        default: nil
        }
        retainedOnly = query("retenues") == "1"
        answerStatus = AnswerFilter.status(named: query("suite"))
        order = switch query("tri") {
        case "soutiens": .supports
        case "recentes": .newest
        default: .random
        }
        page = query("page").flatMap(Int.init).map { max(1, min($0, 10_000)) } ?? 1
    }

    /// The query of this list at another page.
    func query(page: Int) -> String {
        var items: [(String, String)] = []
        if let theme { items.append(("thematique", theme)) }
        if let kind { items.append(("type", kind == .testimony ? "temoignage" : "proposition")) }
        if retainedOnly { items.append(("retenues", "1")) }
        if let answerStatus { items.append(("suite", AnswerFilter.name(answerStatus))) }
        let orderName = switch order {
        case .supports: "soutiens"
        case .newest: "recentes"
        case .random: "hasard"
        }
        items.append(("tri", orderName))
        items.append(("page", String(page)))
        return items.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }
}
