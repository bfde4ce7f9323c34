import DialogueContracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import ServiceKit

/// The orientation reports in the JSON API: a process's recommendations
/// (`/api/v1/processes/{id}/recommendations`) and each one (`/api/v1/recommendations/{id}`),
/// published ones for anyone, drafts too for process staff; staff write, publish, decide and
/// follow milestones under the same rules as the back-office. A refusal names its field
/// (`number`, `title`, `text`, `contributions`, `fate`, `reason`, `due_on`, `progress`, `status`)
/// and stores nothing.
struct RecommendationsAPI: Sendable {
    let web: WebDependencies

    private var call: ServiceCall { ServiceCall(web: web) }

    struct RecommendationBody: Decodable {
        let number: Int
        let title: String
        let text: String
        /// Read as text so that a malformed id is refused by its name.
        let contributions: [String]?
    }

    struct DecisionBody: Decodable {
        let fate: String
        let reason: String?
    }

    struct MilestoneBody: Decodable {
        /// The milestone to change; absent to add one.
        let milestone: String?
        let title: String
        let dueOn: String
        let progress: Int
        let status: String
    }

    func register(processes: SecuredRoutes, recommendations: SecuredRoutes) {
        let staff = StaffProcessPages.processStaff
        processes.get("{id}/recommendations", .everyone) { _, context in
            try JSONResponse.make(try await call.ask(ListRecommendations(processID: try Self.id(context), includeDrafts: staff.allows(context.account))))
        }
        processes.post("{id}/recommendations", staff) { request, context in
            let account = try context.requireAccount()
            let processID = try Self.id(context)
            let body = try await JSONBody.decode(RecommendationBody.self, from: request, limit: web.settings.bodyLimit)
            let view = try await call.ask(WriteRecommendation(
                processID: processID, draft: try Self.draft(body), staffID: account.id, staffName: account.shownName
            ))
            return try JSONResponse.make(view, status: .created, location: "/api/v1/recommendations/\(view.id.uuidString.lowercased())")
        }
        recommendations.get("{id}", .everyone) { _, context in
            try JSONResponse.make(try await call.ask(GetRecommendation(recommendationID: try Self.id(context), includeDraft: staff.allows(context.account))))
        }
        recommendations.on(.put, "{id}", staff) { request, context in
            let account = try context.requireAccount()
            let current = try await call.ask(GetRecommendation(recommendationID: try Self.id(context), includeDraft: true))
            let body = try await JSONBody.decode(RecommendationBody.self, from: request, limit: web.settings.bodyLimit)
            return try JSONResponse.make(try await call.ask(WriteRecommendation(
                processID: current.processID, recommendationID: current.id, draft: try Self.draft(body), staffID: account.id, staffName: account.shownName
            )))
        }
        recommendations.post("{id}/publication", staff) { _, context in
            let account = try context.requireAccount()
            return try JSONResponse.make(try await call.ask(PublishRecommendation(
                recommendationID: try Self.id(context), staffID: account.id, staffName: account.shownName
            )))
        }
        recommendations.post("{id}/decision", staff) { request, context in
            let account = try context.requireAccount()
            let body = try await JSONBody.decode(DecisionBody.self, from: request, limit: web.settings.bodyLimit)
            guard let fate = RecommendationFate(rawValue: body.fate) else {
                throw APIError.invalid("fate", "« \(body.fate) » n'est pas une décision : adopted, modified, rejected.")
            }
            let decision = DecideRecommendation(
                recommendationID: try Self.id(context), fate: fate, reason: body.reason, staffID: account.id, staffName: account.shownName
            )
            if let problem = decision.problem { throw APIError(problem) }
            return try JSONResponse.make(try await call.ask(decision))
        }
        recommendations.post("{id}/milestones", staff) { request, context in
            let account = try context.requireAccount()
            let body = try await JSONBody.decode(MilestoneBody.self, from: request, limit: web.settings.bodyLimit)
            guard let status = MilestoneStatus(rawValue: body.status) else {
                let statuses = MilestoneStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError.invalid("status", "« \(body.status) » n'est pas un état de jalon : \(statuses).")
            }
            var milestoneID: UUID?
            if let text = body.milestone {
                guard let id = UUID(uuidString: text) else { throw APIError.invalid("milestone", "« \(text) » n'est pas un identifiant (UUID).") }
                milestoneID = id
            }
            let draft = MilestoneDraft(title: body.title, dueOn: body.dueOn, progress: body.progress, status: status)
            if let problem = draft.problems.first { throw APIError(problem) }
            let view = try await call.ask(SaveMilestone(
                recommendationID: try Self.id(context), milestoneID: milestoneID, draft: draft, staffID: account.id, staffName: account.shownName
            ))
            return try JSONResponse.make(view, status: milestoneID == nil ? .created : .ok)
        }
    }

    static func id(_ context: WebContext) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound }
        return id
    }

    static func draft(_ body: RecommendationBody) throws -> RecommendationDraft {
        let contributions = try (body.contributions ?? []).map { text in
            guard let id = UUID(uuidString: text.trimmingCharacters(in: .whitespaces)) else {
                throw APIError.invalid("contributions", "« \(text) » n'est pas un identifiant de contribution (UUID).")
            }
            return id
        }
        let draft = RecommendationDraft(number: body.number, title: body.title, text: body.text, contributionIDs: contributions)
        if let problem = draft.problems.first { throw APIError(problem) }
        return draft
    }
}
