import ConsultationService
import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Pol.is's next-statement priority, against figures computed by hand.
@Suite struct StatementPriorityTests {
    @Test func thePriorityFollowsTheIssuesFormula() {
        // A new statement: p = 1/2, a = 1/2, importance = ½·1·½ = ¼, novelty 1 + 8 = 9 → (9/4)² = 5.0625.
        #expect(abs(StatementPriority.priority(agrees: 0, passes: 0, shown: 0, extremity: 0) - 5.0625) < 1e-12)
        // A 3, D 1, P 1, S 5, E ½: p = 2/7, a = 4/7, importance = 5/7 · 3/2 · 4/7 = 30/49,
        // novelty 1 + 8·2^−1 = 5 → (150/49)² = 22500/2401.
        #expect(abs(StatementPriority.priority(agrees: 3, passes: 1, shown: 5, extremity: 0.5) - 22_500.0 / 2_401.0) < 1e-12)
        // A 10, P 10, S 20, E 1: p = a = ½, importance = ½·2·½ = ½, novelty 1 + 8/16 = 1.5 → 0.75² = 0.5625.
        #expect(abs(StatementPriority.priority(agrees: 10, passes: 10, shown: 20, extremity: 1) - 0.5625) < 1e-12)
        // The extremity raises the importance: E = 1 doubles it, so the priority is four times.
        let plain = StatementPriority.priority(agrees: 2, passes: 1, shown: 4, extremity: 0)
        #expect(abs(StatementPriority.priority(agrees: 2, passes: 1, shown: 4, extremity: 1) - 4 * plain) < 1e-12)
    }

    @Test func theNextStatementIsTheHighestPriorityNeverOneAlreadyAnswered() {
        let now = Date()
        // Well agreed and old (A 18, P 0, S 20): p = 1/22, a = 19/22, importance ≈ 0.8244, novelty 1.5 → ≈ 1.529.
        let agreed = StatementPriority.Candidate(id: UUID(), agrees: 18, disagrees: 2, passes: 0, extremity: 0, createdAt: now.addingTimeInterval(-60))
        // New (S 0) → 5.0625.
        let new = StatementPriority.Candidate(id: UUID(), agrees: 0, disagrees: 0, passes: 0, extremity: 0, createdAt: now)
        // Passed by most (A 1, P 8, S 10): p = 9/12, a = 2/12, importance = ¼·⅙, novelty 1 + 8/4 = 3 → 0.125² = 0.015625.
        let passed = StatementPriority.Candidate(id: UUID(), agrees: 1, disagrees: 1, passes: 8, extremity: 0, createdAt: now.addingTimeInterval(-30))
        #expect(abs(passed.priority - 0.015625) < 1e-12)

        #expect(StatementPriority.next(among: [agreed, passed, new], answered: []) == new)
        #expect(StatementPriority.next(among: [agreed, passed, new], answered: [new.id]) == agreed)
        #expect(StatementPriority.next(among: [agreed, passed, new], answered: [new.id, agreed.id]) == passed)
        #expect(StatementPriority.next(among: [agreed, passed, new], answered: [new.id, agreed.id, passed.id]) == nil)
    }

    @Test func equalPrioritiesGoToTheOlderStatementWhateverTheOrder() {
        let older = StatementPriority.Candidate(id: UUID(), agrees: 0, disagrees: 0, passes: 0, extremity: 0, createdAt: Date(timeIntervalSince1970: 100))
        let newer = StatementPriority.Candidate(id: UUID(), agrees: 0, disagrees: 0, passes: 0, extremity: 0, createdAt: Date(timeIntervalSince1970: 200))
        #expect(StatementPriority.next(among: [newer, older], answered: []) == older)
        #expect(StatementPriority.next(among: [older, newer], answered: []) == older)
    }
}

/// Statements over RPC, against the real service, database and broker.
@Suite struct StatementTests {
    /// Publishes moderation's decision on a statement and waits until it is applied.
    func decide(_ statement: UUID, visible: Bool = true, revision: Int = 1, _ harness: ForumHarness) async throws {
        try await publishEvent(
            ModerationDecisionMade(
                itemID: UUID(), contentType: .statement, contentID: statement, ownerService: .consultations, status: visible ? .published : .rejected,
                visible: visible, reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: nil, rule: "post_moderation", decidedAt: Date(),
                revision: revision
            ),
            topology: harness.topology
        )
        try await eventually("the decision applied") {
            try await harness.int("SELECT moderation_revision FROM consultations.forum_statements WHERE id = \(statement)") == revision
        }
    }

    func shownStatement(_ text: String, in forum: UUID, _ harness: ForumHarness) async throws -> StatementView {
        let statement = try await harness.rpc.request(SubmitStatement(forumID: forum, text: text, author: ForumHarness.citizen))
        try await decide(statement.id, harness)
        return statement
    }

    func vote(_ statement: UUID, _ vote: ForumReaction, by account: UUID, _ harness: ForumHarness) async throws -> StatementVoteReceipt {
        try await harness.rpc.request(VoteOnStatement(statementID: statement, accountID: account, vote: vote))
    }

    func mapUpdate(_ forum: UUID, _ extremities: [(UUID, Double)], at computedAt: Date) -> ForumOpinionMapUpdated {
        ForumOpinionMapUpdated(
            forumID: forum, shown: !extremities.isEmpty, qualifyingParticipants: extremities.isEmpty ? 3 : 15, groupCount: extremities.isEmpty ? 0 : 2,
            extremities: extremities.map { StatementExtremity(statementID: $0.0, extremity: $0.1) }, computedAt: computedAt
        )
    }

    @Test func aStatementOver140CharactersOrEmptyIsRefusedInFrenchAndNothingIsStored() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup
            let forum = try await harness.openForum(ForumHarness.draft(mode: .beforePublication))

            // act
            let tooLong = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(SubmitStatement(forumID: forum.id, text: String(repeating: "é", count: 141), author: ForumHarness.citizen))
            }
            let empty = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(SubmitStatement(forumID: forum.id, text: "   ", author: ForumHarness.citizen))
            }
            let longest = try await harness.rpc.request(
                SubmitStatement(forumID: forum.id, text: String(repeating: "é", count: 140), author: ForumHarness.citizen)
            )

            // check
            #expect(tooLong?.code == .invalid && tooLong?.field == "text")
            #expect(tooLong?.message == "Une affirmation compte au plus 140 caractères : la vôtre en compte 141, raccourcissez-la.")
            #expect(empty?.code == .invalid && empty?.message == "Écrivez votre affirmation.")
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.forum_statements") == 1)
            // the one stored goes to moderation hidden, with the forum's policy
            #expect(!longest.visible && longest.moderationStatus == "pending")
            let submitted = try await harness.outbox(StatementSubmitted.self)
            #expect(submitted.map(\.content.contentID) == [longest.id])
            #expect(submitted.first?.content.moderationMode == "pre")
            #expect(submitted.first?.content.ownerService == .consultations)
        }
    }

    @Test func aHiddenStatementIsNeitherProposedNorVotedUntilModerationShowsIt() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup
            let forum = try await harness.openForum()
            let statement = try await harness.rpc.request(SubmitStatement(forumID: forum.id, text: "Le vélo d'abord", author: ForumHarness.citizen))
            let voter = UUID()

            // act
            let before = try await harness.rpc.request(GetNextStatement(forumID: forum.id, accountID: voter))
            let hidden = await #expect(throws: RequestFailure.self) { try await vote(statement.id, .agree, by: voter, harness) }
            try await decide(statement.id, harness)
            let shown = try await harness.rpc.request(GetNextStatement(forumID: forum.id, accountID: voter))
            try await decide(statement.id, visible: false, revision: 2, harness)
            let rejected = try await harness.rpc.request(GetNextStatement(forumID: forum.id, accountID: voter))

            // check
            #expect(before.statement == nil && before.remaining == 0)
            #expect(hidden?.code == .notFound && hidden?.message == "Cette affirmation n'existe pas ou n'est pas encore publiée.")
            #expect(shown.statement?.id == statement.id && shown.remaining == 1)
            #expect(rejected.statement == nil)
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.forum_statement_votes") == 0)
        }
    }

    @Test func eachParticipantIsShownStatementsByPriorityAndNeverTheSameTwice() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup: three shown statements; three other people pass the first and agree with the second
            let forum = try await harness.openForum()
            let passed = try await shownStatement("Les bus devraient être gratuits", in: forum.id, harness)
            let agreed = try await shownStatement("Il faut plus de trains le soir", in: forum.id, harness)
            let fresh = try await shownStatement("Le covoiturage mérite une prime", in: forum.id, harness)
            for _ in 0..<3 {
                let other = UUID()
                _ = try await vote(passed.id, .pass, by: other, harness)
                _ = try await vote(agreed.id, .agree, by: other, harness)
            }
            let person = UUID()

            // act: the person answers whatever is proposed until nothing is left
            var proposed: [UUID] = []
            var next = try await harness.rpc.request(GetNextStatement(forumID: forum.id, accountID: person))
            while let statement = next.statement, proposed.count < 10 {
                proposed.append(statement.id)
                _ = try await vote(statement.id, .disagree, by: person, harness)
                next = try await harness.rpc.request(GetNextStatement(forumID: forum.id, accountID: person))
            }

            // check: by hand, S 3 gives novelty 1 + 8·2^−0.6 ≈ 6.278; agreed (A 3): p = 1/5, a = 4/5,
            // importance 0.64 → ≈ 16.14; fresh (S 0) → 5.0625; passed (P 3): p = 4/5, a = 1/5,
            // importance 0.04 → ≈ 0.063.
            #expect(proposed == [agreed.id, fresh.id, passed.id])
            #expect(next.answered == 3 && next.remaining == 0)
            // each answer announced once, under one pseudonym that is not the account
            let voted = try await harness.outbox(StatementVoted.self).filter { $0.vote == .disagree }
            #expect(voted.map(\.statementID) == proposed)
            #expect(Set(voted.map(\.participantID)).count == 1)
            #expect(voted.allSatisfy { $0.participantID != person && $0.forumID == forum.id })
        }
    }

    @Test func aSecondAnswerReplacesTheFirstAndTheSameAnswerAgainChangesNothing() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup
            let forum = try await harness.openForum()
            let statement = try await shownStatement("Il faut plus de trains le soir", in: forum.id, harness)
            let person = UUID()
            let other = UUID()
            _ = try await vote(statement.id, .pass, by: other, harness)

            // act: the form sent twice at once, then another answer, then that one again
            let receipts = try await withThrowingTaskGroup(of: StatementVoteReceipt.self) { group in
                for _ in 0..<2 { group.addTask { try await vote(statement.id, .agree, by: person, harness) } }
                var receipts: [StatementVoteReceipt] = []
                for try await receipt in group { receipts.append(receipt) }
                return receipts
            }
            let changed = try await vote(statement.id, .disagree, by: person, harness)
            let again = try await vote(statement.id, .disagree, by: person, harness)
            let listed = try await harness.rpc.request(ListForumStatements(forumID: forum.id, viewerAccountID: person))
            let anonymousList = try await harness.rpc.request(ListForumStatements(forumID: forum.id))
            let next = try await harness.rpc.request(GetNextStatement(forumID: forum.id, accountID: person))

            // check: one answer each, the person's the latest; each change announced once, dated after the one it replaces
            #expect(receipts.filter(\.recorded).count == 1)
            #expect(changed.recorded && changed.forumID == forum.id)
            #expect(!again.recorded)
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.forum_statement_votes") == 2)
            #expect(listed.items.map(\.votes) == [ForumReactionCounts(agree: 0, disagree: 1, pass: 1, mine: .disagree)])
            #expect(anonymousList.items.map(\.votes) == [ForumReactionCounts(agree: 0, disagree: 1, pass: 1, mine: nil)])
            let announced = try await harness.outbox(StatementVoted.self).filter { $0.vote != .pass }
            #expect(announced.map(\.vote) == [.agree, .disagree])
            #expect(Set(announced.map(\.participantID)).count == 1)
            let (firstDate, lastDate) = (try #require(announced.first).votedAt, try #require(announced.last).votedAt)
            #expect(lastDate > firstDate)
            // an answered statement, even changed, is not proposed again
            #expect(next.statement == nil && next.answered == 1)
        }
    }

    @Test func statementsOfAForumThatIsNotOpenYetAreNotFound() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup
            let upcoming = try await harness.openForum(ForumHarness.draft(opensAt: Date(timeIntervalSinceNow: 86_400)))

            // act
            let refusal = await #expect(throws: RequestFailure.self) { try await harness.rpc.request(ListForumStatements(forumID: upcoming.id)) }
            let unknown = await #expect(throws: RequestFailure.self) { try await harness.rpc.request(ListForumStatements(forumID: UUID())) }

            // check
            #expect(refusal?.code == .notFound && unknown?.code == .notFound)
        }
    }

    @Test func votesAndStatementsAreRefusedInAClosedForum() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup
            let forum = try await harness.openForum()
            let statement = try await shownStatement("Il faut plus de trains le soir", in: forum.id, harness)
            try await Probe.on(harness.database) { probe in
                try await probe.execute("UPDATE consultations.forums SET status = 'closed' WHERE id = \(forum.id)")
            }

            // act
            let refusedVote = await #expect(throws: RequestFailure.self) { try await vote(statement.id, .agree, by: UUID(), harness) }
            let submit = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(SubmitStatement(forumID: forum.id, text: "Trop tard", author: ForumHarness.citizen))
            }

            // check
            #expect(refusedVote?.code == .conflict && refusedVote?.message == "Ce forum est clos : il ne prend plus de vote.")
            #expect(submit?.code == .conflict && submit?.field == "forum")
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.forum_statement_votes") == 0)
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.forum_statements") == 1)
        }
    }

    @Test func theMapsExtremitiesRaiseAStatementsPriorityAndAnOlderMapIsIgnored() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup: two new statements; the older would come first
            let forum = try await harness.openForum()
            let first = try await shownStatement("Il faut plus de trains le soir", in: forum.id, harness)
            let second = try await shownStatement("Le covoiturage mérite une prime", in: forum.id, harness)
            let person = UUID()
            let before = try await harness.rpc.request(GetNextStatement(forumID: forum.id, accountID: person))
            let computedAt = Date()
            @Sendable func handledMaps() async throws -> Int {
                try await harness.int("SELECT count(*)::integer FROM consultations.inbox WHERE message_type = 'forum.opinion_map_updated'")
            }

            // act: a map finds the second the most extreme; an older map (not shown) arrives late;
            // a later one no longer places the first statement
            try await publishEvent(mapUpdate(forum.id, [(second.id, 1), (first.id, 0.25)], at: computedAt), topology: harness.topology)
            try await eventually("the first map handled") { try await handledMaps() == 1 }
            let afterMap = try await harness.rpc.request(GetNextStatement(forumID: forum.id, accountID: person))
            try await publishEvent(mapUpdate(forum.id, [], at: computedAt.addingTimeInterval(-60)), topology: harness.topology)
            try await eventually("the older map handled") { try await handledMaps() == 2 }
            let afterOlder = try await harness.texts("SELECT extremity::text FROM consultations.forum_statements ORDER BY created_at")
            try await publishEvent(mapUpdate(forum.id, [(second.id, 1)], at: computedAt.addingTimeInterval(60)), topology: harness.topology)
            try await eventually("the later map handled") { try await handledMaps() == 3 }
            let afterLater = try await harness.texts("SELECT extremity::text FROM consultations.forum_statements ORDER BY created_at")

            // check
            #expect(before.statement?.id == first.id)
            #expect(afterMap.statement?.id == second.id)
            #expect(afterOlder == ["0.25", "1"])
            #expect(afterLater == ["0", "1"])
        }
    }
}
