import DialogueContracts
import Foundation
import Logging
import OpinionMap
import PostgresNIO
import ServiceKit
import Storage

/// The opinion maps of forums: votes on statements kept from `statement.voted`; after every
/// `recomputeEvery` new votes of a forum, its map recomputed with `OpinionMap` (warm-started
/// from the previous recompute's state), stored whole, and announced
/// (`forum.opinion_map_updated`, with each statement's extremity).
struct OpinionMapStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    let recomputeEvery: Int

    /// Keeps the vote, or a participant's changed answer (dated later; an older answer
    /// arriving late and a redelivery change nothing), and recomputes the forum's map when
    /// enough new votes came in, in the event's transaction.
    func keep(_ event: StatementVoted, on connection: PostgresConnection) async throws {
        let kept = try await connection.query(
            """
            INSERT INTO statement_votes (forum_id, statement_id, participant_id, vote, voted_at)
            VALUES (\(event.forumID), \(event.statementID), \(event.participantID), \(Int16(Self.encoded(event.vote).rawValue)), \(event.votedAt))
            ON CONFLICT (forum_id, statement_id, participant_id) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at
                WHERE statement_votes.voted_at < excluded.voted_at
            RETURNING forum_id
            """,
            logger: logger
        )
        var isNew = false
        for try await _ in kept.decode(UUID.self) { isNew = true }
        guard isNew else { return }
        // The row lock taken here serialises the votes of one forum: one recompute at a time.
        let counted = try await connection.query(
            """
            INSERT INTO opinion_maps AS m (forum_id, votes_since_recompute) VALUES (\(event.forumID), 1)
            ON CONFLICT (forum_id) DO UPDATE SET votes_since_recompute = m.votes_since_recompute + 1
            RETURNING m.votes_since_recompute
            """,
            logger: logger
        )
        var newVotes = 0
        for try await count in counted.decode(Int.self) { newVotes = count }
        if newVotes >= recomputeEvery { try await recompute(event.forumID, on: connection) }
    }

    /// Recomputes the forum's map from all its votes, replaces the stored one and announces it.
    func recompute(_ forum: UUID, on connection: PostgresConnection) async throws {
        let stateRows = try await connection.query("SELECT state::text FROM opinion_maps WHERE forum_id = \(forum) FOR UPDATE", logger: logger)
        var previous: OpinionMapState<UUID>?
        for try await text in stateRows.decode(String?.self) {
            previous = try text.map { try JSONDecoder().decode(OpinionMapState<UUID>.self, from: Data($0.utf8)) }
        }
        let voteRows = try await connection.query(
            "SELECT participant_id, statement_id, vote FROM statement_votes WHERE forum_id = \(forum)", logger: logger
        )
        var votes: [Vote<UUID, UUID>] = []
        for try await (participant, statement, value) in voteRows.decode((UUID, UUID, Int16).self) {
            votes.append(Vote(participant: participant, statement: statement, value: StatementVote(rawValue: Int8(value)) ?? .pass))
        }
        let computation = OpinionMap<UUID, UUID>.compute(votes: votes, previous: previous)
        let computedAt = Date()
        let map = computation.map
        let view = Self.view(of: map, forum: forum, qualifying: computation.qualifyingParticipants, computedAt: computedAt)
        let state = try computation.state.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let points = String(decoding: try JSONEncoder().encode(view.points), as: UTF8.self)

        // The map is replaced whole.
        try await connection.query("DELETE FROM opinion_map_groups WHERE forum_id = \(forum)", logger: logger)
        try await connection.query("DELETE FROM opinion_map_representatives WHERE forum_id = \(forum)", logger: logger)
        try await connection.query("DELETE FROM opinion_map_consensus WHERE forum_id = \(forum)", logger: logger)
        try await connection.query("DELETE FROM opinion_map_divisive WHERE forum_id = \(forum)", logger: logger)
        try await connection.query("DELETE FROM opinion_map_extremities WHERE forum_id = \(forum)", logger: logger)
        try await connection.query(
            """
            UPDATE opinion_maps SET votes_since_recompute = 0, computed_at = \(computedAt), qualifying_participants = \(computation.qualifyingParticipants),
                shown = \(view.shown), state = \(state)::jsonb, points = \(points)::jsonb
            WHERE forum_id = \(forum)
            """,
            logger: logger
        )
        for (index, group) in view.groups.enumerated() {
            try await connection.query(
                """
                INSERT INTO opinion_map_groups (forum_id, group_index, size, centre_x, centre_y)
                VALUES (\(forum), \(index), \(group.size), \(group.centreX), \(group.centreY))
                """,
                logger: logger
            )
            for (rank, leaning) in group.representative.enumerated() {
                try await connection.query(
                    """
                    INSERT INTO opinion_map_representatives (forum_id, group_index, rank, statement_id, direction, votes, voters)
                    VALUES (\(forum), \(index), \(rank), \(leaning.statementID), \(leaning.direction.rawValue), \(leaning.votes), \(leaning.voters))
                    """,
                    logger: logger
                )
            }
        }
        for (rank, consensus) in view.consensus.enumerated() {
            let byGroup = String(decoding: try JSONEncoder().encode(consensus.byGroup.map { [$0.votes, $0.voters] }), as: UTF8.self)
            try await connection.query(
                """
                INSERT INTO opinion_map_consensus (forum_id, rank, statement_id, direction, by_group)
                VALUES (\(forum), \(rank), \(consensus.statementID), \(consensus.direction.rawValue), \(byGroup)::jsonb)
                """,
                logger: logger
            )
        }
        for (rank, divisive) in view.divisive.enumerated() {
            try await connection.query(
                """
                INSERT INTO opinion_map_divisive (forum_id, rank, statement_id, agreeing_groups, disagreeing_groups)
                VALUES (\(forum), \(rank), \(divisive.statementID), \(divisive.agreeingGroups), \(divisive.disagreeingGroups))
                """,
                logger: logger
            )
        }
        let extremities = map.map { map in zip(map.statements, map.extremities).map { StatementExtremity(statementID: $0, extremity: $1) } } ?? []
        if !extremities.isEmpty {
            try await connection.query(
                """
                INSERT INTO opinion_map_extremities (forum_id, statement_id, extremity)
                SELECT \(forum), x.statement_id, x.extremity FROM unnest(\(extremities.map(\.statementID))::uuid[], \(extremities.map(\.extremity))::float8[])
                    AS x(statement_id, extremity)
                """,
                logger: logger
            )
        }
        try await Outbox.enqueue(
            ForumOpinionMapUpdated(
                forumID: forum, shown: view.shown, qualifyingParticipants: computation.qualifyingParticipants, groupCount: view.groups.count,
                extremities: extremities, computedAt: computedAt
            ),
            on: connection, logger: logger
        )
        logger.info("opinion map recomputed", metadata: [
            "forum": "\(forum.uuidString.lowercased())", "votes": "\(votes.count)", "qualifying": "\(computation.qualifyingParticipants)",
            "groups": "\(view.groups.count)",
        ])
    }

    /// The forum's latest map as stored; not shown before the first recompute.
    func map(_ request: GetForumOpinionMap) async throws -> ForumOpinionMapView {
        let forum = request.forumID
        let rows = try await client.query(
            "SELECT shown, qualifying_participants, computed_at, points::text FROM opinion_maps WHERE forum_id = \(forum)", logger: logger
        )
        var found: (Bool, Int, Date?, String)?
        for try await row in rows.decode((Bool, Int, Date?, String).self) { found = row }
        guard let found, found.0 else {
            return ForumOpinionMapView(forumID: forum, shown: false, qualifyingParticipants: found?.1 ?? 0, computedAt: found?.2)
        }
        let (qualifying, computedAt, pointsText) = (found.1, found.2, found.3)
        var groups: [OpinionMapGroup] = []
        let groupRows = try await client.query(
            "SELECT size, centre_x, centre_y FROM opinion_map_groups WHERE forum_id = \(forum) ORDER BY group_index", logger: logger
        )
        for try await (size, x, y) in groupRows.decode((Int, Double, Double).self) {
            groups.append(OpinionMapGroup(size: size, centreX: x, centreY: y, representative: []))
        }
        let representativeRows = try await client.query(
            """
            SELECT group_index, statement_id, direction, votes, voters FROM opinion_map_representatives
            WHERE forum_id = \(forum) ORDER BY group_index, rank
            """,
            logger: logger
        )
        for try await (group, statement, direction, votes, voters) in representativeRows.decode((Int, UUID, String, Int, Int).self) where groups.indices.contains(group) {
            groups[group].representative.append(
                OpinionMapStatementLeaning(statementID: statement, direction: ForumReaction(rawValue: direction) ?? .agree, votes: votes, voters: voters)
            )
        }
        var consensus: [OpinionMapConsensus] = []
        let consensusRows = try await client.query(
            "SELECT statement_id, direction, by_group::text FROM opinion_map_consensus WHERE forum_id = \(forum) ORDER BY rank", logger: logger
        )
        for try await (statement, directionText, byGroupText) in consensusRows.decode((UUID, String, String).self) {
            let direction = ForumReaction(rawValue: directionText) ?? .agree
            let counts = try JSONDecoder().decode([[Int]].self, from: Data(byGroupText.utf8))
            consensus.append(OpinionMapConsensus(
                statementID: statement, direction: direction,
                byGroup: counts.map { OpinionMapStatementLeaning(statementID: statement, direction: direction, votes: $0.first ?? 0, voters: $0.last ?? 0) }
            ))
        }
        var divisive: [OpinionMapDivisive] = []
        let divisiveRows = try await client.query(
            "SELECT statement_id, agreeing_groups::int8[], disagreeing_groups::int8[] FROM opinion_map_divisive WHERE forum_id = \(forum) ORDER BY rank", logger: logger
        )
        for try await (statement, agreeing, disagreeing) in divisiveRows.decode((UUID, [Int], [Int]).self) {
            divisive.append(OpinionMapDivisive(statementID: statement, agreeingGroups: agreeing, disagreeingGroups: disagreeing))
        }
        return ForumOpinionMapView(
            forumID: forum, shown: true, qualifyingParticipants: qualifying, computedAt: computedAt,
            points: try JSONDecoder().decode([OpinionMapPoint].self, from: Data(pointsText.utf8)), groups: groups, consensus: consensus, divisive: divisive
        )
    }

    // MARK: Translation

    /// The map in the contract's words; participants become anonymous dots.
    static func view(of map: OpinionMap<UUID, UUID>?, forum: UUID, qualifying: Int, computedAt: Date) -> ForumOpinionMapView {
        guard let map else { return ForumOpinionMapView(forumID: forum, shown: false, qualifyingParticipants: qualifying, computedAt: computedAt) }
        func leaning(_ statement: UUID, _ direction: StatementVote, _ figures: StatementFigures) -> OpinionMapStatementLeaning {
            OpinionMapStatementLeaning(statementID: statement, direction: decoded(direction), votes: figures.votesInGroup, voters: figures.seenInGroup)
        }
        return ForumOpinionMapView(
            forumID: forum, shown: true, qualifyingParticipants: qualifying, computedAt: computedAt,
            points: map.participants.map { OpinionMapPoint(x: $0.position.x, y: $0.position.y, group: $0.group) },
            groups: map.groups.map { group in
                OpinionMapGroup(
                    size: group.size, centreX: group.centre.x, centreY: group.centre.y,
                    representative: group.representative.map { leaning($0.statement, $0.direction, $0.figures) }
                )
            },
            consensus: map.consensus.map { consensus in
                OpinionMapConsensus(
                    statementID: consensus.statement, direction: decoded(consensus.direction),
                    byGroup: consensus.figuresByGroup.map { leaning(consensus.statement, consensus.direction, $0) }
                )
            },
            divisive: map.divisive.map { OpinionMapDivisive(statementID: $0.statement, agreeingGroups: $0.agreeingGroups, disagreeingGroups: $0.disagreeingGroups) }
        )
    }

    /// A vote as the map encodes it: agree = +1, disagree = −1, pass = 0.
    static func encoded(_ vote: ForumReaction) -> StatementVote {
        switch vote {
        case .agree: .agree
        case .disagree: .disagree
        case .pass: .pass
        }
    }

    static func decoded(_ vote: StatementVote) -> ForumReaction {
        switch vote {
        case .agree: .agree
        case .disagree: .disagree
        case .pass: .pass
        }
    }
}
