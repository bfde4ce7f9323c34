import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Storage

/// Short statements: submitted hidden and sent to moderation with the forum's policy, shown
/// once moderation lets them through, answered by each participant (one answer each, which
/// they may change; `statement.voted` under the participant's pseudonym), proposed one at a
/// time by `StatementPriority`, listed with their answers' counts.
struct StatementStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    static let notFound = RequestFailure(code: .notFound, message: "Cette affirmation n'existe pas ou n'est pas encore publiée.", field: "statement")

    func submit(_ request: SubmitStatement) async throws -> StatementView {
        if let problem = StatementRules.problem(request.text) { throw problem }
        return try await client.transaction(logger: logger) { connection in
            // Share-locked so that closing the forum and submitting in it never interleave.
            let forum = try await ForumThreadStore.lockForum(request.forumID, on: connection, logger: logger)
            try Self.requireOpen(forum, refusing: "d'affirmation")
            let rows = try await connection.query(
                """
                INSERT INTO forum_statements AS s (id, forum_id, body, author_account_id, author_name)
                VALUES (\(UUID()), \(forum.id), \(request.text), \(request.author.accountID), \(request.author.publicName))
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let statement = try await Self.first(rows) else { throw RequestFailure(code: .internal, message: "the statement was not stored") }
            try await Outbox.enqueue(
                StatementSubmitted(content: SubmittedContent(
                    contentID: statement.id, ownerService: .consultations, title: "Affirmation du forum « \(forum.title) »", text: statement.text,
                    authorAccountID: request.author.accountID, authorName: request.author.publicName,
                    publicPath: "/forums/\(forum.id.uuidString.lowercased())/affirmations", submittedAt: statement.createdAt,
                    moderationMode: forum.moderationMode.rawValue
                )),
                on: connection, logger: logger
            )
            return statement
        }
    }

    /// The shown statement the person has not answered with the highest priority.
    func next(_ request: GetNextStatement) async throws -> NextStatement {
        let forum = try await ForumStore(client: client, logger: logger).forum(request.forumID, includeUpcoming: false)
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns), s.extremity,
                   count(v.vote) FILTER (WHERE v.vote = 'agree')::integer, count(v.vote) FILTER (WHERE v.vote = 'disagree')::integer,
                   count(v.vote) FILTER (WHERE v.vote = 'pass')::integer,
                   bool_or(p.account_id IS NOT DISTINCT FROM \(request.accountID))
            FROM forum_statements s
            LEFT JOIN forum_statement_votes v ON v.statement_id = s.id
            LEFT JOIN forum_statement_participants p ON p.participant_id = v.participant_id
            WHERE s.forum_id = \(forum.id) AND s.visible
            GROUP BY s.id
            """,
            logger: logger
        )
        var statements: [UUID: StatementView] = [:]
        var candidates: [StatementPriority.Candidate] = []
        var answered: Set<UUID> = []
        for try await row in rows.decode((UUID, UUID, String, UUID?, Bool, String, Date, Double, Int, Int, Int, Bool?).self) {
            let statement = Self.view((row.0, row.1, row.2, row.3, row.4, row.5, row.6))
            statements[statement.id] = statement
            candidates.append(StatementPriority.Candidate(
                id: statement.id, agrees: row.8, disagrees: row.9, passes: row.10, extremity: row.7, createdAt: statement.createdAt
            ))
            if row.11 == true { answered.insert(statement.id) }
        }
        let chosen = StatementPriority.next(among: candidates, answered: answered)
        return NextStatement(
            forum: forum, statement: chosen.flatMap { statements[$0.id] }, answered: answered.count, remaining: candidates.count - answered.count
        )
    }

    /// Records the person's answer, or replaces it with another one; the same answer again
    /// (the form sent twice) changes nothing and announces nothing.
    func vote(_ request: VoteOnStatement) async throws -> StatementVoteReceipt {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT forum_id FROM forum_statements WHERE id = \(request.statementID) AND visible", logger: logger
            )
            var forumID: UUID?
            for try await id in rows.decode(UUID.self) { forumID = id }
            guard let forumID else { throw Self.notFound }
            let forum = try await ForumThreadStore.lockForum(forumID, on: connection, logger: logger)
            try Self.requireOpen(forum, refusing: "de vote")
            let participant = try await Self.participant(request.accountID, in: forumID, on: connection, logger: logger)
            // The primary key decides between requests arriving together. A changed answer
            // is dated after the one it replaces, whatever the clocks of the transactions: the
            // opinion map keeps the latest answer by that date.
            let inserted = try await connection.query(
                """
                INSERT INTO forum_statement_votes AS v (statement_id, participant_id, vote)
                VALUES (\(request.statementID), \(participant), \(request.vote.rawValue))
                ON CONFLICT (statement_id, participant_id) DO UPDATE
                    SET vote = excluded.vote, voted_at = greatest(clock_timestamp(), v.voted_at + interval '1 millisecond')
                    WHERE v.vote <> excluded.vote
                RETURNING v.voted_at
                """,
                logger: logger
            )
            var recorded = false
            for try await votedAt in inserted.decode(Date.self) {
                recorded = true
                try await Outbox.enqueue(
                    StatementVoted(forumID: forumID, statementID: request.statementID, participantID: participant, vote: request.vote, votedAt: votedAt),
                    on: connection, logger: logger
                )
            }
            return StatementVoteReceipt(forumID: forumID, recorded: recorded)
        }
    }

    /// The forum's shown statements with their answers, and the viewer's own answer.
    func list(_ request: ListForumStatements) async throws -> ForumStatementList {
        let forum = try await ForumStore(client: client, logger: logger).forum(request.forumID, includeUpcoming: false)
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns),
                   count(v.vote) FILTER (WHERE v.vote = 'agree')::integer, count(v.vote) FILTER (WHERE v.vote = 'disagree')::integer,
                   count(v.vote) FILTER (WHERE v.vote = 'pass')::integer, max(v.vote) FILTER (WHERE p.account_id = \(request.viewerAccountID))
            FROM forum_statements s
            LEFT JOIN forum_statement_votes v ON v.statement_id = s.id
            LEFT JOIN forum_statement_participants p ON p.participant_id = v.participant_id
            WHERE s.forum_id = \(forum.id) AND s.visible
            GROUP BY s.id
            ORDER BY s.created_at, s.id
            """,
            logger: logger
        )
        var items: [CountedStatement] = []
        for try await row in rows.decode((UUID, UUID, String, UUID?, Bool, String, Date, Int, Int, Int, String?).self) {
            items.append(CountedStatement(
                statement: Self.view((row.0, row.1, row.2, row.3, row.4, row.5, row.6)),
                votes: ForumReactionCounts(agree: row.7, disagree: row.8, pass: row.9, mine: row.10.flatMap(ForumReaction.init(rawValue:)))
            ))
        }
        return ForumStatementList(items: items)
    }

    // MARK: Events

    /// Applies moderation's decision on a statement, unless an older one than the last applied.
    static func apply(_ decision: ModerationDecisionMade, on connection: PostgresConnection, logger: Logger) async throws {
        guard decision.contentType == .statement else { return }
        try await connection.query(
            """
            UPDATE forum_statements SET visible = \(decision.visible), moderation_status = \(decision.status.rawValue),
                moderation_revision = \(decision.revision)
            WHERE id = \(decision.contentID) AND moderation_revision < \(decision.revision)
            """,
            logger: logger
        )
    }

    /// Keeps the extremities of the forum's latest map for the priority: statements the map
    /// does not place (or every statement, when the map is not shown) go back to 0. A map
    /// older than the one applied changes nothing.
    static func apply(_ update: ForumOpinionMapUpdated, on connection: PostgresConnection, logger: Logger) async throws {
        let newer = try await connection.query(
            """
            UPDATE forums SET opinion_map_computed_at = \(update.computedAt)
            WHERE id = \(update.forumID) AND (opinion_map_computed_at IS NULL OR opinion_map_computed_at < \(update.computedAt))
            RETURNING id
            """,
            logger: logger
        )
        var applies = false
        for try await _ in newer.decode(UUID.self) { applies = true }
        guard applies else { return }
        let ids = update.extremities.map(\.statementID)
        let values = update.extremities.map { min(max($0.extremity.isFinite ? $0.extremity : 0, 0), 1) }
        try await connection.query(
            """
            UPDATE forum_statements s SET extremity = coalesce(x.extremity, 0)
            FROM forum_statements t LEFT JOIN unnest(\(ids)::uuid[], \(values)::float8[]) AS x(id, extremity) ON x.id = t.id
            WHERE t.id = s.id AND s.forum_id = \(update.forumID)
            """,
            logger: logger
        )
    }

    // MARK: Storage

    /// The person's pseudonym in this forum, made on their first answer.
    private static func participant(_ account: UUID, in forum: UUID, on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        try await connection.query(
            """
            INSERT INTO forum_statement_participants (forum_id, account_id, participant_id) VALUES (\(forum), \(account), \(UUID()))
            ON CONFLICT (forum_id, account_id) DO NOTHING
            """,
            logger: logger
        )
        let rows = try await connection.query(
            "SELECT participant_id FROM forum_statement_participants WHERE forum_id = \(forum) AND account_id = \(account)", logger: logger
        )
        for try await id in rows.decode(UUID.self) { return id }
        throw RequestFailure(code: .internal, message: "the participant was not stored")
    }

    private static func requireOpen(_ forum: ForumView, refusing what: String) throws {
        guard forum.takesPosts() else {
            throw RequestFailure(code: .conflict, message: "Ce forum est clos : il ne prend plus \(what).", field: "forum")
        }
    }

    /// The columns of a `StatementView`, from `forum_statements s`.
    static let columns = "s.id, s.forum_id, s.body, s.author_account_id, s.visible, s.moderation_status, s.created_at"

    typealias Row = (UUID, UUID, String, UUID?, Bool, String, Date)

    static func view(_ row: Row) -> StatementView {
        StatementView(id: row.0, forumID: row.1, text: row.2, authorAccountID: row.3, visible: row.4, moderationStatus: row.5, createdAt: row.6)
    }

    static func first(_ rows: PostgresRowSequence) async throws -> StatementView? {
        for try await row in rows.decode(Row.self) { return view(row) }
        return nil
    }
}
