public import DialogueContracts
public import Foundation
import ServiceKit
public import Logging
public import PostgresNIO
import Storage

/// The staff steps after the threshold: refer to the assembly, publish its answer, close.
///
/// Each step is one transaction: the petition is locked, its status checked against
/// `PetitionStaffAction`, changed (the `status_changes` trigger records the history row
/// with the staff member and note given here), and `petition.status_changed` goes to the outbox.
public struct PetitionLifecycleStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func refer(_ request: ReferPetition) async throws -> PetitionLifecycleView {
        try await change(request.petitionID, by: .refer, staffID: request.staffID, staffName: request.staffName, note: request.note, answer: nil)
        return try await view(request.petitionID)
    }

    public func answer(_ request: AnswerPetition) async throws -> PetitionLifecycleView {
        let text = request.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard PetitionLifecycleLimits.answerText.contains(text.count) else {
            throw RequestFailure(code: .invalid, message: "Le texte de la réponse doit compter entre 10 et 20 000 caractères.", field: "text")
        }
        let link = request.reportURL?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let link, !PetitionLifecycleLimits.isReportURL(link) {
            throw RequestFailure(
                code: .invalid, message: "Le lien vers le rapport doit être une adresse web complète (https://…), de 2 000 caractères au plus.",
                field: "report_url"
            )
        }
        let answer = PetitionAnswer(decision: request.decision, text: text, reportURL: link, answeredAt: Date())
        try await change(request.petitionID, by: .answer, staffID: request.staffID, staffName: request.staffName, note: nil, answer: answer)
        return try await view(request.petitionID)
    }

    public func close(_ request: ClosePetition) async throws -> PetitionLifecycleView {
        try await change(request.petitionID, by: .close, staffID: request.staffID, staffName: request.staffName, note: request.reason, answer: nil)
        return try await view(request.petitionID)
    }

    private static func note(_ text: String?, field: String, required: Bool) throws -> String? {
        let note = text?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if required, !PetitionLifecycleLimits.closingReason.contains(note?.count ?? 0) {
            throw RequestFailure(
                code: .invalid, message: "Indiquez le motif de la clôture anticipée (de 10 à 2 000 caractères) : il sera communiqué à l'auteur.",
                field: field
            )
        }
        guard PetitionLifecycleLimits.note.contains(note?.count ?? 0) else {
            throw RequestFailure(code: .invalid, message: "La note compte 2 000 caractères au plus.", field: field)
        }
        return note
    }

    /// Why an action is refused from the petition's current status.
    static func refusal(_ action: PetitionStaffAction) -> String {
        switch action {
        case .refer: "Seule une pétition qui a atteint son seuil de saisine peut être transmise à l'assemblée."
        case .answer: "La réponse de l'assemblée ne peut être publiée que pour une pétition transmise à l'assemblée et encore sans réponse."
        case .close:
            "Seule une pétition ouverte (clôture anticipée, avec un motif) ou à laquelle l'assemblée a répondu peut être close. "
                + "Une pétition qui a atteint son seuil doit d'abord être transmise à l'assemblée."
        }
    }

    private func change(
        _ petitionID: UUID, by action: PetitionStaffAction, staffID: UUID, staffName: String, note: String?, answer: PetitionAnswer?
    ) async throws {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT status, title, author_account_id FROM petitions WHERE id = \(petitionID) FOR UPDATE", logger: logger
            )
            var found: (status: PetitionStatus, title: String, author: UUID?)?
            for try await row in rows.decode((PetitionStatus, String, UUID?).self) { found = row }
            guard let found else { throw RequestFailure(code: .notFound, message: "Cette pétition n'existe pas.") }
            guard action.fromStatuses.contains(found.status) else {
                throw RequestFailure(code: .conflict, message: Self.refusal(action))
            }
            let note = try Self.note(
                note, field: action == .close ? "reason" : "note",
                required: action == .close && PetitionStaffAction.closingNeedsReason(from: found.status)
            )
            // Read by the history trigger, for this transaction only.
            try await connection.query(
                """
                SELECT set_config('dialogue.actor_id', \(staffID.uuidString), true), set_config('dialogue.actor_name', \(staffName), true),
                       set_config('dialogue.transition_note', \(note ?? ""), true)
                """,
                logger: logger
            )
            let updated = try await connection.query(
                """
                UPDATE petitions SET
                    status = \(action.toStatus),
                    referred_at = CASE WHEN \(action == .refer) THEN now() ELSE referred_at END,
                    answer_decision = CASE WHEN \(answer != nil) THEN \(answer?.decision.rawValue) ELSE answer_decision END,
                    answer_text = CASE WHEN \(answer != nil) THEN \(answer?.text) ELSE answer_text END,
                    answer_report_url = CASE WHEN \(answer != nil) THEN \(answer?.reportURL) ELSE answer_report_url END,
                    answered_at = CASE WHEN \(answer != nil) THEN now() ELSE answered_at END,
                    closed_at = CASE WHEN \(action == .close) THEN now() ELSE closed_at END,
                    closing_reason = CASE WHEN \(action == .close) THEN \(note) ELSE closing_reason END
                WHERE id = \(petitionID)
                RETURNING now()
                """,
                logger: logger
            )
            var changedAt = Date()
            for try await at in updated.decode(Date.self) { changedAt = at }
            var told = answer
            told?.answeredAt = changedAt
            try await Outbox.enqueue(
                PetitionStatusChanged(
                    petitionID: petitionID, title: found.title, from: found.status, to: action.toStatus, authorAccountID: found.author,
                    note: note, answer: told, changedAt: changedAt
                ),
                on: connection, logger: logger
            )
            var details: [String: String] = [:]
            details[action == .close ? "reason" : "note"] = note
            details["decision"] = answer?.decision.rawValue
            details["report_url"] = answer?.reportURL
            try await StaffAudit.record(
                "petition.\(action.toStatus.rawValue)", by: staffID, named: staffName,
                objectType: "petition", objectID: petitionID.uuidString.lowercased(), details: details,
                service: PetitionsService.name, on: connection, logger: logger
            )
        }
        logger.info("petition status changed", metadata: ["petition": "\(petitionID)", "action": "\(action.rawValue)"])
    }

    /// The lifecycle as staff see it, history oldest first.
    public func view(_ petitionID: UUID) async throws -> PetitionLifecycleView {
        let rows = try await client.query(
            """
            SELECT status, referred_at, answer_decision, answer_text, answer_report_url, answered_at, closed_at, closing_reason
            FROM petitions WHERE id = \(petitionID)
            """,
            logger: logger
        )
        for try await row in rows.decode((PetitionStatus, Date?, String?, String?, String?, Date?, Date?, String?).self) {
            let history = try await client.query(
                """
                SELECT from_status, to_status, changed_by_name, note, changed_at FROM status_changes
                WHERE petition_id = \(petitionID) ORDER BY id
                """,
                logger: logger
            )
            var changes: [PetitionStatusChange] = []
            for try await change in history.decode((PetitionStatus, PetitionStatus, String?, String?, Date).self) {
                changes.append(PetitionStatusChange(from: change.0, to: change.1, byName: change.2, note: change.3, at: change.4))
            }
            return PetitionLifecycleView(
                petitionID: petitionID, status: row.0, referredAt: row.1, answer: Self.answer(row.2, row.3, row.4, row.5),
                closedAt: row.6, closingReason: row.7, history: changes
            )
        }
        throw RequestFailure(code: .notFound, message: "Cette pétition n'existe pas.")
    }

    /// The public part of the lifecycle: the referral date and the answer.
    func publicFacts(of petitionID: UUID) async throws -> (referredAt: Date?, answer: PetitionAnswer?) {
        let rows = try await client.query(
            "SELECT referred_at, answer_decision, answer_text, answer_report_url, answered_at FROM petitions WHERE id = \(petitionID)",
            logger: logger
        )
        for try await row in rows.decode((Date?, String?, String?, String?, Date?).self) {
            return (row.0, Self.answer(row.1, row.2, row.3, row.4))
        }
        return (nil, nil)
    }

    private static func answer(_ decision: String?, _ text: String?, _ reportURL: String?, _ answeredAt: Date?) -> PetitionAnswer? {
        guard let decision = decision.flatMap(PetitionDecision.init(rawValue:)), let text, let answeredAt else { return nil }
        return PetitionAnswer(decision: decision, text: text, reportURL: reportURL, answeredAt: answeredAt)
    }

    /// Closes the open petitions whose collection ended, recorded (by the history trigger)
    /// and told to their authors like a staff step; returns how many.
    static func closeEnded(on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(
            """
            UPDATE petitions SET status = \(PetitionStatus.closed), closed_at = now()
            WHERE status = \(PetitionStatus.open) AND closes_at <= now()
            RETURNING id, title, author_account_id, now()
            """,
            logger: logger
        )
        var events: [PetitionStatusChanged] = []
        for try await (id, title, author, at) in rows.decode((UUID, String, UUID?, Date).self) {
            events.append(PetitionStatusChanged(
                petitionID: id, title: title, from: PetitionStatus.open, to: PetitionStatus.closed, authorAccountID: author, note: nil,
                answer: nil, changedAt: at
            ))
        }
        try await Outbox.enqueue(all: events, on: connection, logger: logger)
        return events.count
    }
}

/// Tells the signatories who asked for it that the assembly answered (*redevabilité*).
///
/// A chunk of signatures per transaction: marked as told and one
/// `petition.signatory_notice_requested` each in the outbox, together. A petition with
/// 100,000 signatories never builds one huge transaction, a stopped job resumes with the
/// signatures not yet marked, and replicas skip each other's rows. Only confirmed, valid
/// signatures count; an address emptied by an account's erasure is marked and skipped.
public struct SignatoryAnswerNotices: Sendable {
    public static let chunkSize = 500

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Runs chunks until none is left; returns how many notices were queued.
    @discardableResult
    public func run(chunkSize: Int = SignatoryAnswerNotices.chunkSize) async throws -> Int {
        var queued = 0
        while true {
            let (marked, notices) = try await nextChunk(limit: chunkSize)
            queued += notices
            if marked < chunkSize { break }
        }
        if queued > 0 { logger.info("answer notices queued for signatories", metadata: ["count": "\(queued)"]) }
        return queued
    }

    /// One chunk: returns the signatures marked and the notices queued (fewer when some
    /// addresses were erased).
    public func nextChunk(limit: Int) async throws -> (marked: Int, notices: Int) {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                WITH chunk AS (
                    SELECT s.id FROM petitions p JOIN signatures s ON s.petition_id = p.id
                    WHERE p.answered_at IS NOT NULL
                      AND s.wants_answer AND s.answer_notified_at IS NULL AND s.confirmed_at IS NOT NULL AND s.invalidated_at IS NULL
                    ORDER BY s.petition_id, s.id
                    LIMIT \(limit)
                    FOR UPDATE OF s SKIP LOCKED
                )
                UPDATE signatures s SET answer_notified_at = now()
                FROM chunk, petitions p
                WHERE s.id = chunk.id AND p.id = s.petition_id
                RETURNING s.id, s.petition_id, s.email, s.name, s.account_id, p.title, p.answer_decision
                """,
                logger: logger
            )
            var marked = 0
            var notices: [PetitionSignatoryNoticeRequested] = []
            for try await row in rows.decode((UUID, UUID, String, String, UUID?, String, String).self) {
                marked += 1
                guard !row.2.isEmpty, let decision = PetitionDecision(rawValue: row.6) else { continue }
                notices.append(PetitionSignatoryNoticeRequested(
                    petitionID: row.1, signatureID: row.0, email: row.2, name: row.3, accountID: row.4, title: row.5, decision: decision,
                    publicPath: SitePath.petition(row.1).path
                ))
            }
            try await Outbox.enqueue(all: notices, on: connection, logger: logger)
            return (marked, notices.count)
        }
    }
}
