import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import SynthesisReporter
import Testing
import TestSupport

/// The opinion maps of forums in the reporter: votes kept from `statement.voted`, the map
/// recomputed after every N new votes, stored, announced with each statement's extremity,
/// and read back over RPC; nothing shown under 15 qualifying participants.
@Suite struct ForumOpinionMapTests {
    let topology = TestEnvironment.isolatedTopology()

    func withReporter(recomputeEvery: Int, _ body: @Sendable (RPCClient, TestDatabase) async throws -> Void) async throws {
        let database = try await TestDatabase.make()
        try await migrate(.synthesis, directory: SynthesisReporter.migrationsDirectory, on: database)
        let platform = ServicePlatform.forTest(.synthesis, database: database, topology: topology)
        let rpc = RPCClient(settings: TestEnvironment.amqp, topology: topology, logger: TestEnvironment.logger)
        let parts = SynthesisReporter.parts(on: platform, opinionMaps: OpinionMapSettings(recomputeEveryVotes: recomputeEvery))
        try await withRunningServices([platform.database, platform.publisher, platform.outboxRelay()] + parts + [rpc]) {
            try await eventually(timeout: .seconds(20), "synthesis reporter ready") {
                await platform.readiness.failing().isEmpty && rpc.isConnected
            }
            try await body(rpc, database)
        }
        await deleteQueues(of: topology, services: [.synthesis])
    }

    /// Publishes the events through one connection, in order, as the consultation service's relay would.
    func publish(_ events: [StatementVoted]) async throws {
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, name: "test-votes", declarations: topology.exchanges, logger: TestEnvironment.logger)
        await publisher.connect()
        do {
            for event in events {
                try await publisher.publish(OutgoingMessage(
                    exchange: topology.eventsExchange, routingKey: StatementVoted.messageType, body: try MessageCoding.encode(event),
                    type: StatementVoted.messageType, headers: ["schema-version": .int(Int64(StatementVoted.schemaVersion))]
                ))
            }
        } catch {
            await publisher.close()
            throw error
        }
        await publisher.close()
    }

    func int(_ query: PostgresQuery, _ database: TestDatabase) async throws -> Int {
        try await Probe.on(database) { probe in try await probe.int(query) }
    }

    func updates(_ database: TestDatabase) async throws -> [ForumOpinionMapUpdated] {
        let bodies = try await Probe.on(database) { probe in
            try await probe.texts("SELECT convert_from(body, 'UTF8') FROM synthesis.outbox WHERE message_type = 'forum.opinion_map_updated' ORDER BY id")
        }
        return try bodies.map { try MessageCoding.decode(ForumOpinionMapUpdated.self, from: Array(($0 ?? "").utf8)) }
    }

    /// Two planted camps of ten over eight statements: the first camp agrees with statements
    /// 0–3 and rejects 4–6, the second the opposite; everyone agrees with statement 7. Each
    /// participant's votes come together, so a participant qualifies once all eight are in.
    static func twoCamps(forum: UUID, statements: [UUID]) -> (votes: [StatementVoted], camps: [[UUID]]) {
        var votes: [StatementVoted] = []
        var camps: [[UUID]] = [[], []]
        for person in 0..<20 {
            let participant = UUID()
            let camp = person % 2
            camps[camp].append(participant)
            for (index, statement) in statements.enumerated() {
                let vote: ForumReaction = index == 7 ? .agree : ((index < 4) == (camp == 0) ? .agree : .disagree)
                votes.append(StatementVoted(forumID: forum, statementID: statement, participantID: participant, vote: vote, votedAt: Date()))
            }
        }
        return (votes, camps)
    }

    @Test func theMapFindsThePlantedCampsAndTheirConsensusAfterEveryNVotes() async throws {
        try await withReporter(recomputeEvery: 40) { rpc, database in
            // setup
            let forum = UUID()
            let statements = (0..<8).map { _ in UUID() }
            let (votes, _) = Self.twoCamps(forum: forum, statements: statements)

            // act: 160 votes, a recompute every 40
            try await publish(votes)
            try await eventually(timeout: .seconds(60), "four recomputes") { try await updates(database).count == 4 }
            let map = try await rpc.request(GetForumOpinionMap(forumID: forum))
            let announced = try await updates(database)

            // check: the first recompute (5 participants with all their votes) shows nothing
            #expect(announced.first?.shown == false && announced.first?.qualifyingParticipants == 5)
            #expect(announced.first?.extremities.isEmpty == true)
            #expect(announced.last?.shown == true && announced.last?.qualifyingParticipants == 20)
            // two groups of ten, each standing for its camp's statements
            #expect(map.shown && map.qualifyingParticipants == 20 && map.points.count == 20)
            #expect(map.groups.map(\.size) == [10, 10])
            // each group's representative statements are its camp's way of voting: camp 0 agrees
            // with 0–3 and rejects 4–6, camp 1 the opposite; the shared statement is no one's
            func camp(_ leaning: OpinionMapStatementLeaning) -> Int? {
                guard let index = statements.firstIndex(of: leaning.statementID), index < 7 else { return nil }
                return (index < 4) == (leaning.direction == .agree) ? 0 : 1
            }
            let campsOfGroups = map.groups.map { Set($0.representative.map(camp)) }
            #expect(campsOfGroups.allSatisfy { $0.count == 1 })
            #expect(Set(campsOfGroups.flatMap { $0 }) == [0, 1])
            // the statement everyone agrees with is the consensus, and pulls nobody across the map
            #expect(map.consensus.map(\.statementID) == [statements[7]])
            #expect(map.consensus.first?.direction == .agree && map.consensus.first?.byGroup.map(\.votes) == [10, 10])
            let extremities = Dictionary(uniqueKeysWithValues: (announced.last?.extremities ?? []).map { ($0.statementID, $0.extremity) })
            #expect(extremities.count == 8)
            #expect((extremities[statements[7]] ?? 1) < 0.1)
            #expect(abs((extremities.values.max() ?? 0) - 1) < 1e-9)
            // stored in the reporter's own tables
            #expect(try await int("SELECT count(*)::integer FROM synthesis.statement_votes", database) == 160)
            #expect(try await int("SELECT count(*)::integer FROM synthesis.opinion_map_groups", database) == 2)
            #expect(try await int("SELECT count(*)::integer FROM synthesis.opinion_map_extremities", database) == 8)
            #expect(try await int("SELECT votes_since_recompute FROM synthesis.opinion_maps", database) == 0)
        }
    }

    @Test func nothingIsShownUnderFifteenParticipantsAndARedeliveredVoteCountsOnce() async throws {
        try await withReporter(recomputeEvery: 10) { rpc, database in
            // setup: fourteen participants with all their votes
            let forum = UUID()
            let statements = (0..<8).map { _ in UUID() }
            let (votes, _) = Self.twoCamps(forum: forum, statements: statements)
            let fourteen = Array(votes.prefix(14 * 8))

            // act: their votes, then the last ten delivered again
            try await publish(fourteen)
            try await eventually(timeout: .seconds(60), "every vote kept") {
                try await int("SELECT count(*)::integer FROM synthesis.statement_votes", database) == 112
            }
            try await publish(Array(fourteen.suffix(10)))
            try await eventually(timeout: .seconds(30), "the redelivered votes handled") {
                try await int("SELECT count(*)::integer FROM synthesis.inbox WHERE message_type = 'statement.voted'", database) == 122
            }
            let map = try await rpc.request(GetForumOpinionMap(forumID: forum))
            let unknown = try await rpc.request(GetForumOpinionMap(forumID: UUID()))

            // check: 112 votes, 11 recomputes (the redelivered votes count for nothing)
            #expect(try await int("SELECT count(*)::integer FROM synthesis.statement_votes", database) == 112)
            #expect(try await updates(database).count == 11)
            #expect(try await int("SELECT votes_since_recompute FROM synthesis.opinion_maps", database) == 2)
            // the last recompute (at vote 110) saw 13 participants with all their votes and a
            // 14th with 6 of them, one short of the 7 that qualify
            #expect(!map.shown && map.qualifyingParticipants == 13 && map.points.isEmpty && map.groups.isEmpty)
            #expect(try await updates(database).allSatisfy { !$0.shown && $0.extremities.isEmpty })
            #expect(!unknown.shown && unknown.computedAt == nil)
            #expect(try await int("SELECT count(*)::integer FROM synthesis.opinion_map_groups", database) == 0)
        }
    }

    @Test func aChangedAnswerReplacesTheEarlierOneAndAnOlderOneArrivingLateIsIgnored() async throws {
        try await withReporter(recomputeEvery: 1_000) { _, database in
            // setup
            let (forum, statement, participant) = (UUID(), UUID(), UUID())
            let agreedAt = Date(timeIntervalSince1970: 1_800_000_000)
            func vote(_ vote: ForumReaction, at date: Date) -> StatementVoted {
                StatementVoted(forumID: forum, statementID: statement, participantID: participant, vote: vote, votedAt: date)
            }

            // act: agree, then disagree a millisecond later; then a pass dated before both arrives late
            try await publish([vote(.agree, at: agreedAt)])
            try await eventually(timeout: .seconds(30), "the first answer handled") {
                try await int("SELECT count(*)::integer FROM synthesis.inbox WHERE message_type = 'statement.voted'", database) == 1
            }
            try await publish([vote(.disagree, at: agreedAt.addingTimeInterval(0.001))])
            try await eventually(timeout: .seconds(30), "the changed answer handled") {
                try await int("SELECT count(*)::integer FROM synthesis.inbox WHERE message_type = 'statement.voted'", database) == 2
            }
            try await publish([vote(.pass, at: agreedAt.addingTimeInterval(-1))])
            try await eventually(timeout: .seconds(30), "the late answer handled") {
                try await int("SELECT count(*)::integer FROM synthesis.inbox WHERE message_type = 'statement.voted'", database) == 3
            }

            // check: one vote, the latest (disagree is -1), counted as new twice toward the next recompute
            #expect(try await int("SELECT count(*)::integer FROM synthesis.statement_votes", database) == 1)
            #expect(try await int("SELECT vote::integer FROM synthesis.statement_votes", database) == -1)
            #expect(try await int("SELECT votes_since_recompute FROM synthesis.opinion_maps", database) == 2)
        }
    }
}
