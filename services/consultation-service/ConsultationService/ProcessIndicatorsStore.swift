import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Storage

/// A process's follow-up indicators (seed 003), counted from this schema in one snapshot: who
/// took part in which phase, where from and how old when known, the contributions by origin and
/// what became of them, attendance at the workshops held, and what the orientation report drew
/// on and how far its adopted recommendations got.
struct ProcessIndicatorsStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    func indicators(_ request: GetProcessIndicators, now: Date = Date()) async throws -> ProcessIndicators {
        let exact = try await client.transaction(logger: logger) { connection in
            // Every figure from the same snapshot, so that the tables agree with each other.
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            let process = try await ProcessStore.process(request.processID, on: connection, logger: logger)
            let (participants, byPhase, people) = try await participation(process, on: connection)
            return ProcessIndicators(
                processID: process.id, processTitle: process.title, audience: request.audience, computedAt: now, participants: participants,
                byPhase: byPhase, byDepartement: people.departements, byArrondissement: people.arrondissements, byAgeBand: people.ageBands,
                contributions: try await contributions(of: process.id, on: connection),
                workshops: try await workshops(of: process.id, endedBy: now, on: connection),
                recommendations: try await recommendations(of: process.id, includeDrafts: request.audience == .staff, on: connection)
            )
        }
        return request.audience == .staff ? exact : exact.protectingSmallNumbers()
    }

    /// The people of the breakdowns, each once.
    struct People {
        var departements: [PeopleCell] = []
        var arrondissements: [PeopleCell] = []
        var ageBands: [PeopleCell] = []
    }

    /// Who took part: an account is one person whatever they did (wrote, supported, registered
    /// with it); a registration without an account is the person of its address; a
    /// contribution gathered in person, with no account to recognise its author by, counts as
    /// one person of its own. Paper supports are counts without people: they are not here.
    /// Withdrawn contributions and supports, cancelled registrations and workshops called off
    /// are not taking part.
    private func participation(
        _ process: ProcessView, on connection: PostgresConnection
    ) async throws -> (PeopleCount, [PhaseParticipation], People) {
        let rows = try await connection.query(
            """
            WITH participation AS (
                SELECT f.id AS phase_id, coalesce('account:' || c.author_account_id::text, 'contribution:' || c.id::text) AS person,
                       c.author_departement AS departement, c.author_age_band AS age_band, NULL::text AS arrondissement, c.created_at AS at
                FROM contributions c JOIN process_phases f ON f.consultation_id = c.consultation_id
                WHERE f.process_id = \(process.id) AND c.withdrawn_at IS NULL
                UNION ALL
                SELECT f.id, 'account:' || s.account_id::text, NULL, NULL, NULL, s.supported_at
                FROM contribution_supports s
                JOIN contributions c ON c.id = s.contribution_id
                JOIN process_phases f ON f.consultation_id = c.consultation_id
                WHERE f.process_id = \(process.id) AND s.withdrawn_at IS NULL AND c.withdrawn_at IS NULL
                UNION ALL
                SELECT w.phase_id, coalesce('account:' || r.account_id::text, 'address:' || r.email_key), NULL, NULL, w.arrondissement, w.starts_at
                FROM workshop_registrations r JOIN workshops w ON w.id = r.workshop_id
                WHERE w.process_id = \(process.id) AND r.status <> 'cancelled' AND w.status <> 'cancelled'
            ),
            people AS (
                SELECT person,
                       (array_agg(departement ORDER BY at DESC) FILTER (WHERE departement IS NOT NULL))[1] AS departement,
                       (array_agg(age_band ORDER BY at DESC) FILTER (WHERE age_band IS NOT NULL))[1] AS age_band,
                       (array_agg(arrondissement ORDER BY at) FILTER (WHERE arrondissement IS NOT NULL))[1] AS arrondissement
                FROM participation GROUP BY person
            )
            SELECT 'phase', phase_id::text, NULL::text, NULL::text, count(DISTINCT person)::integer FROM participation GROUP BY phase_id
            UNION ALL
            SELECT 'people', departement, arrondissement, age_band, count(*)::integer FROM people GROUP BY departement, arrondissement, age_band
            """,
            logger: logger
        )
        var phaseCounts: [String: Int] = [:]
        var total = 0
        var (departements, arrondissements, ageBands) = ([String?: Int](), [String?: Int](), [String?: Int]())
        for try await (kind, first, arrondissement, ageBand, count) in rows.decode((String, String?, String?, String?, Int).self) {
            if kind == "phase" {
                phaseCounts[first ?? "", default: 0] += count
            } else {
                total += count
                departements[first, default: 0] += count
                arrondissements[arrondissement, default: 0] += count
                ageBands[ageBand, default: 0] += count
            }
        }
        let byPhase = process.phases.map { phase in
            PhaseParticipation(
                phaseID: phase.id, position: phase.position, kind: phase.kind, title: phase.title,
                people: PeopleCount(phaseCounts[phase.id.uuidString.lowercased()] ?? 0)
            )
        }
        // The region's five départements always, in the order of their codes, then any other
        // code, then the people of unknown département: a table that never drops anyone.
        let departementKeys = Region.departements.keys.sorted() + departements.keys.compactMap { $0 }.filter { Region.departements[$0] == nil }.sorted()
        var people = People()
        people.departements = (departementKeys.map(Optional.some) + [nil]).map { PeopleCell(key: $0, people: PeopleCount(departements[$0] ?? 0)) }
        people.arrondissements = Self.cells(arrondissements)
        people.ageBands = Self.cells(ageBands)
        return (PeopleCount(total), byPhase, people)
    }

    /// The known keys in order, then the unknown one (nil), each with its count (0 included).
    static func cells(_ counts: [String?: Int]) -> [PeopleCell] {
        (counts.keys.compactMap { $0 }.sorted().map(Optional.some) + [nil]).map { PeopleCell(key: $0, people: PeopleCount(counts[$0] ?? 0)) }
    }

    /// The contributions of the consultations the phases open, as the balance sheet counts them.
    private func contributions(of process: UUID, on connection: PostgresConnection) async throws -> ContributionIndicators {
        let rows = try await connection.query(
            """
            SELECT origin, answer_status, \(unescaped: ContributionAccountability.answeredCondition), count(*)::integer
            FROM contributions
            WHERE consultation_id IN (SELECT consultation_id FROM process_phases WHERE process_id = \(process)) AND withdrawn_at IS NULL
            GROUP BY 1, 2, 3
            """,
            logger: logger
        )
        var figures = ContributionIndicators(total: 0, online: 0, inPerson: 0, answered: 0, retained: 0, medianDaysToAnswer: nil)
        for try await (origin, status, answered, count) in rows.decode((String, String, Bool, Int).self) {
            figures.total += count
            if origin == ContributionOrigin.inPerson.rawValue { figures.inPerson += count } else { figures.online += count }
            if answered { figures.answered += count }
            if ContributionAnswerStatus(rawValue: status)?.countsAsRetained == true { figures.retained += count }
        }
        figures.medianDaysToAnswer = try await connection.query(
            """
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_answered_at - created_at)) / 86400
            FROM contributions
            WHERE consultation_id IN (SELECT consultation_id FROM process_phases WHERE process_id = \(process))
              AND withdrawn_at IS NULL AND first_answered_at IS NOT NULL
            """,
            logger: logger
        ).decode(Double?.self).reduce(into: Double?.none) { $0 = $1 }
        return figures
    }

    /// The workshops over by `now` and held (not called off): the seats taken, and who was
    /// checked in. A waitlisted registration never had a seat, a cancelled one gave it up.
    private func workshops(of process: UUID, endedBy now: Date, on connection: PostgresConnection) async throws -> [WorkshopAttendance] {
        let rows = try await connection.query(
            """
            SELECT w.id, w.arrondissement, w.themes, w.starts_at,
                   count(r.id) FILTER (WHERE r.status = 'confirmed')::integer,
                   count(r.id) FILTER (WHERE r.status = 'confirmed' AND r.checked_in_at IS NOT NULL)::integer
            FROM workshops w LEFT JOIN workshop_registrations r ON r.workshop_id = w.id
            WHERE w.process_id = \(process) AND w.status = \(WorkshopStatus.scheduled.rawValue) AND w.ends_at <= \(now)
            GROUP BY w.id ORDER BY w.starts_at, w.id
            """,
            logger: logger
        )
        var workshops: [WorkshopAttendance] = []
        for try await (id, arrondissement, themes, startsAt, registered, attended) in rows.decode((UUID, String, [String], Date, Int, Int).self) {
            workshops.append(WorkshopAttendance(
                workshopID: id, arrondissement: arrondissement, themes: themes, startsAt: startsAt, registered: PeopleCount(registered),
                attended: PeopleCount(attended), noShows: PeopleCount(registered - attended)
            ))
        }
        return workshops
    }

    /// The recommendations (drafts only for staff), those citing a contribution, the adopted
    /// ones and their milestones.
    private func recommendations(of process: UUID, includeDrafts: Bool, on connection: PostgresConnection) async throws -> RecommendationIndicators {
        let implemented = RecommendationFate.allCases.filter(\.isImplemented).map(\.rawValue)
        let rows = try await connection.query(
            """
            SELECT count(*)::integer,
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM recommendation_citations c WHERE c.recommendation_id = r.id))::integer,
                   count(*) FILTER (WHERE r.fate = ANY(\(implemented)))::integer,
                   (SELECT count(*)::integer FROM recommendation_milestones m JOIN recommendations a ON a.id = m.recommendation_id
                    WHERE a.process_id = \(process) AND a.fate = ANY(\(implemented))),
                   (SELECT count(*)::integer FROM recommendation_milestones m JOIN recommendations a ON a.id = m.recommendation_id
                    WHERE a.process_id = \(process) AND a.fate = ANY(\(implemented)) AND m.status = \(MilestoneStatus.done.rawValue)),
                   (avg(coalesce((SELECT avg(m.progress) FROM recommendation_milestones m WHERE m.recommendation_id = r.id), 0))
                       FILTER (WHERE r.fate = ANY(\(implemented))))::float8
            FROM recommendations r
            WHERE r.process_id = \(process) AND (r.published_at IS NOT NULL OR \(includeDrafts))
            """,
            logger: logger
        )
        for try await (total, citing, adopted, milestones, reached, progress) in rows.decode((Int, Int, Int, Int, Int, Double?).self) {
            return RecommendationIndicators(
                total: total, citingContributions: citing, adopted: adopted, milestones: milestones, milestonesReached: reached, meanProgress: progress
            )
        }
        return RecommendationIndicators(total: 0, citingContributions: 0, adopted: 0, milestones: 0, milestonesReached: 0, meanProgress: nil)
    }
}
