public import DialogueContracts
public import Foundation
public import Logging
public import PostgresNIO
import ServiceKit
import Storage

/// Reads and writes consultations in the `consultations` schema. Every change is checked
/// before it is written and audited in its own transaction.
public struct ConsultationStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func create(_ request: CreateConsultation) async throws -> ConsultationView {
        let definition = request.definition
        if let problem = definition.problems.first { throw problem }
        let id = UUID()
        let document = try Self.document(definition)
        return try await client.transaction(logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO consultations (id, title, definition, opens_at, closes_at, results_published, created_by, created_by_name, updated_by_name)
                VALUES (\(id), \(definition.title), \(document)::jsonb, \(definition.opensAt), \(definition.effectiveClosing),
                        \(definition.resultsPublished), \(request.staffID), \(request.staffName), \(request.staffName))
                """,
                logger: logger
            )
            let created = try await Self.consultation(id, on: connection, logger: logger)
            try await Self.audit("consultation.created", created, by: request.staffID, named: request.staffName, on: connection, logger: logger)
            return created
        }
    }

    /// An update made from an older revision is refused, so two editors never overwrite each
    /// other unknowingly; a theme that already has contributions cannot be removed.
    public func update(_ request: UpdateConsultation) async throws -> ConsultationView {
        let definition = request.definition
        if let problem = definition.problems.first { throw problem }
        let document = try Self.document(definition)
        return try await client.transaction(logger: logger) { connection in
            let current = try await Self.consultation(request.consultationID, on: connection, lock: true, logger: logger)
            guard current.revision == request.revision else {
                throw RequestFailure(
                    code: .conflict,
                    message: "Cette consultation a été modifiée entre-temps (version \(current.revision)) : rechargez-la avant de l'enregistrer.",
                    field: "revision"
                )
            }
            let removed = Set(current.definition.themes.map(\.code)).subtracting(definition.themes.map(\.code))
            if !removed.isEmpty {
                let rows = try await connection.query(
                    """
                    SELECT DISTINCT theme FROM contributions
                    WHERE consultation_id = \(request.consultationID) AND theme = ANY(\(Array(removed)))
                    """,
                    logger: logger
                )
                for try await code in rows.decode(String.self) {
                    let label = current.definition.theme(code).map { $0.isFree ? "thématique libre" : $0.label } ?? code
                    throw RequestFailure(
                        code: .invalid,
                        message: "La thématique « \(label) » a déjà des contributions : elle ne peut plus être retirée.",
                        field: "themes"
                    )
                }
            }
            try await connection.query(
                """
                UPDATE consultations SET title = \(definition.title), definition = \(document)::jsonb, opens_at = \(definition.opensAt),
                    closes_at = \(definition.effectiveClosing), results_published = \(definition.resultsPublished),
                    revision = revision + 1, updated_at = now(), updated_by_name = \(request.staffName)
                WHERE id = \(request.consultationID)
                """,
                logger: logger
            )
            let updated = try await Self.consultation(request.consultationID, on: connection, logger: logger)
            try await Self.audit("consultation.updated", updated, by: request.staffID, named: request.staffName, on: connection, logger: logger)
            return updated
        }
    }

    public func consultation(_ id: UUID) async throws -> ConsultationView {
        try await client.withConnection { connection in try await Self.consultation(id, on: connection, logger: logger) }
    }

    /// Open first (closing soonest first), then upcoming (opening soonest first), then closed
    /// and those with results (latest closing first).
    public func list(_ request: ListConsultations) async throws -> ConsultationList {
        let limit = min(max(request.limit, 1), 100)
        let offset = max(request.offset, 0)
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns), count(*) OVER () FROM (
                SELECT *, CASE WHEN results_published THEN 3 WHEN now() < opens_at THEN 1 WHEN now() < closes_at THEN 0 ELSE 2 END AS rank
                FROM consultations
            ) AS consultations
            ORDER BY rank, CASE WHEN rank = 0 THEN closes_at END, CASE WHEN rank = 1 THEN opens_at END, closes_at DESC, id
            LIMIT \(limit) OFFSET \(offset)
            """,
            logger: logger
        )
        var items: [ConsultationView] = []
        var total = 0
        for try await row in rows.decode((UUID, Int, String, Date, Date, Int, Int, Int).self) {
            items.append(try Self.view((row.0, row.1, row.2, row.3, row.4, row.5, row.6)))
            total = row.7
        }
        if items.isEmpty && offset > 0 {
            total = try await client.query("SELECT count(*)::integer FROM consultations", logger: logger).decode(Int.self).reduce(0) { $0 + $1 }
        }
        return ConsultationList(items: items, total: total)
    }

    /// Queues `consultation.opened` for each consultation whose opening date has passed, once;
    /// replicas running the job at once announce each once (the update takes the rows it changes).
    @discardableResult
    public func announceOpened() async throws -> Int {
        let opened = try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE consultations SET opening_announced_at = now()
                WHERE opening_announced_at IS NULL AND opens_at <= now()
                RETURNING id, definition::text
                """,
                logger: logger
            )
            var events: [ConsultationOpened] = []
            for try await (id, document) in rows.decode((UUID, String).self) {
                let definition = try MessageCoding.decode(ConsultationDefinition.self, from: Array(document.utf8))
                events.append(ConsultationOpened(
                    consultationID: id, title: definition.title, question: definition.question, themes: definition.themes,
                    accepted: definition.accepted, opensAt: definition.opensAt, closesAt: definition.effectiveClosing
                ))
            }
            try await Outbox.enqueue(all: events, on: connection, logger: logger)
            return events.count
        }
        if opened > 0 { logger.info("consultations opened", metadata: ["count": "\(opened)"]) }
        return opened
    }
}

extension ConsultationStore {
    static let notFound = RequestFailure(code: .notFound, message: "Cette consultation n'existe pas.")

    /// A consultation with its published contributions counted by kind.
    static let columns = """
        id, revision, definition::text, created_at, updated_at,
        (SELECT count(*)::integer FROM contributions c WHERE c.consultation_id = consultations.id AND c.visible AND c.kind = 'testimony'),
        (SELECT count(*)::integer FROM contributions c WHERE c.consultation_id = consultations.id AND c.visible AND c.kind = 'proposal')
        """

    typealias Row = (UUID, Int, String, Date, Date, Int, Int)

    static func view(_ row: Row) throws -> ConsultationView {
        let definition = try MessageCoding.decode(ConsultationDefinition.self, from: Array(row.2.utf8))
        return ConsultationView(
            id: row.0, definition: definition, status: definition.status(at: Date()), revision: row.1, testimonyCount: row.5,
            proposalCount: row.6, createdAt: row.3, updatedAt: row.4
        )
    }

    static func document(_ definition: ConsultationDefinition) throws -> String {
        String(decoding: try MessageCoding.encode(definition), as: UTF8.self)
    }

    /// The consultation; with `lock`, locked for the rest of the transaction (changes to one consultation take turns).
    static func consultation(_ id: UUID, on connection: PostgresConnection, lock: Bool = false, logger: Logger) async throws -> ConsultationView {
        let rows = try await connection.query(
            "SELECT \(unescaped: columns) FROM consultations WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")", logger: logger
        )
        for try await row in rows.decode(Row.self) { return try view(row) }
        throw notFound
    }

    /// The staff action's entry in `staff_audit`, in the action's transaction.
    static func audit(
        _ action: String, _ consultation: ConsultationView, by staffID: UUID, named staffName: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await StaffAudit.record(
            action, by: staffID, named: staffName, objectType: "consultation", objectID: consultation.id.uuidString.lowercased(),
            details: ["title": consultation.definition.title, "revision": String(consultation.revision)],
            service: ConsultationService.name, on: connection, logger: logger
        )
    }
}
