public import DialogueContracts
public import Foundation
public import Logging
public import PostgresNIO
import ServiceKit
import Storage
import SurveyRules

/// Reads and writes survey definitions in the `surveys` schema.
///
/// Every definition is checked by `SurveyRules` before it is written, so a refused one leaves
/// nothing behind; a change and its event commit together.
public struct SurveyStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func create(_ request: CreateSurvey) async throws -> SurveyView {
        let definition = Self.tidied(request.definition)
        if let problem = SurveyDefinitionCheck.problems(in: definition).first { throw problem.failure }
        let id = UUID()
        let document = try Self.document(definition)
        return try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO surveys (id, title, definition, opens_at, closes_at, consultation_id, question_count, created_by, created_by_name, updated_by_name)
                VALUES (\(id), \(definition.title), \(document)::jsonb, \(definition.opensAt), \(definition.closesAt), \(definition.consultationID),
                        \(Self.questionCount(definition)), \(request.staffID), \(request.staffName), \(request.staffName))
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let created = try await Self.first(rows) else { throw RequestFailure(code: .internal, message: "the survey was not stored") }
            try await Self.audit("survey.created", created, by: request.staffID, named: request.staffName, on: connection, logger: logger)
            return created
        }
    }

    /// The staff action's entry in `staff_audit`, in the action's transaction.
    static func audit(
        _ action: String, _ survey: SurveyView, by staffID: UUID, named staffName: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await StaffAudit.record(
            action, by: staffID, named: staffName, objectType: "survey", objectID: survey.id.uuidString.lowercased(),
            details: ["title": survey.definition.title, "revision": String(survey.revision)],
            service: SurveyService.name, on: connection, logger: logger
        )
    }

    /// A draft takes any valid definition; an open survey only the changes `SurveyChangeCheck`
    /// allows, and stays publishable; a closed one none. An update made from an older revision
    /// is refused, so two editors never overwrite each other unknowingly.
    public func update(_ request: UpdateSurvey) async throws -> SurveyView {
        let definition = Self.tidied(request.definition)
        let document = try Self.document(definition)
        return try await client.transaction(logger: logger) { connection in
            let current = try await Self.locked(request.surveyID, on: connection, logger: logger)
            guard current.revision == request.revision else {
                throw RequestFailure(
                    code: .conflict, message: "Cette enquête a été modifiée entre-temps (version \(current.revision)) : rechargez-la avant de l'enregistrer.",
                    field: "revision"
                )
            }
            switch current.status {
            case .draft:
                if let problem = SurveyDefinitionCheck.problems(in: definition).first { throw problem.failure }
            case .open:
                if let problem = SurveyDefinitionCheck.publicationProblems(in: definition).first { throw problem.failure }
                if let problem = SurveyChangeCheck.problems(from: current.definition, to: definition).first {
                    throw RequestFailure(code: .conflict, message: problem.message, field: problem.field)
                }
            case .closed:
                throw RequestFailure(code: .conflict, message: "Cette enquête est close : elle ne peut plus être modifiée.")
            }
            let rows = try await connection.query(
                """
                UPDATE surveys SET title = \(definition.title), definition = \(document)::jsonb, opens_at = \(definition.opensAt),
                    closes_at = \(definition.closesAt), consultation_id = \(definition.consultationID),
                    question_count = \(Self.questionCount(definition)), revision = revision + 1, updated_at = now(),
                    updated_by_name = \(request.staffName)
                WHERE id = \(request.surveyID)
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let updated = try await Self.first(rows) else { throw RequestFailure(code: .internal, message: "the survey was not updated") }
            try await Self.audit("survey.updated", updated, by: request.staffID, named: request.staffName, on: connection, logger: logger)
            return updated
        }
    }

    /// Opens a complete, valid draft and queues `survey.published` in the same transaction.
    public func publish(_ request: PublishSurvey) async throws -> SurveyView {
        try await client.transaction(logger: logger) { connection in
            let current = try await Self.locked(request.surveyID, on: connection, logger: logger)
            guard current.status == .draft else {
                throw RequestFailure(code: .conflict, message: "Cette enquête est déjà publiée.")
            }
            if let problem = SurveyDefinitionCheck.publicationProblems(in: current.definition).first { throw problem.failure }
            let rows = try await connection.query(
                """
                UPDATE surveys SET status = \(SurveyStatus.open.rawValue), published_at = now(), updated_at = now(),
                    updated_by_name = \(request.staffName)
                WHERE id = \(request.surveyID)
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let published = try await Self.first(rows), let opensAt = published.definition.opensAt,
                let closesAt = published.definition.closesAt, let publishedAt = published.publishedAt
            else { throw RequestFailure(code: .internal, message: "the survey was not published") }
            let definition = published.definition
            try await Outbox.enqueue(
                SurveyPublished(
                    surveyID: published.id, title: definition.title, opensAt: opensAt, closesAt: closesAt, audience: definition.audience,
                    resultsVisibility: definition.resultsVisibility, consultationID: definition.consultationID, publishedAt: publishedAt
                ),
                on: connection, logger: logger
            )
            try await Self.audit("survey.published", published, by: request.staffID, named: request.staffName, on: connection, logger: logger)
            logger.info("survey published", metadata: ["survey_id": "\(published.id)"])
            return published
        }
    }

    /// Closes the open surveys whose closing date has passed, each with its `survey.closed` in
    /// the same transaction; returns how many. Replicas running the job at once close each
    /// survey once: the update takes the rows it changes.
    @discardableResult
    public func closeEnded() async throws -> Int {
        let closed = try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE surveys SET status = \(SurveyStatus.closed.rawValue), updated_at = now()
                WHERE status = \(SurveyStatus.open.rawValue) AND closes_at <= now()
                RETURNING id, title, definition ->> 'resultsVisibility', updated_at
                """,
                logger: logger
            )
            var events: [SurveyClosed] = []
            for try await (id, title, visibility, closedAt) in rows.decode((UUID, String, String?, Date).self) {
                events.append(SurveyClosed(
                    surveyID: id, title: title, resultsVisibility: visibility.flatMap(SurveyResultsVisibility.init(rawValue:)) ?? .afterClosing,
                    closedAt: closedAt
                ))
            }
            try await Outbox.enqueue(all: events, on: connection, logger: logger)
            return events.count
        }
        if closed > 0 { logger.info("surveys closed at their closing date", metadata: ["count": "\(closed)"]) }
        return closed
    }

    public func survey(_ id: UUID) async throws -> SurveyView {
        let rows = try await client.query("SELECT \(unescaped: Self.columns) FROM surveys WHERE id = \(id)", logger: logger)
        guard let survey = try await Self.first(rows) else { throw Self.notFound }
        return survey
    }

    /// Newest change first.
    public func list(_ request: ListSurveys) async throws -> SurveyList {
        let limit = min(max(request.limit, 1), 100)
        let offset = max(request.offset, 0)
        let status = request.status?.rawValue
        let rows = try await client.query(
            """
            SELECT id, title, status, opens_at, closes_at, question_count, updated_at, definition ->> 'resultsVisibility', count(*) OVER ()
            FROM surveys WHERE \(status)::text IS NULL OR status = \(status)
            ORDER BY updated_at DESC, id LIMIT \(limit) OFFSET \(offset)
            """,
            logger: logger
        )
        var items: [SurveySummary] = []
        var total = 0
        for try await (id, title, status, opensAt, closesAt, questions, updatedAt, visibility, count) in rows.decode(
            (UUID, String, String, Date?, Date?, Int, Date, String?, Int).self
        ) {
            items.append(SurveySummary(
                id: id, title: title, status: SurveyStatus(rawValue: status) ?? .draft, opensAt: opensAt, closesAt: closesAt,
                questionCount: questions, updatedAt: updatedAt, resultsVisibility: visibility.flatMap(SurveyResultsVisibility.init(rawValue:))
            ))
            total = count
        }
        if items.isEmpty && offset > 0 {
            total = try await client.query("SELECT count(*) FROM surveys WHERE \(status)::text IS NULL OR status = \(status)", logger: logger)
                .decode(Int.self).reduce(0) { $0 + $1 }
        }
        return SurveyList(items: items, total: total)
    }
}

extension SurveyStore {
    static let notFound = RequestFailure(code: .notFound, message: "Cette enquête n'existe pas.")

    static let columns = "id, status, revision, definition::text, created_at, updated_at, published_at"

    /// The text fields trimmed, as they are stored and shown.
    static func tidied(_ definition: SurveyDefinition) -> SurveyDefinition {
        var definition = definition
        definition.title = definition.title.trimmingCharacters(in: .whitespacesAndNewlines)
        definition.purpose = definition.purpose.trimmingCharacters(in: .whitespacesAndNewlines)
        definition.introduction = definition.introduction.trimmingCharacters(in: .whitespacesAndNewlines)
        return definition
    }

    static func questionCount(_ definition: SurveyDefinition) -> Int {
        definition.orderedQuestions.count { $0.question.kind.takesAnswer }
    }

    static func document(_ definition: SurveyDefinition) throws -> String {
        String(decoding: try MessageCoding.encode(definition), as: UTF8.self)
    }

    /// The survey, locked for the rest of the transaction: changes to one survey take turns.
    static func locked(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> SurveyView {
        let rows = try await connection.query("SELECT \(unescaped: columns) FROM surveys WHERE id = \(id) FOR UPDATE", logger: logger)
        guard let survey = try await first(rows) else { throw notFound }
        return survey
    }

    static func first(_ rows: PostgresRowSequence) async throws -> SurveyView? {
        var found: SurveyView?
        for try await (id, status, revision, document, createdAt, updatedAt, publishedAt) in rows.decode(
            (UUID, String, Int, String, Date, Date, Date?).self
        ) where found == nil {
            guard let status = SurveyStatus(rawValue: status) else {
                throw RequestFailure(code: .internal, message: "survey \(id) has an unknown status \(status)")
            }
            let definition = try MessageCoding.decode(SurveyDefinition.self, from: Array(document.utf8))
            found = SurveyView(
                id: id, status: status, revision: revision, definition: definition, createdAt: createdAt, updatedAt: updatedAt, publishedAt: publishedAt
            )
        }
        return found
    }
}
