import DialogueContracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import ServiceKit

/// `/api/v1/consultations/{id}/offline-contributions` and
/// `/api/v1/consultations/contributions/{id}/paper-supports` (staff): contributions gathered in
/// person, as a list or a CSV file (previewed with `preview`), all stored or none; supports
/// counted on paper.
struct OfflineContributionsAPI: Sendable {
    let web: WebDependencies

    private var call: ServiceCall { ServiceCall(web: web) }

    struct EntryBody: Decodable {
        let kind: String
        let theme: String
        let title: String
        let text: String
        let reasons: String?
        let commune: String?
        let authorName: String?
        let place: String
        let collectedOn: String
        let session: String
        let channel: String

        enum CodingKeys: String, CodingKey {
            case kind, theme, title, text, reasons, commune, place, session, channel
            case authorName = "author_name"
            case collectedOn = "collected_on"
        }
    }

    /// Either `entries` or `csv`; `preview` (with `csv`) reads the file and stores nothing.
    struct RecordBody: Decodable {
        let entries: [EntryBody]?
        let csv: String?
        let preview: Bool?
    }

    /// What a preview answers: every problem with its line and column, and what would be stored.
    struct Preview: Encodable {
        let valid: Bool
        let problems: [OfflineContributionImport.Problem]
        let entries: [OfflineContributionEntry]
    }

    struct PaperBody: Decodable {
        let count: Int
        let collectedOn: String
        let place: String

        enum CodingKeys: String, CodingKey {
            case count, place
            case collectedOn = "collected_on"
        }
    }

    func register(on routes: SecuredRoutes) {
        routes.post("{id}/offline-contributions", StaffConsultationPages.consultationStaff) { request, context in try await record(request, context) }
        routes.post("contributions/{id}/paper-supports", StaffConsultationPages.consultationStaff) { request, context in
            try await recordPaperSupports(request, context)
        }
    }

    private func record(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let consultationID = try ConsultationsAPI.id(context)
        let body = try await JSONBody.decode(RecordBody.self, from: request, limit: web.settings.bodyLimit)
        let entries: [OfflineContributionEntry]
        switch (body.entries, body.csv) {
        case (let list?, nil):
            entries = try Self.entries(list)
        case (nil, let csv?):
            let view = try await call.ask(GetConsultation(consultationID: consultationID))
            let reading = OfflineContributionImport(csv: csv, consultation: view.definition)
            if body.preview == true {
                return try JSONResponse.make(Preview(valid: reading.isValid, problems: reading.problems, entries: reading.entries))
            }
            if let first = reading.problems.first {
                let more = reading.problems.count > 1 ? " (et \(reading.problems.count - 1) autres erreurs : envoyez le fichier avec « preview » pour toutes les lire)" : ""
                throw APIError.invalid("csv", first.text + more)
            }
            entries = reading.entries
        default:
            throw APIError.invalid("entries", "Envoyez soit « entries » (une liste de contributions), soit « csv » (le contenu d'un fichier CSV).")
        }
        let recorded = try await call.ask(RecordOfflineContributions(
            consultationID: consultationID, entries: entries, staffID: account.id, staffName: account.shownName
        ))
        return try JSONResponse.make(recorded, status: .created)
    }

    /// The entries, each checked by its own rules; the first problem names its entry and field
    /// (`entries[2].collected_on`). The service checks the consultation's kinds and themes.
    static func entries(_ list: [EntryBody]) throws -> [OfflineContributionEntry] {
        guard (1...RecordOfflineContributions.maximumEntries).contains(list.count) else {
            throw APIError.invalid("entries", "Envoyez entre 1 et \(RecordOfflineContributions.maximumEntries) contributions à la fois.")
        }
        return try list.enumerated().map { index, body in
            guard let kind = ContributionKind(rawValue: body.kind) else {
                throw APIError.invalid("entries[\(index)].kind", "Contribution n° \(index + 1) : le type vaut testimony ou proposal.")
            }
            guard let channel = OfflineChannel(rawValue: body.channel) else {
                throw APIError.invalid(
                    "entries[\(index)].channel", "Contribution n° \(index + 1) : le canal vaut in_situ, workshop, paper_form ou mail."
                )
            }
            let entry = OfflineContributionEntry(
                draft: ContributionDraft(
                    kind: kind, theme: body.theme, title: body.title, text: body.text, reasons: body.reasons, commune: body.commune
                ),
                authorName: body.authorName,
                origin: OfflineOrigin(place: body.place, collectedOn: body.collectedOn, session: body.session, channel: channel)
            )
            if let problem = entry.problems().first {
                throw APIError.invalid("entries[\(index)].\(problem.field ?? "")", "Contribution n° \(index + 1) : \(problem.message)")
            }
            return entry
        }
    }

    private func recordPaperSupports(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let contributionID = try ConsultationsAPI.id(context)
        let body = try await JSONBody.decode(PaperBody.self, from: request, limit: web.settings.bodyLimit)
        guard let day = OfflineOrigin.day(body.collectedOn) else {
            throw APIError.invalid("collected_on", "La date de collecte s'écrit AAAA-MM-JJ.")
        }
        if let problem = PaperCollection.problems(count: body.count, counted: "soutiens", place: body.place, collectedOn: day).first {
            throw APIError.invalid(problem.field, problem.message)
        }
        let batch = try await call.ask(RecordPaperSupports(
            contributionID: contributionID, count: body.count, collectedOn: day, place: body.place, staffID: account.id, staffName: account.shownName
        ))
        return try JSONResponse.make(batch, status: .created)
    }
}
