public import DialogueContracts
public import Foundation
public import Logging
public import PostgresNIO
import ServiceKit
import Storage

/// What staff bring back from in-person sessions: contributions gathered there (one by one or
/// a whole CSV file, all or nothing) and supports of proposals counted on paper.
public struct OfflineContributions: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Records every entry or none: each is checked (its own rules, then the consultation's
    /// kinds and themes) before the first is written, and all are written in one transaction.
    ///
    /// They are published at once rather than sent to moderation: staff transcribed them from
    /// what people said or wrote, reading each as a moderator would, and their entry is audited
    /// with their name; moderators reviewing staff's own transcription would add a wait and no
    /// check, and there is no account to tell of a refusal. Accepted whatever the dates (a
    /// workshop may precede the opening, a letter arrive after the closing), until the results
    /// are published: the figures then stay those the results were drawn from.
    public func record(_ request: RecordOfflineContributions, now: Date = Date()) async throws -> OfflineContributionsRecorded {
        guard (1...RecordOfflineContributions.maximumEntries).contains(request.entries.count) else {
            throw RequestFailure(
                code: .invalid, message: "Envoyez entre 1 et \(RecordOfflineContributions.maximumEntries) contributions à la fois.", field: "entries"
            )
        }
        for (index, entry) in request.entries.enumerated() {
            if let problem = entry.problems(now: now).first { throw Self.failure(problem.message, entry: index, field: problem.field) }
        }
        return try await client.transaction(logger: logger) { connection in
            // Shared lock: staff changing the themes meanwhile wait for this import.
            let definition = try await ConsultationStore.lockedDefinition(request.consultationID, on: connection, logger: logger)
            guard !definition.resultsPublished else {
                throw RequestFailure(
                    code: .conflict, message: "Les résultats de cette consultation sont publiés : elle ne reçoit plus de contributions.",
                    field: "consultation"
                )
            }
            var themes: [ConsultationTheme] = []
            for (index, entry) in request.entries.enumerated() {
                guard definition.accepted.accepts(entry.draft.kind) else {
                    let message = entry.draft.kind == .testimony
                        ? "Cette consultation reçoit seulement des propositions." : "Cette consultation reçoit seulement des témoignages."
                    throw Self.failure(message, entry: index, field: "kind")
                }
                guard let theme = definition.theme(entry.draft.theme) else {
                    throw Self.failure("Choisissez une des thématiques de la consultation.", entry: index, field: "theme")
                }
                themes.append(theme)
            }
            var items: [ContributionView] = []
            for (entry, theme) in zip(request.entries, themes) {
                items.append(try await insert(entry, theme: theme, request: request, on: connection))
            }
            let sessions = Set(request.entries.map(\.origin.session)).sorted().joined(separator: ", ")
            try await StaffAudit.record(
                "contribution.offline_recorded", by: request.staffID, named: request.staffName, objectType: "consultation",
                objectID: request.consultationID.uuidString.lowercased(), details: ["contributions": String(items.count), "sessions": sessions],
                service: ConsultationService.name, on: connection, logger: logger
            )
            logger.info("offline contributions recorded", metadata: ["consultation_id": "\(request.consultationID)", "count": "\(items.count)"])
            return OfflineContributionsRecorded(items: items)
        }
    }

    private func insert(
        _ entry: OfflineContributionEntry, theme: ConsultationTheme, request: RecordOfflineContributions, on connection: PostgresConnection
    ) async throws -> ContributionView {
        let draft = entry.draft
        let id = UUID()
        let collected = String(decoding: try MessageCoding.encode(entry.origin), as: UTF8.self)
        let rows = try await connection.query(
            """
            INSERT INTO contributions (id, consultation_id, kind, theme, theme_label, title, body, reasons, commune, origin, author_name,
                                       visible, moderation_status, published_at, collected, entered_by, entered_by_name)
            VALUES (\(id), \(request.consultationID), \(draft.kind.rawValue), \(theme.code), \(theme.label), \(draft.title), \(draft.text),
                    \(draft.reasons), \(draft.commune), \(ContributionOrigin.inPerson.rawValue), \(entry.authorName),
                    true, \(ModerationStatus.published.rawValue), now(), \(collected)::jsonb, \(request.staffID), \(request.staffName))
            RETURNING \(unescaped: ContributionStore.columns)
            """,
            logger: logger
        )
        var created: ContributionView?
        for try await row in rows.decode(ContributionStore.Row.self) { created = try ContributionStore.view(row) }
        guard let created, let publishedAt = created.publishedAt else {
            throw RequestFailure(code: .internal, message: "the contribution was not stored")
        }
        let facts = ContributionFacts(
            contributionID: id, consultationID: request.consultationID, kind: draft.kind, theme: theme.code, themeLabel: theme.label,
            title: draft.title, text: draft.text, reasons: draft.reasons, commune: draft.commune, origin: .inPerson,
            authorDepartement: nil, authorAgeBand: nil
        )
        try await Outbox.enqueue(ContributionReceived(contribution: facts, submittedAt: created.createdAt), on: connection, logger: logger)
        try await Outbox.enqueue(ContributionPublished(contribution: facts, publishedAt: publishedAt), on: connection, logger: logger)
        return created
    }

    /// A refusal naming the entry (`entries[2].title`) and saying which one, counted from 1.
    static func failure(_ message: String, entry index: Int, field: String?) -> RequestFailure {
        RequestFailure(
            code: .invalid, message: "Contribution n° \(index + 1) : \(message)", field: "entries[\(index)]" + (field.map { ".\($0)" } ?? "")
        )
    }

    /// Adds a batch of paper supports to a published proposal, not withdrawn, until the results
    /// are published (sheets gathered during the consultation may arrive after its closing).
    /// The rules of the batch are petitions' paper signatures' (`PaperCollection`).
    public func recordPaperSupports(_ request: RecordPaperSupports) async throws -> PaperSupportBatch {
        let place = request.place.trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = PaperCollection.problems(count: request.count, counted: "soutiens", place: place, collectedOn: request.collectedOn).first {
            throw problem
        }
        return try await client.transaction(logger: logger) { connection in
            let found = try await connection.query(
                """
                SELECT c.kind, c.visible, c.withdrawn_at IS NOT NULL, k.results_published
                FROM contributions c JOIN consultations k ON k.id = c.consultation_id
                WHERE c.id = \(request.contributionID) FOR UPDATE OF c
                """,
                logger: logger
            )
            var state: (kind: String, visible: Bool, withdrawn: Bool, resultsPublished: Bool)?
            for try await row in found.decode((String, Bool, Bool, Bool).self) { state = row }
            guard let state, state.visible else { throw RequestFailure(code: .notFound, message: "Cette contribution n'existe pas.") }
            guard state.kind == ContributionKind.proposal.rawValue else {
                throw RequestFailure(code: .conflict, message: "Seules les propositions reçoivent des soutiens.", field: "contribution")
            }
            guard !state.withdrawn else {
                throw RequestFailure(code: .conflict, message: "Cette proposition a été retirée par son auteur.", field: "contribution")
            }
            guard !state.resultsPublished else {
                throw RequestFailure(code: .conflict, message: "Les résultats de cette consultation sont publiés.", field: "contribution")
            }
            let id = UUID()
            let rows = try await connection.query(
                """
                WITH batch AS (
                    INSERT INTO contribution_paper_supports (id, contribution_id, support_count, collected_on, place, entered_by, entered_by_name)
                    VALUES (\(id), \(request.contributionID), \(request.count), (\(request.collectedOn) AT TIME ZONE 'Europe/Paris')::date,
                            \(place), \(request.staffID), \(request.staffName))
                    RETURNING to_char(collected_on, 'YYYY-MM-DD') AS day
                )
                UPDATE contributions SET paper_support_count = paper_support_count + \(request.count)
                FROM batch WHERE contributions.id = \(request.contributionID)
                RETURNING batch.day, paper_support_count
                """,
                logger: logger
            )
            var batch: PaperSupportBatch?
            for try await (day, total) in rows.decode((String, Int).self) {
                batch = PaperSupportBatch(
                    id: id, contributionID: request.contributionID, count: request.count, collectedOn: day, place: place, paperSupportCount: total
                )
            }
            guard let batch else { throw RequestFailure(code: .internal, message: "the batch was not stored") }
            try await StaffAudit.record(
                "contribution.paper_supports_recorded", by: request.staffID, named: request.staffName, objectType: "contribution",
                objectID: request.contributionID.uuidString.lowercased(),
                details: ["batch": id.uuidString.lowercased(), "supports": String(request.count), "collected_on": batch.collectedOn, "place": place],
                service: ConsultationService.name, on: connection, logger: logger
            )
            return batch
        }
    }
}

extension ConsultationStore {
    /// The consultation's definition, share-locked for the rest of the transaction (staff
    /// changing its themes wait for the contributions being written).
    static func lockedDefinition(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> ConsultationDefinition {
        let rows = try await connection.query("SELECT definition::text FROM consultations WHERE id = \(id) FOR SHARE", logger: logger)
        for try await document in rows.decode(String.self) {
            return try MessageCoding.decode(ConsultationDefinition.self, from: Array(document.utf8))
        }
        throw notFound
    }
}
