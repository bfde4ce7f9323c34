import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Storage

/// The orientation report of a process, recommendation by recommendation: staff write each one
/// citing contributions of the consultations of the process's phases, publish it (its people
/// told once, `recommendation.published`), say what the council made of it
/// (`recommendation.decided`) and follow its implementation milestones (`milestone.updated`).
/// Every change is audited and written with its event in one transaction; a refusal stores nothing.
struct RecommendationStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    static let notFound = RequestFailure(code: .notFound, message: "Cette recommandation n'existe pas.")

    func write(_ request: WriteRecommendation) async throws -> RecommendationView {
        let draft = request.draft
        if let problem = draft.problems.first { throw problem }
        return try await client.transaction(logger: logger) { connection in
            guard try await !connection.query("SELECT 1 FROM processes WHERE id = \(request.processID)", logger: logger).collect().isEmpty else {
                throw ProcessStore.notFound
            }
            try await Self.checkCitations(draft.contributionIDs, of: request.processID, on: connection, logger: logger)
            let taken = RequestFailure(
                code: .invalid, message: "Le rapport compte déjà une recommandation n° \(draft.number) : choisissez un autre numéro.", field: "number"
            )
            let id: UUID
            if let existing = request.recommendationID {
                let rows = try await connection.query(
                    "SELECT process_id, published_at IS NOT NULL FROM recommendations WHERE id = \(existing) FOR UPDATE", logger: logger
                )
                var found: (UUID, Bool)?
                for try await row in rows.decode((UUID, Bool).self) { found = row }
                guard let found, found.0 == request.processID else { throw Self.notFound }
                guard !found.1 else {
                    throw RequestFailure(code: .conflict, message: "Cette recommandation est publiée : son texte et ses citations ne changent plus.")
                }
                let clash = try await connection.query(
                    "SELECT 1 FROM recommendations WHERE process_id = \(request.processID) AND number = \(draft.number) AND id <> \(existing)", logger: logger
                ).collect()
                guard clash.isEmpty else { throw taken }
                try await connection.query(
                    "UPDATE recommendations SET number = \(draft.number), title = \(draft.title), body = \(draft.text) WHERE id = \(existing)", logger: logger
                )
                try await connection.query("DELETE FROM recommendation_citations WHERE recommendation_id = \(existing)", logger: logger)
                id = existing
            } else {
                id = UUID()
                // Two staff giving the same number at once: the unique key keeps one, the other is told.
                let inserted = try await connection.query(
                    """
                    INSERT INTO recommendations (id, process_id, number, title, body, created_by, created_by_name)
                    VALUES (\(id), \(request.processID), \(draft.number), \(draft.title), \(draft.text), \(request.staffID), \(request.staffName))
                    ON CONFLICT (process_id, number) DO NOTHING RETURNING id
                    """,
                    logger: logger
                ).collect()
                guard !inserted.isEmpty else { throw taken }
            }
            for (index, contribution) in draft.contributionIDs.enumerated() {
                try await connection.query(
                    "INSERT INTO recommendation_citations (recommendation_id, contribution_id, position) VALUES (\(id), \(contribution), \(index + 1))",
                    logger: logger
                )
            }
            try await StaffAudit.record(
                "recommendation.written", by: request.staffID, named: request.staffName, objectType: "recommendation",
                objectID: id.uuidString.lowercased(),
                details: ["number": String(draft.number), "title": draft.title, "contributions": String(draft.contributionIDs.count)],
                service: ConsultationService.name, on: connection, logger: logger
            )
            return try await Self.view(id, includeDraft: true, on: connection, logger: logger)
        }
    }

    /// Publishes once: the first time queues `recommendation.published` for the people of the
    /// contributions it cites; again, it changes nothing and tells nobody.
    func publish(_ request: PublishRecommendation) async throws -> RecommendationView {
        try await client.transaction(logger: logger) { connection in
            let published = try await connection.query(
                "UPDATE recommendations SET published_at = now() WHERE id = \(request.recommendationID) AND published_at IS NULL RETURNING published_at",
                logger: logger
            ).decode(Date.self).reduce(into: [Date]()) { $0.append($1) }
            let view = try await Self.view(request.recommendationID, includeDraft: true, on: connection, logger: logger)
            guard let publishedAt = published.first else { return view }
            try await Outbox.enqueue(
                RecommendationPublished(
                    recommendationID: view.id, processID: view.processID, processTitle: view.processTitle, number: view.number, title: view.title,
                    contributionIDs: view.contributions.map(\.contributionID),
                    recipientAccountIDs: try await Self.recipients(of: view.id, on: connection, logger: logger), publishedAt: publishedAt
                ),
                on: connection, logger: logger
            )
            try await StaffAudit.record(
                "recommendation.published", by: request.staffID, named: request.staffName, objectType: "recommendation",
                objectID: view.id.uuidString.lowercased(), details: ["number": String(view.number), "title": view.title],
                service: ConsultationService.name, on: connection, logger: logger
            )
            logger.info("recommendation published", metadata: ["recommendation_id": "\(view.id)", "contributions": "\(view.contributions.count)"])
            return view
        }
    }

    /// Records the council's decision on a published recommendation; the same decision again
    /// changes nothing and tells nobody.
    func decide(_ request: DecideRecommendation) async throws -> RecommendationView {
        if let problem = request.problem { throw problem }
        return try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT published_at IS NOT NULL, fate, fate_reason FROM recommendations WHERE id = \(request.recommendationID) FOR UPDATE",
                logger: logger
            )
            var found: (Bool, String?, String?)?
            for try await row in rows.decode((Bool, String?, String?).self) { found = row }
            guard let found else { throw Self.notFound }
            guard found.0 else {
                throw RequestFailure(
                    code: .conflict, message: "Publiez d'abord la recommandation : la décision porte sur le rapport rendu public.", field: "fate"
                )
            }
            let reason = request.givenReason
            if found.1 == request.fate.rawValue && found.2 == reason {
                return try await Self.view(request.recommendationID, includeDraft: true, on: connection, logger: logger)
            }
            try await connection.query(
                """
                UPDATE recommendations SET fate = \(request.fate.rawValue), fate_reason = \(reason), decided_at = now()
                WHERE id = \(request.recommendationID)
                """,
                logger: logger
            )
            let view = try await Self.view(request.recommendationID, includeDraft: true, on: connection, logger: logger)
            guard let decision = view.decision else { throw RequestFailure(code: .internal, message: "the decision was not stored") }
            try await Outbox.enqueue(
                RecommendationDecided(
                    recommendationID: view.id, processID: view.processID, processTitle: view.processTitle, number: view.number, title: view.title,
                    decision: decision, recipientAccountIDs: try await Self.recipients(of: view.id, on: connection, logger: logger)
                ),
                on: connection, logger: logger
            )
            try await StaffAudit.record(
                "recommendation.decided", by: request.staffID, named: request.staffName, objectType: "recommendation",
                objectID: view.id.uuidString.lowercased(), details: ["number": String(view.number), "fate": request.fate.rawValue],
                service: ConsultationService.name, on: connection, logger: logger
            )
            return view
        }
    }

    /// Adds or changes a milestone of an adopted (or modified) recommendation; one that moves is
    /// told once, one saved unchanged tells nobody.
    func saveMilestone(_ request: SaveMilestone) async throws -> RecommendationView {
        let draft = request.draft
        if let problem = draft.problems.first { throw problem }
        return try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT fate FROM recommendations WHERE id = \(request.recommendationID) FOR UPDATE", logger: logger
            )
            var found: String??
            for try await fate in rows.decode(String?.self) { found = .some(fate) }
            guard let fate = found else { throw Self.notFound }
            guard let decided = fate.flatMap(RecommendationFate.init(rawValue:)), decided.isImplemented else {
                throw RequestFailure(
                    code: .conflict,
                    message: "Seule une recommandation adoptée, telle quelle ou modifiée, reçoit des jalons de mise en œuvre : enregistrez d'abord la décision.",
                    field: "status"
                )
            }
            let milestoneID: UUID
            var previousProgress: Int?
            if let existing = request.milestoneID {
                let current = try await connection.query(
                    """
                    SELECT title, to_char(due_on, 'YYYY-MM-DD'), progress, status FROM recommendation_milestones
                    WHERE id = \(existing) AND recommendation_id = \(request.recommendationID) FOR UPDATE
                    """,
                    logger: logger
                )
                var before: (String, String, Int, String)?
                for try await row in current.decode((String, String, Int, String).self) { before = row }
                guard let before else { throw RequestFailure(code: .notFound, message: "Ce jalon n'existe pas.", field: "milestone") }
                if before == (draft.title, draft.dueOn, draft.progress, draft.status.rawValue) {
                    return try await Self.view(request.recommendationID, includeDraft: true, on: connection, logger: logger)
                }
                try await connection.query(
                    """
                    UPDATE recommendation_milestones SET title = \(draft.title), due_on = \(draft.dueOn)::date, progress = \(draft.progress),
                        status = \(draft.status.rawValue), updated_at = now()
                    WHERE id = \(existing)
                    """,
                    logger: logger
                )
                milestoneID = existing
                previousProgress = before.2
            } else {
                let count = try await connection.query(
                    "SELECT count(*)::integer FROM recommendation_milestones WHERE recommendation_id = \(request.recommendationID)", logger: logger
                ).decode(Int.self).reduce(into: 0) { $0 = $1 }
                guard count < SaveMilestone.maximumPerRecommendation else {
                    throw RequestFailure(code: .invalid, message: "Une recommandation compte au plus 30 jalons.", field: "title")
                }
                milestoneID = UUID()
                try await connection.query(
                    """
                    INSERT INTO recommendation_milestones (id, recommendation_id, title, due_on, progress, status)
                    VALUES (\(milestoneID), \(request.recommendationID), \(draft.title), \(draft.dueOn)::date, \(draft.progress), \(draft.status.rawValue))
                    """,
                    logger: logger
                )
            }
            let view = try await Self.view(request.recommendationID, includeDraft: true, on: connection, logger: logger)
            guard let milestone = view.milestones.first(where: { $0.id == milestoneID }) else {
                throw RequestFailure(code: .internal, message: "the milestone was not stored")
            }
            try await Outbox.enqueue(
                MilestoneUpdated(
                    recommendationID: view.id, processID: view.processID, processTitle: view.processTitle, number: view.number,
                    recommendationTitle: view.title, milestone: milestone, previousProgress: previousProgress,
                    recipientAccountIDs: try await Self.recipients(of: view.id, on: connection, logger: logger)
                ),
                on: connection, logger: logger
            )
            try await StaffAudit.record(
                "milestone.saved", by: request.staffID, named: request.staffName, objectType: "milestone", objectID: milestoneID.uuidString.lowercased(),
                details: ["recommendation": String(view.number), "title": milestone.title, "progress": String(milestone.progress)],
                service: ConsultationService.name, on: connection, logger: logger
            )
            return view
        }
    }

    func list(_ request: ListRecommendations) async throws -> RecommendationList {
        try await client.withConnection { connection in
            let titles = try await connection.query("SELECT title FROM processes WHERE id = \(request.processID)", logger: logger)
                .decode(String.self).reduce(into: [String]()) { $0.append($1) }
            guard let processTitle = titles.first else { throw ProcessStore.notFound }
            let ids = try await connection.query(
                """
                SELECT id FROM recommendations
                WHERE process_id = \(request.processID) AND (\(request.includeDrafts) OR published_at IS NOT NULL) ORDER BY number
                """,
                logger: logger
            ).decode(UUID.self).reduce(into: [UUID]()) { $0.append($1) }
            var items: [RecommendationView] = []
            for id in ids { items.append(try await Self.view(id, includeDraft: true, on: connection, logger: logger)) }
            return RecommendationList(processID: request.processID, processTitle: processTitle, items: items)
        }
    }

    func recommendation(_ request: GetRecommendation) async throws -> RecommendationView {
        try await client.withConnection { connection in
            try await Self.view(request.recommendationID, includeDraft: request.includeDraft, on: connection, logger: logger)
        }
    }

    /// The way back: the published recommendations citing a contribution.
    func citing(_ request: ListContributionRecommendations) async throws -> ContributionRecommendations {
        let rows = try await client.query(
            """
            SELECT r.id, r.process_id, p.title, r.number, r.title, r.fate
            FROM recommendation_citations rc
            JOIN recommendations r ON r.id = rc.recommendation_id
            JOIN processes p ON p.id = r.process_id
            WHERE rc.contribution_id = \(request.contributionID) AND r.published_at IS NOT NULL
            ORDER BY p.created_at, p.id, r.number
            """,
            logger: logger
        )
        var items: [RecommendationReference] = []
        for try await row in rows.decode((UUID, UUID, String, Int, String, String?).self) {
            items.append(RecommendationReference(
                recommendationID: row.0, processID: row.1, processTitle: row.2, number: row.3, title: row.4,
                fate: row.5.flatMap(RecommendationFate.init(rawValue:))
            ))
        }
        return ContributionRecommendations(contributionID: request.contributionID, items: items)
    }

    /// Each cited contribution exists, belongs to a consultation of one of the process's
    /// phases, and is published (shared lock: withdrawing it meanwhile waits for this write).
    static func checkCitations(_ ids: [UUID], of processID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        guard !ids.isEmpty else { return }
        let rows = try await connection.query(
            """
            SELECT c.id, c.title, c.visible AND c.withdrawn_at IS NULL,
                   EXISTS (SELECT 1 FROM process_phases f WHERE f.process_id = \(processID) AND f.consultation_id = c.consultation_id)
            FROM contributions c WHERE c.id = ANY(\(ids)) FOR SHARE OF c
            """,
            logger: logger
        )
        var found: [UUID: (title: String, shown: Bool, inProcess: Bool)] = [:]
        for try await row in rows.decode((UUID, String, Bool, Bool).self) { found[row.0] = (row.1, row.2, row.3) }
        for id in ids {
            guard let contribution = found[id] else {
                throw RequestFailure(code: .invalid, message: "Aucune contribution n'a l'identifiant \(id.uuidString.lowercased()).", field: "contributions")
            }
            guard contribution.inProcess else {
                throw RequestFailure(
                    code: .invalid,
                    message: "La contribution « \(contribution.title) » appartient à une consultation d'une autre démarche : une recommandation ne cite que les contributions des consultations de ses étapes.",
                    field: "contributions"
                )
            }
            guard contribution.shown else {
                throw RequestFailure(
                    code: .invalid,
                    message: "La contribution « \(contribution.title) » n'est pas publiée : une recommandation ne cite que des contributions publiques.",
                    field: "contributions"
                )
            }
        }
    }

    /// The people of the contributions a recommendation cites: their authors and current
    /// supporters, each once (withdrawn contributions left out).
    static func recipients(of id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [UUID] {
        try await connection.query(
            """
            SELECT c.author_account_id FROM recommendation_citations rc JOIN contributions c ON c.id = rc.contribution_id
            WHERE rc.recommendation_id = \(id) AND c.withdrawn_at IS NULL AND c.author_account_id IS NOT NULL
            UNION
            SELECT s.account_id FROM recommendation_citations rc
            JOIN contributions c ON c.id = rc.contribution_id
            JOIN contribution_supports s ON s.contribution_id = rc.contribution_id
            WHERE rc.recommendation_id = \(id) AND c.withdrawn_at IS NULL AND s.withdrawn_at IS NULL
            ORDER BY 1
            """,
            logger: logger
        ).decode(UUID.self).reduce(into: [UUID]()) { $0.append($1) }
    }

    static func view(_ id: UUID, includeDraft: Bool, on connection: PostgresConnection, logger: Logger) async throws -> RecommendationView {
        let rows = try await connection.query(
            """
            SELECT r.id, r.process_id, p.title, r.number, r.title, r.body, r.published_at, r.fate, r.fate_reason, r.decided_at
            FROM recommendations r JOIN processes p ON p.id = r.process_id
            WHERE r.id = \(id) AND (\(includeDraft) OR r.published_at IS NOT NULL)
            """,
            logger: logger
        )
        var found: (UUID, UUID, String, Int, String, String, Date?, String?, String?, Date?)?
        for try await row in rows.decode((UUID, UUID, String, Int, String, String, Date?, String?, String?, Date?).self) { found = row }
        guard let found else { throw notFound }
        let citations = try await connection.query(
            """
            SELECT c.id, c.consultation_id, c.kind, c.title, c.author_name
            FROM recommendation_citations rc JOIN contributions c ON c.id = rc.contribution_id
            WHERE rc.recommendation_id = \(id) AND c.visible AND c.withdrawn_at IS NULL
            ORDER BY rc.position
            """,
            logger: logger
        )
        var contributions: [CitedContribution] = []
        for try await row in citations.decode((UUID, UUID, String, String, String?).self) {
            guard let kind = ContributionKind(rawValue: row.2) else { continue }
            contributions.append(CitedContribution(contributionID: row.0, consultationID: row.1, kind: kind, title: row.3, authorName: row.4))
        }
        let milestoneRows = try await connection.query(
            """
            SELECT id, title, to_char(due_on, 'YYYY-MM-DD'), progress, status, updated_at FROM recommendation_milestones
            WHERE recommendation_id = \(id) ORDER BY due_on, created_at, id
            """,
            logger: logger
        )
        var milestones: [MilestoneView] = []
        for try await row in milestoneRows.decode((UUID, String, String, Int, String, Date).self) {
            milestones.append(MilestoneView(
                id: row.0, title: row.1, dueOn: row.2, progress: row.3, status: MilestoneStatus(rawValue: row.4) ?? .planned, updatedAt: row.5
            ))
        }
        let decision = found.7.flatMap(RecommendationFate.init(rawValue:)).flatMap { fate in
            found.9.map { RecommendationDecision(fate: fate, reason: found.8, decidedAt: $0) }
        }
        return RecommendationView(
            id: found.0, processID: found.1, processTitle: found.2, number: found.3, title: found.4, text: found.5, publishedAt: found.6,
            contributions: contributions, decision: decision, milestones: milestones
        )
    }
}
