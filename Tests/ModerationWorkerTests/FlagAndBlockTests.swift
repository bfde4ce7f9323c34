import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Citizens' flags (*signalements*) and blocked accounts.
@Suite struct FlagAndBlockTests {
    private func flag(
        _ harness: ModerationHarness, _ content: UUID, type: ContentType = .forumPost, by reporter: String, reason: String = "injure"
    ) async throws -> Bool {
        try await harness.rpc.request(FlagContent(
            contentType: type, contentID: content, reporterKey: reporter, reasonCode: reason, comment: "Ce message me choque.",
            reporter: FlagReporter(accountID: UUID(), confirmed: true, accountCreatedAt: Date().addingTimeInterval(-90 * 86_400))
        )).recorded
    }

    @Test func enoughDistinctFlagsHoldAVisibleItem() async throws {
        try await withModerationWorker { harness in
            // setup: a post-moderated forum post, published at once (3 flags of confirmed
            // accounts old enough hold an item)
            let post = try await harness.submit(ForumPostSubmitted.self, text: Samples.clean)
            let item = try await harness.item(of: post)
            #expect(item.summary.visible)

            // act: one reporter flags twice, then two others
            let first = try await flag(harness, post, by: "compte:a1")
            let repeated = try await flag(harness, post, by: "compte:a1", reason: "spam")
            let second = try await flag(harness, post, by: "compte:b2", reason: "autre")
            let afterTwo = try await harness.rpc.request(GetModerationItem(itemID: item.summary.id)).summary
            let third = try await flag(harness, post, by: "compte:c3")

            // check: one flag per reporter (the item, post-moderated, waits in the queue
            // shown); the third distinct one holds it
            #expect([first, repeated, second, third] == [true, false, true, true])
            #expect(afterTwo.visible)
            #expect(afterTwo.status == .pending)
            #expect(afterTwo.flagCount == 2)
            let held = try await harness.rpc.request(GetModerationItem(itemID: item.summary.id))
            #expect(held.summary.visible == false)
            #expect(held.summary.status == .pending)
            #expect(held.summary.flagCount == 3)
            #expect(held.flags.map(\.reasonLabel) == [
                "Propos injurieux, haineux ou discriminatoires", "Autre raison", "Propos injurieux, haineux ou discriminatoires",
            ])
            #expect(held.flags.allSatisfy { $0.comment == "Ce message me choque." })
            let events = try await harness.decisionEvents(of: post)
            #expect(events.map(\.rule) == ["post_moderation", "flags"])
            let hold = try #require(events.last)
            #expect(hold.visible == false)
            #expect(hold.status == .pending)
            #expect(hold.isHeldByFlags)
            #expect(hold.decidedBy == nil)
            #expect(try await harness.auditRows(of: item.summary.id).last == "pending>pending|false|Règle automatique : masqué après signalements|flags|-")
            // the queue's filter shows it
            let flagged = try await harness.rpc.request(ListModerationItems(flaggedOnly: true))
            #expect(flagged.items.map(\.id) == [item.summary.id])

            // act: a moderator publishes it again; a later flag counts from that decision
            _ = try await harness.decide([held.summary], .published)
            #expect(try await flag(harness, post, by: "compte:d4"))

            // check: one flag since the decision does not hold it again (it is back in the queue)
            let republished = try await harness.rpc.request(GetModerationItem(itemID: item.summary.id)).summary
            #expect(republished.visible)
            #expect(republished.status == .pending)
            #expect(republished.flagCount == 4)
        }
    }

    @Test func flagsOfUnknownContentOrReasonAreRefused() async throws {
        try await withModerationWorker { harness in
            // setup
            let post = try await harness.submit(ForumPostSubmitted.self, text: Samples.clean)
            let itemID = try await harness.itemID(of: post)

            // act
            let unknownContent = await #expect(throws: RequestFailure.self) { try await flag(harness, UUID(), by: "compte:a1") }
            let wrongType = await #expect(throws: RequestFailure.self) { try await flag(harness, post, type: .testimony, by: "compte:a1") }
            let unknownReason = await #expect(throws: RequestFailure.self) { try await flag(harness, post, by: "compte:a1", reason: "hors_sujet") }

            // check
            #expect(unknownContent?.code == .notFound)
            #expect(wrongType?.code == .notFound)
            #expect(unknownReason?.code == .invalid)
            #expect(unknownReason?.field == "reason")
            #expect(try await harness.probe.int("SELECT count(*)::int8 FROM moderation.flags") == 0)
            #expect(try await harness.rpc.request(GetModerationItem(itemID: itemID)).summary.flagCount == 0)
        }
    }

    @Test func blockingWithHiddenContentHidesTheAuthorsItemsAndHoldsTheNextOne() async throws {
        try await withModerationWorker { harness in
            // setup: the author has a visible forum post, a visible proposal and a petition in
            // pre-moderation; someone else has a visible post
            let author = UUID()
            let post = try await harness.submit(ForumPostSubmitted.self, text: Samples.clean, author: author)
            let proposal = try await harness.submit(ProposalSubmitted.self, text: Samples.original, author: author)
            let petition = try await harness.submit(PetitionSubmitted.self, title: "Le TER du soir", text: Samples.otherInsult, author: author)
            let neighbour = try await harness.submit(ForumPostSubmitted.self, text: Samples.cleanOther, author: UUID())
            for content in [post, proposal, petition, neighbour] { _ = try await harness.itemID(of: content) }

            // act
            let outcome = try await harness.rpc.request(BlockAccount(
                accountID: author, hideContent: true, reason: "Messages insultants répétés malgré deux avertissements.",
                moderatorID: ModerationHarness.moderator.id, moderatorName: ModerationHarness.moderator.name
            ))
            let next = try await harness.submit(ForumPostSubmitted.self, text: Samples.shouting, author: author)

            // check: the two visible items are hidden, each with its event
            #expect(outcome.hiddenItems == 2)
            for content in [post, proposal] {
                let item = try await harness.item(of: content)
                #expect(item.summary.visible == false)
                #expect(item.authorBlocked)
                let hidden = try #require(try await harness.decisionEvents(of: content).last)
                #expect(hidden.visible == false)
                #expect(hidden.rule == "blocked_account")
                #expect(hidden.decidedBy == ModerationHarness.moderator.id)
                #expect(hidden.comment?.contains("avertissements") == true)
            }
            #expect(try await harness.decisionEvents(of: petition).count == 1)
            #expect(try await harness.item(of: neighbour).summary.visible)
            #expect(try await harness.item(of: neighbour).authorBlocked == false)
            // the next submission is held, whatever the policy
            let held = try await harness.item(of: next)
            #expect(held.summary.visible == false)
            #expect(try await harness.decisionEvents(of: next).map(\.rule) == ["blocked_account"])
        }
    }

    @Test func blockingWithContentKeptShowsTheItemsButHoldsTheNextOne() async throws {
        try await withModerationWorker { harness in
            // setup
            let author = UUID()
            let post = try await harness.submit(ForumPostSubmitted.self, text: Samples.clean, author: author)
            let item = try await harness.item(of: post)
            #expect(item.summary.visible)

            // act
            let outcome = try await harness.rpc.request(BlockAccount(
                accountID: author, hideContent: false, reason: "Publicité déguisée.",
                moderatorID: ModerationHarness.moderator.id, moderatorName: ModerationHarness.moderator.name
            ))
            let next = try await harness.submit(ForumPostSubmitted.self, text: Samples.original, author: author)

            // check
            #expect(outcome.hiddenItems == 0)
            let kept = try await harness.item(of: post)
            #expect(kept.summary.visible)
            #expect(kept.authorBlocked)
            #expect(try await harness.decisionEvents(of: post).count == 1)
            #expect(try await harness.item(of: next).summary.visible == false)
            #expect(try await harness.decisionEvents(of: next).map(\.visible) == [false])

            // a reason is required
            let failure = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(BlockAccount(
                    accountID: UUID(), hideContent: true, reason: " ", moderatorID: ModerationHarness.moderator.id, moderatorName: "Claire Moreau"
                ))
            }
            #expect(failure?.field == "reason")
        }
    }
}
