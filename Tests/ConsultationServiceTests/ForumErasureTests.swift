import ConsultationService
import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// `account.erased` in forums: the person's threads, posts and statements stay under a
/// neutral name and belong to no account; their reactions and statement answers still count
/// but lead to no account; the event delivered twice is applied once.
@Suite struct ForumErasureTests {
    /// Publishes the same message (one message id) `times` times, as a redelivery would.
    func publishErasure(_ event: AccountErased, times: Int, topology: MessagingTopology) async throws {
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, name: "test-erasure", declarations: topology.exchanges, logger: TestEnvironment.logger)
        await publisher.connect()
        let message = OutgoingMessage(
            exchange: topology.eventsExchange, routingKey: AccountErased.messageType, body: try MessageCoding.encode(event),
            messageID: UUID().uuidString.lowercased(), type: AccountErased.messageType,
            headers: ["schema-version": .int(Int64(AccountErased.schemaVersion))]
        )
        do {
            for _ in 0..<times { try await publisher.publish(message) }
        } catch {
            await publisher.close()
            throw error
        }
        await publisher.close()
    }

    func showStatement(_ statement: UUID, _ harness: ForumHarness) async throws {
        try await publishEvent(
            ModerationDecisionMade(
                itemID: UUID(), contentType: .statement, contentID: statement, ownerService: .consultations, status: .published, visible: true,
                reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: nil, rule: "post_moderation", decidedAt: Date(), revision: 1
            ),
            topology: harness.topology
        )
        try await eventually("the statement shown") {
            try await harness.int("SELECT count(*)::integer FROM consultations.forum_statements WHERE id = \(statement) AND visible") == 1
        }
    }

    @Test func anErasedPersonsWritingsStayUnderANeutralNameAndTheirVotesStillCountUnlinked() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup: Camille opens a thread, answers herself, proposes a statement, reacts and
            // answers statements; Dominique, who stays, does the same on her posts
            let camille = ForumAuthor(accountID: UUID(), publicName: "Camille Martin")
            let dominique = ForumAuthor(accountID: UUID(), publicName: "Dominique Roux")
            let forum = try await harness.openForum()
            let opening = try await harness.openShownThread(in: forum.id, by: camille)
            let reply = try await harness.rpc.request(ReplyInForumThread(
                threadID: opening.threadID, parentPostID: opening.id, quotedPostID: nil, body: "Et le dimanche aussi.", author: camille
            ))
            try await harness.publish(reply.id)
            let answer = try await harness.rpc.request(ReplyInForumThread(
                threadID: opening.threadID, parentPostID: opening.id, quotedPostID: reply.id, body: "Bonne idée.", author: dominique
            ))
            try await harness.publish(answer.id)
            let statement = try await harness.rpc.request(SubmitStatement(forumID: forum.id, text: "Il faut plus de trains le soir", author: camille))
            try await showStatement(statement.id, harness)
            let other = try await harness.rpc.request(SubmitStatement(forumID: forum.id, text: "Le vélo d'abord", author: dominique))
            try await showStatement(other.id, harness)
            for person in [camille, dominique] {
                _ = try await harness.rpc.request(ReactToForumPost(postID: opening.id, accountID: person.accountID, reaction: .agree))
                _ = try await harness.rpc.request(VoteOnStatement(statementID: statement.id, accountID: person.accountID, vote: .agree))
                _ = try await harness.rpc.request(VoteOnStatement(statementID: other.id, accountID: person.accountID, vote: .disagree))
            }
            let pseudonymsBefore = try await harness.texts("SELECT participant_id::text FROM consultations.forum_statement_votes ORDER BY 1")
            let statementsBefore = try await harness.rpc.request(ListForumStatements(forumID: forum.id))

            // act: Camille erases her account; the event arrives twice
            try await publishErasure(AccountErased(accountID: camille.accountID, normalizedEmails: [], erasedAt: Date()), times: 2, topology: harness.topology)
            try await eventually("the erasure applied") {
                try await harness.int("SELECT count(*)::integer FROM consultations.forum_posts WHERE author_account_id = \(camille.accountID)") == 0
            }
            try await eventually("the duplicate claimed once") {
                try await harness.int("SELECT count(*)::integer FROM consultations.inbox WHERE message_type = \(AccountErased.messageType)") == 1
            }

            // check: her posts and thread are still there, in place, under the neutral name and nobody's
            let page = try await harness.rpc.request(GetForumThread(threadID: opening.threadID, page: 1, viewerAccountID: camille.accountID))
            #expect(page.thread.authorName == AccountErased.anonymousAuthorName)
            #expect(page.posts.map(\.id) == [opening.id, reply.id, answer.id])
            #expect(page.posts.map(\.authorName) == [AccountErased.anonymousAuthorName, AccountErased.anonymousAuthorName, "Dominique Roux"])
            #expect(page.posts.map(\.authorAccountID) == [nil, nil, dominique.accountID])
            #expect(page.posts.map(\.body) == ["Il faut plus de trains le soir.", "Et le dimanche aussi.", "Bonne idée."])
            #expect(page.posts.last?.quotedPostID == reply.id)
            // her statement too, and every answer still counts
            #expect(try await harness.texts("SELECT author_name FROM consultations.forum_statements WHERE id = \(statement.id)") == [AccountErased.anonymousAuthorName])
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.forum_statements WHERE author_account_id IS NULL") == 1)
            let statementsAfter = try await harness.rpc.request(ListForumStatements(forumID: forum.id))
            #expect(statementsAfter.items.map(\.votes) == statementsBefore.items.map(\.votes))
            #expect(statementsAfter.items.map(\.votes.agree) == [2, 0] && statementsAfter.items.map(\.votes.disagree) == [0, 2])
            #expect(page.posts.first?.reactions.agree == 2)
            // the map's pseudonyms are unchanged (the reporter's votes still match), but hers leads to no account
            #expect(try await harness.texts("SELECT participant_id::text FROM consultations.forum_statement_votes ORDER BY 1") == pseudonymsBefore)
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.forum_statement_participants WHERE account_id IS NULL") == 1)
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.forum_reactions WHERE account_id IS NULL") == 1)
            // nothing of the forums names her account any more; Dominique keeps hers
            let remaining = try await harness.int("""
                SELECT ((SELECT count(*) FROM consultations.forum_threads WHERE author_account_id = \(camille.accountID))
                      + (SELECT count(*) FROM consultations.forum_posts WHERE author_account_id = \(camille.accountID))
                      + (SELECT count(*) FROM consultations.forum_statements WHERE author_account_id = \(camille.accountID))
                      + (SELECT count(*) FROM consultations.forum_reactions WHERE account_id = \(camille.accountID))
                      + (SELECT count(*) FROM consultations.forum_statement_participants WHERE account_id = \(camille.accountID)))::integer
                """)
            #expect(remaining == 0)
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.forum_posts WHERE author_name = 'Camille Martin'") == 0)
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.forum_statement_participants WHERE account_id = \(dominique.accountID)") == 1)
            let dominiquesNext = try await harness.rpc.request(GetNextStatement(forumID: forum.id, accountID: dominique.accountID))
            #expect(dominiquesNext.answered == 2)
            // the same account id answering again (it cannot: the account is gone) would be a stranger to her old answers
            let strangersNext = try await harness.rpc.request(GetNextStatement(forumID: forum.id, accountID: camille.accountID))
            #expect(strangersNext.answered == 0)
        }
    }
}
