import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Storage

/// Participatory processes as staff write them, and the job that announces each phase once
/// it begins (`process.phase_started`).
struct ProcessStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    static let notFound = RequestFailure(code: .notFound, message: "Cette démarche n'existe pas.")

    /// Stores a process and its phases, audited, in one transaction; a draft breaking a rule
    /// stores nothing. Phases already over when it is written are history entered after the
    /// fact: they are not announced.
    func create(_ request: CreateProcess) async throws -> ProcessView {
        let draft = request.draft
        if let problem = draft.problems.first { throw problem }
        let id = UUID()
        let now = Date()
        return try await client.transaction(logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO processes (id, title, policy, purpose, created_by, created_by_name)
                VALUES (\(id), \(draft.title), \(draft.policy), \(draft.purpose), \(request.staffID), \(request.staffName))
                """,
                logger: logger
            )
            try await Self.checkLinks(draft, on: connection, logger: logger)
            for (index, phase) in draft.phases.enumerated() {
                guard let startsAt = ProcessDay.start(of: phase.startsOn), let endsAt = ProcessDay.end(of: phase.endsOn) else {
                    throw RequestFailure(code: .invalid, message: "Dates illisibles.", field: ProcessDraft.phaseField(index, "starts_on"))
                }
                let documents = String(decoding: try MessageCoding.encode(phase.documents), as: UTF8.self)
                let announced: Date? = endsAt <= now ? now : nil
                try await connection.query(
                    """
                    INSERT INTO process_phases (id, process_id, position, kind, title, starts_on, ends_on, starts_at, description,
                                                consultation_id, forum_id, survey_id, documents, start_announced_at)
                    VALUES (\(UUID()), \(id), \(index + 1), \(phase.kind.rawValue), \(phase.title), \(phase.startsOn)::date, \(phase.endsOn)::date,
                            \(startsAt), \(phase.description), \(phase.consultationID), \(phase.forumID), \(phase.surveyID), \(documents)::jsonb,
                            \(announced))
                    """,
                    logger: logger
                )
            }
            let process = try await Self.process(id, on: connection, logger: logger)
            try await StaffAudit.record(
                "process.created", by: request.staffID, named: request.staffName, objectType: "process", objectID: id.uuidString.lowercased(),
                details: ["title": process.title, "phases": String(process.phases.count)],
                service: ConsultationService.name, on: connection, logger: logger
            )
            return process
        }
    }

    /// Every process, the latest begun first.
    func list() async throws -> ProcessList {
        try await client.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT p.id FROM processes p
                ORDER BY (SELECT min(f.starts_on) FROM process_phases f WHERE f.process_id = p.id) DESC, p.created_at DESC, p.id
                LIMIT 200
                """,
                logger: logger
            )
            var ids: [UUID] = []
            for try await id in rows.decode(UUID.self) { ids.append(id) }
            var items: [ProcessView] = []
            for id in ids { items.append(try await Self.process(id, on: connection, logger: logger)) }
            return ProcessList(items: items)
        }
    }

    func process(_ request: GetProcess) async throws -> ProcessView {
        try await client.withConnection { connection in
            var process = try await Self.process(request.processID, on: connection, logger: logger)
            if let viewer = request.viewerAccountID {
                let rows = try await connection.query(
                    "SELECT 1 FROM process_followers WHERE process_id = \(request.processID) AND account_id = \(viewer)", logger: logger
                )
                process.followedByViewer = try await !rows.collect().isEmpty
            }
            return process
        }
    }

    /// Follows or stops following; a process that does not exist is not found.
    func follow(_ request: FollowProcess) async throws -> ProcessFollowing {
        try await client.transaction(logger: logger) { connection in
            _ = try await Self.process(request.processID, on: connection, logger: logger)
            if request.follow {
                try await connection.query(
                    """
                    INSERT INTO process_followers (process_id, account_id) VALUES (\(request.processID), \(request.accountID))
                    ON CONFLICT DO NOTHING
                    """,
                    logger: logger
                )
            } else {
                try await connection.query(
                    "DELETE FROM process_followers WHERE process_id = \(request.processID) AND account_id = \(request.accountID)", logger: logger
                )
            }
            return ProcessFollowing(processID: request.processID, following: request.follow)
        }
    }

    /// An erased account follows nothing any more.
    static func apply(_ erased: AccountErased, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("DELETE FROM process_followers WHERE account_id = \(erased.accountID)", logger: logger)
    }

    /// Queues `process.phase_started` for each phase begun and not yet announced, marking it in
    /// the same transaction: a replica running the job at the same time finds it marked.
    @discardableResult
    func announceStartedPhases() async throws -> Int {
        let started = try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE process_phases f SET start_announced_at = now()
                FROM processes p
                WHERE p.id = f.process_id AND f.start_announced_at IS NULL AND f.starts_at <= now()
                RETURNING p.id, p.title, f.id, f.position, (SELECT count(*)::integer FROM process_phases o WHERE o.process_id = p.id),
                          f.kind, f.title, to_char(f.starts_on, 'YYYY-MM-DD'), to_char(f.ends_on, 'YYYY-MM-DD'), f.start_announced_at
                """,
                logger: logger
            )
            var events: [ProcessPhaseStarted] = []
            for try await row in rows.decode((UUID, String, UUID, Int, Int, String, String, String, String, Date).self) {
                events.append(ProcessPhaseStarted(
                    processID: row.0, processTitle: row.1, phaseID: row.2, position: row.3, phaseCount: row.4,
                    kind: ProcessPhaseKind(rawValue: row.5) ?? .free, title: row.6, startsOn: row.7, endsOn: row.8, startedAt: row.9
                ))
            }
            events.sort { ($0.processID.uuidString, $0.position) < ($1.processID.uuidString, $1.position) }
            try await Outbox.enqueue(all: events, on: connection, logger: logger)
            // Each follower told once per phase: the phase is announced once, its notices with it.
            for event in events {
                let followers = try await connection.query(
                    "SELECT account_id FROM process_followers WHERE process_id = \(event.processID) ORDER BY followed_at, account_id", logger: logger
                )
                var notices: [ProcessPhaseNoticeRequested] = []
                for try await account in followers.decode(UUID.self) { notices.append(ProcessPhaseNoticeRequested(accountID: account, phase: event)) }
                try await Outbox.enqueue(all: notices, on: connection, logger: logger)
            }
            return events.count
        }
        if started > 0 { logger.info("process phases begun", metadata: ["count": "\(started)"]) }
        return started
    }

    /// The consultations and forums a phase opens are this schema's: they must exist. (Surveys
    /// live in survey-service: their ids are taken as given.)
    static func checkLinks(_ draft: ProcessDraft, on connection: PostgresConnection, logger: Logger) async throws {
        for (index, phase) in draft.phases.enumerated() {
            if let id = phase.consultationID,
               try await connection.query("SELECT 1 FROM consultations WHERE id = \(id)", logger: logger).collect().isEmpty {
                throw RequestFailure(
                    code: .invalid, message: "Aucune consultation n'a l'identifiant donné à l'étape \(index + 1).",
                    field: ProcessDraft.phaseField(index, "consultation_id")
                )
            }
            if let id = phase.forumID, try await connection.query("SELECT 1 FROM forums WHERE id = \(id)", logger: logger).collect().isEmpty {
                throw RequestFailure(
                    code: .invalid, message: "Aucun forum n'a l'identifiant donné à l'étape \(index + 1).", field: ProcessDraft.phaseField(index, "forum_id")
                )
            }
        }
    }

    static func process(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> ProcessView {
        let rows = try await connection.query("SELECT id, title, policy, purpose, created_at FROM processes WHERE id = \(id)", logger: logger)
        var found: (UUID, String, String, String, Date)?
        for try await row in rows.decode((UUID, String, String, String, Date).self) { found = row }
        guard let found else { throw notFound }
        let phaseRows = try await connection.query(
            """
            SELECT id, position, kind, title, to_char(starts_on, 'YYYY-MM-DD'), to_char(ends_on, 'YYYY-MM-DD'), description,
                   consultation_id, forum_id, survey_id, documents::text
            FROM process_phases WHERE process_id = \(id) ORDER BY position
            """,
            logger: logger
        )
        var phases: [ProcessPhaseView] = []
        for try await row in phaseRows.decode((UUID, Int, String, String, String, String, String, UUID?, UUID?, UUID?, String).self) {
            phases.append(ProcessPhaseView(
                id: row.0, position: row.1, kind: ProcessPhaseKind(rawValue: row.2) ?? .free, title: row.3, startsOn: row.4, endsOn: row.5,
                description: row.6, consultationID: row.7, forumID: row.8, surveyID: row.9,
                documents: try MessageCoding.decode([ProcessDocument].self, from: Array(row.10.utf8))
            ))
        }
        return ProcessView(id: found.0, title: found.1, policy: found.2, purpose: found.3, phases: phases, createdAt: found.4)
    }
}
