import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// The orientation report in the back-office (`/admin/processus/{id}/recommandations`): staff
/// write a recommendation citing contributions of the process's consultations, publish it, record
/// the council's decision and follow its implementation milestones. Every form comes back with
/// its French messages next to its fields and what was typed.
struct StaffRecommendationPages: Sendable {
    let web: WebDependencies

    /// How many contributions of each consultation the form offers to cite.
    static let citableLimit = 500

    func register(on admin: SecuredRoutes) {
        let staff = StaffProcessPages.processStaff
        admin.get("processus/{id}/recommandations", staff) { request, context in
            try await page(request, context, processID: try context.requiredID(), errors: FormErrors())
        }
        admin.post("processus/{id}/recommandations", staff) { request, context in try await write(request, context) }
        admin.post("recommandations/{id}/publier", staff) { _, context in
            let account = try context.requireAccount()
            let view = try await call.ask(PublishRecommendation(recommendationID: try context.requiredID(), staffID: account.id, staffName: account.shownName))
            return redirect(to: view, notice: .published)
        }
        admin.post("recommandations/{id}/decision", staff) { request, context in try await decide(request, context) }
        admin.post("recommandations/{id}/jalons", staff) { request, context in try await saveMilestone(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    private func redirect(to view: RecommendationView, notice: RecommendationNotice) -> Response {
        let path = "/admin/processus/\(view.processID.uuidString.lowercased())/recommandations?statut=\(notice.rawValue)#recommandation-\(view.number)"
        return PageRenderer.redirect(to: path)
    }

    private func write(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let processID = try context.requiredID()
        let form = context.form
        var errors = FormErrors()
        let number = form["numero"].flatMap { Int($0) }
        if number == nil { errors.add("numero", "Indiquez le numéro de la recommandation, un nombre de 1 à 999.") }
        let ids = form.all("contributions").compactMap { UUID(uuidString: $0) }
        if ids.count != form.all("contributions").count { errors.add("contributions", "Une des contributions cochées n'est pas reconnue : rechargez la page.") }
        let draft = RecommendationDraft(number: number ?? 0, title: form.raw("titre") ?? "", text: form.raw("texte") ?? "", contributionIDs: ids)
        for problem in draft.problems where !(problem.field == "number" && number == nil) {
            errors.add(StaffRecommendationsPage.newFields.formField(for: problem.field), problem.message)
        }
        guard errors.isEmpty else { return try await page(request, context, processID: processID, typed: form, errors: errors, status: .unprocessableContent) }
        let view: RecommendationView
        do {
            view = try await call.ask(WriteRecommendation(processID: processID, draft: draft, staffID: account.id, staffName: account.shownName))
        } catch let error as APIError where [.badRequest, .conflict].contains(error.status) {
            errors.add(error, in: StaffRecommendationsPage.newFields)
            return try await page(request, context, processID: processID, typed: form, errors: errors, status: .unprocessableContent)
        }
        return redirect(to: view, notice: .written)
    }

    private func decide(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let current = try await call.ask(GetRecommendation(recommendationID: try context.requiredID(), includeDraft: true))
        let fateField = StaffRecommendationsPage.decisionField(current.id, "sort")
        let reasonField = StaffRecommendationsPage.decisionField(current.id, "raison")
        var errors = FormErrors()
        guard let fate = context.form[fateField].flatMap(RecommendationFate.init(rawValue:)) else {
            errors.add(fateField, "Choisissez la décision des élus sur la recommandation n° \(current.number).")
            return try await page(request, context, processID: current.processID, typed: context.form, errors: errors, status: .unprocessableContent)
        }
        let decision = DecideRecommendation(
            recommendationID: current.id, fate: fate, reason: context.form.raw(reasonField), staffID: account.id, staffName: account.shownName
        )
        let fields = FormFieldNames(["fate": fateField, "reason": reasonField], otherwise: fateField)
        if let problem = decision.problem {
            errors.add(fields.formField(for: problem.field), problem.message)
            return try await page(request, context, processID: current.processID, typed: context.form, errors: errors, status: .unprocessableContent)
        }
        do {
            return redirect(to: try await call.ask(decision), notice: .decided)
        } catch let error as APIError where [.badRequest, .conflict].contains(error.status) {
            errors.add(error, in: fields)
            return try await page(request, context, processID: current.processID, typed: context.form, errors: errors, status: .unprocessableContent)
        }
    }

    private func saveMilestone(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let current = try await call.ask(GetRecommendation(recommendationID: try context.requiredID(), includeDraft: true))
        let milestoneID = context.form["jalon"].flatMap(UUID.init(uuidString:))
        let owner = milestoneID ?? current.id
        let field = { (name: String) in StaffRecommendationsPage.milestoneField(owner, name) }
        var errors = FormErrors()
        let progress = context.form[field("avancement")].flatMap { Int($0) }
        if progress == nil { errors.add(field("avancement"), "Indiquez l'avancement, un nombre de 0 à 100.") }
        let status = context.form[field("etat")].flatMap(MilestoneStatus.init(rawValue:))
        if status == nil { errors.add(field("etat"), "Choisissez l'état du jalon.") }
        let draft = MilestoneDraft(
            title: context.form.raw(field("titre")) ?? "", dueOn: context.form.raw(field("echeance")) ?? "", progress: progress ?? 0, status: status ?? .planned
        )
        let fields = FormFieldNames(
            ["title": field("titre"), "due_on": field("echeance"), "progress": field("avancement"), "status": field("etat")], otherwise: field("titre")
        )
        for problem in draft.problems where !(problem.field == "progress" && progress == nil) {
            errors.add(fields.formField(for: problem.field), problem.message)
        }
        guard errors.isEmpty else {
            return try await page(request, context, processID: current.processID, typed: context.form, errors: errors, status: .unprocessableContent)
        }
        do {
            let view = try await call.ask(SaveMilestone(
                recommendationID: current.id, milestoneID: milestoneID, draft: draft, staffID: account.id, staffName: account.shownName
            ))
            return redirect(to: view, notice: .milestoneSaved)
        } catch let error as APIError where [.badRequest, .conflict].contains(error.status) {
            errors.add(error, in: fields)
            return try await page(request, context, processID: current.processID, typed: context.form, errors: errors, status: .unprocessableContent)
        }
    }

    /// The report's page; `typed` and `errors` are those of the one form sent back.
    private func page(
        _ request: Request, _ context: WebContext, processID: UUID, typed: FormFields = FormFields(), errors: FormErrors,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let list = try await call.ask(ListRecommendations(processID: processID, includeDrafts: true))
        let process = try await call.ask(GetProcess(processID: processID))
        var consultations: [UUID] = []
        for id in process.phases.compactMap(\.consultationID) where !consultations.contains(id) { consultations.append(id) }
        var contributions: [ContributionView] = []
        for consultation in consultations {
            var offset = 0
            while offset < Self.citableLimit {
                let page = try await call.ask(ListContributions(
                    consultationID: consultation, order: .newest, limit: ListContributions.maximumLimit, offset: offset
                ))
                contributions += page.items
                offset += ListContributions.maximumLimit
                if page.items.count < ListContributions.maximumLimit { break }
            }
        }
        let model = StaffRecommendationsPage(list: list, contributions: contributions, typed: typed, errors: errors)
        let title = Page.title("Rapport d'orientation – \(list.processTitle)", hasErrors: !errors.isEmpty)
        return web.render(Page("admin-process-recommendations", title: title, status: status, model: model), request, context)
    }
}

/// The notices of the recommendation pages (see `PageNotice`).
enum RecommendationNotice: String, PageNotice {
    case written = "recommandation-enregistree"
    case published = "recommandation-publiee"
    case decided = "recommandation-decidee"
    case milestoneSaved = "jalon-enregistre"

    var message: String {
        switch self {
        case .written: "La recommandation est enregistrée en brouillon : publiez-la pour la rendre publique."
        case .published: "La recommandation est publiée : les auteurs et soutiens des contributions qu'elle cite en sont avertis."
        case .decided: "La décision est enregistrée : les auteurs et soutiens des contributions citées en sont avertis."
        case .milestoneSaved: "Le jalon est enregistré : s'il a changé, les auteurs et soutiens des contributions citées en sont avertis."
        }
    }
}
