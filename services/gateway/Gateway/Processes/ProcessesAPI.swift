import DialogueContracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import ServiceKit

/// `/api/v1/processes`: the processes and their timelines (anyone); staff create one, phase by
/// phase or from a model (`template` and the first day, `startsOn`), under the same rules as
/// the form. A refusal names its field (`title`, `phases[2].starts_on`…) and stores nothing.
struct ProcessesAPI: Sendable {
    let web: WebDependencies

    private var call: ServiceCall { ServiceCall(web: web) }

    struct DocumentBody: Decodable {
        let title: String
        let url: String
    }

    struct PhaseBody: Decodable {
        let kind: String
        let title: String?
        let startsOn: String
        let endsOn: String
        let description: String?
        // Read as text so that a malformed id is refused by its name.
        let consultationID: String?
        let forumID: String?
        let surveyID: String?
        let documents: [DocumentBody]?
    }

    struct ProcessBody: Decodable {
        let title: String
        let policy: String
        let purpose: String
        let phases: [PhaseBody]?
        let template: String?
        let startsOn: String?
    }

    func register(on routes: SecuredRoutes) {
        routes.get("", .everyone) { _, _ in try JSONResponse.make(try await call.ask(ListProcesses())) }
        routes.get("{id}", .everyone) { _, context in
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound }
            return try JSONResponse.make(try await call.ask(GetProcess(processID: id)))
        }
        routes.post("", StaffProcessPages.processStaff) { request, context in
            let account = try context.requireAccount()
            let body = try await JSONBody.decode(ProcessBody.self, from: request, limit: web.settings.bodyLimit)
            let draft = ProcessDraft(title: body.title, policy: body.policy, purpose: body.purpose, phases: try Self.phases(body))
            if let problem = draft.problems.first { throw APIError(problem) }
            let process = try await call.ask(CreateProcess(draft: draft, staffID: account.id, staffName: account.shownName))
            return try JSONResponse.make(process, status: .created, location: "/api/v1/processes/\(process.id.uuidString.lowercased())")
        }
    }

    /// The phases given, or those of the model named: one or the other.
    static func phases(_ body: ProcessBody) throws -> [ProcessPhaseDraft] {
        if let name = body.template {
            guard body.phases == nil else { throw APIError.invalid("phases", "Donnez soit les étapes, soit un modèle (template), pas les deux.") }
            guard let template = ProcessTemplate(rawValue: name) else {
                throw APIError.invalid("template", "« \(name) » n'est pas un modèle : citizen_workshops.")
            }
            let phases = template.phases(startingOn: body.startsOn ?? "")
            guard !phases.isEmpty else { throw APIError.invalid("startsOn", "Indiquez le premier jour du modèle (startsOn), par exemple 2027-03-01.") }
            return phases
        }
        guard let phases = body.phases else { throw APIError.invalid("phases", "Donnez les étapes (phases) ou un modèle (template).") }
        return try phases.enumerated().map { index, phase in
            guard let kind = ProcessPhaseKind(rawValue: phase.kind) else {
                let kinds = ProcessPhaseKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError.invalid(ProcessDraft.phaseField(index, "kind"), "« \(phase.kind) » n'est pas un type d'étape : \(kinds).")
            }
            func id(_ text: String?, _ field: String) throws -> UUID? {
                guard let text else { return nil }
                guard let id = UUID(uuidString: text) else {
                    throw APIError.invalid(ProcessDraft.phaseField(index, field), "« \(text) » n'est pas un identifiant (UUID).")
                }
                return id
            }
            return ProcessPhaseDraft(
                kind: kind, title: phase.title ?? "", startsOn: phase.startsOn, endsOn: phase.endsOn, description: phase.description ?? "",
                consultationID: try id(phase.consultationID, "consultation_id"), forumID: try id(phase.forumID, "forum_id"),
                surveyID: try id(phase.surveyID, "survey_id"),
                documents: (phase.documents ?? []).map { ProcessDocument(title: $0.title, url: $0.url) }
            )
        }
    }
}
