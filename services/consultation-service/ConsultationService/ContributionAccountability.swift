public import DialogueContracts
public import Foundation
public import Logging
public import PostgresNIO
import ServiceKit
import Storage

/// Accountability (*redevabilité*): staff say what became of contributions — one or a
/// selection at a time — each change audited and told to the author and the supporters
/// (`contribution.status_changed`, once per change); the public balance sheet of a
/// consultation, counted from the data; one published contribution, for its own page.
public struct ContributionAccountability: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func answer(_ request: AnswerContributions, now: Date = Date()) async throws -> AnswerOutcome {
        let ids = Array(Set(request.contributionIDs))
        guard AnswerContributions.selectionSize.contains(ids.count) else {
            throw RequestFailure(
                code: .invalid,
                message: ids.isEmpty ? "Choisissez au moins une contribution." : "Choisissez au plus 200 contributions à la fois.",
                field: "contributions"
            )
        }
        if let problem = request.answer.problems.first { throw problem }
        let stamped = ContributionAnswer(
            status: request.answer.status, text: request.answer.text, reason: request.answer.reason, reportURL: request.answer.reportURL,
            answeredAt: now
        )
        let document = String(decoding: try MessageCoding.encode(stamped), as: UTF8.self)
        return try await client.transaction(logger: logger) { connection in
            // Locked in one order, so two staff answering overlapping selections take turns.
            let rows = try await connection.query(
                """
                SELECT id, consultation_id, kind, theme, title, author_account_id, answer_status, answer::text, withdrawn_at IS NOT NULL
                FROM contributions WHERE id = ANY(\(ids)) ORDER BY id FOR UPDATE
                """,
                logger: logger
            )
            var current: [(id: UUID, kind: String, theme: String, title: String, author: UUID?, answer: ContributionAnswer)] = []
            for try await row in rows.decode((UUID, UUID, String, String, String, UUID?, String, String?, Bool).self) {
                guard row.1 == request.consultationID else { continue }
                guard !row.8 else {
                    throw RequestFailure(
                        code: .conflict, message: "Son auteur a retiré la contribution « \(row.4) » : elle ne reçoit plus de réponse.",
                        field: "contributions"
                    )
                }
                let answer = try row.7.map { try MessageCoding.decode(ContributionAnswer.self, from: Array($0.utf8)) }
                    ?? ContributionAnswer(status: ContributionAnswerStatus(rawValue: row.6) ?? .received)
                current.append((row.0, row.2, row.3, row.4, row.5, answer))
            }
            guard current.count == ids.count else {
                throw RequestFailure(code: .notFound, message: "Une des contributions choisies n'existe pas dans cette consultation.", field: "contributions")
            }
            var outcome = AnswerOutcome(changed: [], unchanged: [])
            for contribution in current {
                guard !contribution.answer.saysTheSame(as: stamped) else {
                    outcome.unchanged.append(contribution.id)
                    continue
                }
                try await connection.query(
                    """
                    UPDATE contributions SET answer_status = \(stamped.status.rawValue), answer = \(document)::jsonb,
                        first_answered_at = coalesce(first_answered_at, \(now))
                    WHERE id = \(contribution.id)
                    """,
                    logger: logger
                )
                let supporters = try await connection.query(
                    "SELECT account_id FROM contribution_supports WHERE contribution_id = \(contribution.id) AND withdrawn_at IS NULL ORDER BY supported_at",
                    logger: logger
                ).decode(UUID.self).reduce(into: [UUID]()) { $0.append($1) }
                guard let kind = ContributionKind(rawValue: contribution.kind) else {
                    throw RequestFailure(code: .internal, message: "contribution \(contribution.id) has an unknown kind")
                }
                try await Outbox.enqueue(
                    ContributionStatusChanged(
                        contributionID: contribution.id, consultationID: request.consultationID, kind: kind, theme: contribution.theme,
                        title: contribution.title, from: contribution.answer.status, answer: stamped, authorAccountID: contribution.author,
                        supporterAccountIDs: supporters, changedAt: now
                    ),
                    on: connection, logger: logger
                )
                try await StaffAudit.record(
                    "contribution.answered", by: request.staffID, named: request.staffName, objectType: "contribution",
                    objectID: contribution.id.uuidString.lowercased(),
                    details: ["title": contribution.title, "from": contribution.answer.status.rawValue, "to": stamped.status.rawValue],
                    service: ConsultationService.name, on: connection, logger: logger
                )
                outcome.changed.append(contribution.id)
            }
            logger.info("contributions answered", metadata: ["changed": "\(outcome.changed.count)", "status": "\(stamped.status.rawValue)"])
            return outcome
        }
    }

    /// A published contribution, not withdrawn; anything else is « not found ».
    public func contribution(_ request: GetContribution) async throws -> ContributionView {
        let rows = try await client.query(
            """
            SELECT \(unescaped: ContributionStore.columns),
                EXISTS (SELECT 1 FROM contribution_supports s
                        WHERE s.contribution_id = contributions.id AND s.account_id = \(request.viewerAccountID) AND s.withdrawn_at IS NULL)
            FROM contributions WHERE id = \(request.contributionID) AND visible AND withdrawn_at IS NULL
            """,
            logger: logger
        )
        for try await row in rows.decode(
            (UUID, UUID, String, String, String, String, String?, String?, String?, Bool, String, Date, Date?, Int, Date?, String?, Bool, String?,
             String?, Int, String?, Bool).self
        ) {
            var view = try ContributionStore.view((
                row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11, row.12, row.13, row.14, row.15, row.16, row.17,
                row.18, row.19, row.20
            ))
            view.supportedByViewer = row.21
            return view
        }
        throw RequestFailure(code: .notFound, message: "Cette contribution n'existe pas.")
    }

    /// Whether a contribution counts as answered (SQL over `contributions`): staff moved its
    /// status on from « reçue », or wrote a public answer. The balance sheet and a process's
    /// indicators count the same way.
    static let answeredCondition = "(answer_status <> 'received' OR answer->>'text' IS NOT NULL)"

    public func balanceSheet(_ request: GetBalanceSheet) async throws -> ConsultationBalanceSheet {
        let consultation = try await client.withConnection { connection in
            try await ContributionAuthoring.definition(request.consultationID, on: connection, logger: logger)
        }
        typealias Figures = ConsultationBalanceSheet.Figures
        func adding(_ figures: inout Figures, count: Int, published: Bool, answered: Bool, retained: Bool) {
            figures.collected += count
            if published { figures.published += count }
            if answered { figures.answered += count }
            if retained { figures.retained += count }
        }
        let zero = Figures(collected: 0, published: 0, answered: 0, retained: 0)
        var (total, testimonies, proposals, online, inPerson) = (zero, zero, zero, zero, zero)
        var byTheme: [String: Figures] = [:]
        var byStatus: [ContributionAnswerStatus: Int] = [:]
        let groups = try await client.query(
            """
            SELECT kind, origin, theme, visible, answer_status, \(unescaped: Self.answeredCondition), count(*)::integer
            FROM contributions WHERE consultation_id = \(request.consultationID) AND withdrawn_at IS NULL
            GROUP BY 1, 2, 3, 4, 5, 6
            """,
            logger: logger
        )
        for try await (kind, origin, theme, visible, statusText, answered, count) in groups.decode((String, String, String, Bool, String, Bool, Int).self) {
            let status = ContributionAnswerStatus(rawValue: statusText) ?? .received
            let retained = status.countsAsRetained
            adding(&total, count: count, published: visible, answered: answered, retained: retained)
            if kind == ContributionKind.testimony.rawValue {
                adding(&testimonies, count: count, published: visible, answered: answered, retained: retained)
            } else {
                adding(&proposals, count: count, published: visible, answered: answered, retained: retained)
            }
            if origin == ContributionOrigin.inPerson.rawValue {
                adding(&inPerson, count: count, published: visible, answered: answered, retained: retained)
            } else {
                adding(&online, count: count, published: visible, answered: answered, retained: retained)
            }
            adding(&byTheme[theme, default: zero], count: count, published: visible, answered: answered, retained: retained)
            byStatus[status, default: 0] += count
        }
        let median = try await client.query(
            """
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_answered_at - created_at)) / 86400
            FROM contributions
            WHERE consultation_id = \(request.consultationID) AND withdrawn_at IS NULL AND first_answered_at IS NOT NULL
            """,
            logger: logger
        ).decode(Double?.self).reduce(into: Double?.none) { $0 = $1 }
        let reports = try await client.query(
            """
            SELECT id, title, answer->>'reportURL' FROM contributions
            WHERE consultation_id = \(request.consultationID) AND withdrawn_at IS NULL AND visible AND answer_status = 'in_report'
            ORDER BY first_answered_at, id
            """,
            logger: logger
        ).decode((UUID, String, String).self).reduce(into: [ConsultationBalanceSheet.Report]()) {
            $0.append(ConsultationBalanceSheet.Report(contributionID: $1.0, title: $1.1, reportURL: $1.2))
        }
        return ConsultationBalanceSheet(
            consultationID: request.consultationID, total: total, testimonies: testimonies, proposals: proposals, online: online, inPerson: inPerson,
            themes: consultation.themes.map { ConsultationBalanceSheet.ThemeFigures(theme: $0.code, figures: byTheme[$0.code] ?? zero) },
            statuses: ContributionAnswerStatus.allCases.map { ConsultationBalanceSheet.StatusCount(status: $0, count: byStatus[$0] ?? 0) },
            medianDaysToAnswer: median, reports: reports
        )
    }
}
