import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Pre-moderation (hidden until approved) and post-moderation (published, reviewed after),
/// per content type, as the owner services learn it from `moderation.decision_made`.
@Suite struct PolicyTests {
    @Test func aContentsOwnModeReplacesItsTypesMode() async throws {
        try await withModerationWorker { harness in
            // act: forum posts are post-moderated by default; a forum moderated before publication says so for its posts
            let before = try await harness.submit(ForumPostSubmitted.self, text: Samples.clean, moderationMode: "pre")
            let after = try await harness.submit(PetitionSubmitted.self, title: "Le TER du soir", text: Samples.cleanOther, moderationMode: "post")
            let beforeItem = try await harness.item(of: before)
            let afterItem = try await harness.item(of: after)

            // check
            #expect(beforeItem.summary.visible == false)
            #expect(try await harness.decisionEvents(of: before).first?.rule == "pre_moderation")
            #expect(afterItem.summary.visible)
            #expect(try await harness.decisionEvents(of: after).first?.rule == "post_moderation")
        }
    }

    @Test func preModeratedItemIsHiddenAndPostModeratedItemIsShown() async throws {
        try await withModerationWorker { harness in
            // act: by default petitions are pre-moderated and forum posts post-moderated
            let petition = try await harness.submit(PetitionSubmitted.self, title: "Le TER du soir", text: Samples.clean)
            let post = try await harness.submit(ForumPostSubmitted.self, text: Samples.cleanOther)
            let petitionItem = try await harness.item(of: petition)
            let postItem = try await harness.item(of: post)

            // check: the items
            #expect(petitionItem.summary.status == .pending)
            #expect(petitionItem.summary.visible == false)
            #expect(postItem.summary.status == .pending)
            #expect(postItem.summary.visible)

            // check: one event each, for the owner service to show or hide the content
            let petitionEvents = try await harness.decisionEvents(of: petition)
            let postEvents = try await harness.decisionEvents(of: post)
            #expect(petitionEvents.count == 1)
            #expect(postEvents.count == 1)
            let hidden = try #require(petitionEvents.first)
            #expect(hidden.visible == false)
            #expect(hidden.status == .pending)
            #expect(hidden.rule == "pre_moderation")
            #expect(hidden.decidedBy == nil)
            #expect(hidden.itemID == petitionItem.summary.id)
            #expect(hidden.contentType == .petition)
            #expect(hidden.ownerService == .petitions)
            #expect(hidden.revision == petitionItem.summary.revision)
            let shown = try #require(postEvents.first)
            #expect(shown.visible)
            #expect(shown.rule == "post_moderation")
            #expect(shown.contentType == .forumPost)

            // check: the audit log names the rule
            #expect(try await harness.auditRows(of: petitionItem.summary.id) == [
                "->pending|false|Règle automatique : prémodération (masqué jusqu'à validation)|pre_moderation|-"
            ])
            #expect(try await harness.auditRows(of: postItem.summary.id) == [
                "->pending|true|Règle automatique : postmodération (publié, à relire)|post_moderation|-"
            ])
        }
    }

    @Test func policyChangeAppliesToTheNextItem() async throws {
        try await withModerationWorker { harness in
            // setup: testimonies are pre-moderated
            let before = try await harness.submitAndRead(TestimonySubmitted.self, text: Samples.clean)
            #expect(before.summary.visible == false)

            // act: staff switch testimonies to post-moderation
            let settings = try await harness.setPolicy(
                .testimony, mode: "post", holdScore: 80, flagsToHold: 5, flagAccountMinimumDays: 30, audiencePerExtraFlag: 20
            )
            let after = try await harness.submit(TestimonySubmitted.self, text: Samples.original)
            let afterItem = try await harness.item(of: after)

            // check: the new policy is stored and the next testimony is published at once
            #expect(settings.policies.first { $0.contentType == .testimony } == ModerationPolicy(
                contentType: .testimony, mode: "post", holdScore: 80, flagsToHold: 5, flagAccountMinimumDays: 30, audiencePerExtraFlag: 20
            ))
            #expect(try await harness.rpc.request(GetModerationSettings()) == settings)
            #expect(afterItem.summary.visible)
            #expect(try await harness.decisionEvents(of: after).map(\.rule) == ["post_moderation"])
            // the earlier item keeps its placement
            #expect(try await harness.rpc.request(GetModerationItem(itemID: before.summary.id)).summary.visible == false)
            #expect(try await harness.probe.texts("SELECT updated_by FROM moderation.policies WHERE content_type = 'testimony'") == ["Claire Moreau"])
        }
    }

    @Test func holdScoreOfThePolicyDecidesTheAutomaticHold() async throws {
        try await withModerationWorker { harness in
            // setup: an insult scores below a hold score of 101 ("never")
            try await harness.setPolicy(.forumPost, mode: "post", holdScore: 101)
            let kept = try await harness.submitAndRead(ForumPostSubmitted.self, text: Samples.insult)
            #expect(kept.summary.score > 0)
            #expect(kept.summary.visible)

            // act: the hold score drops to the insult's score
            try await harness.setPolicy(.forumPost, mode: "post", holdScore: kept.summary.score)
            let held = try await harness.submitAndRead(ForumPostSubmitted.self, text: Samples.otherInsult)

            // check
            #expect(held.summary.score >= kept.summary.score)
            #expect(held.summary.visible == false)
            #expect(held.history.last?.decidedBy.contains("score élevé") == true)
        }
    }

    @Test func invalidPoliciesAreRefused() async throws {
        try await withModerationWorker { harness in
            // act
            let mode = await #expect(throws: RequestFailure.self) { try await harness.setPolicy(.petition, mode: "aucune") }
            let score = await #expect(throws: RequestFailure.self) { try await harness.setPolicy(.petition, mode: "pre", holdScore: 0) }
            let flags = await #expect(throws: RequestFailure.self) { try await harness.setPolicy(.petition, mode: "pre", flagsToHold: -1) }
            let age = await #expect(throws: RequestFailure.self) {
                try await harness.setPolicy(.petition, mode: "pre", flagsToHold: 5, flagAccountMinimumDays: 3651)
            }
            let audience = await #expect(throws: RequestFailure.self) {
                try await harness.setPolicy(.petition, mode: "pre", flagsToHold: 5, audiencePerExtraFlag: 0)
            }

            // check
            #expect(mode?.code == .invalid)
            #expect(mode?.field == "mode")
            #expect(score?.field == "hold_score")
            #expect(flags?.field == "flags_to_hold")
            #expect(age?.field == "flag_account_minimum_days")
            #expect(audience?.field == "audience_per_extra_flag")
            // petitions need 5 confirmed accounts a week old, one more per 100 signatures
            let policy = try await harness.rpc.request(GetModerationSettings()).policies.first { $0.contentType == .petition }
            #expect(policy == ModerationPolicy(
                contentType: .petition, mode: "pre", holdScore: 60, flagsToHold: 5, flagAccountMinimumDays: 7, audiencePerExtraFlag: 100
            ))
        }
    }

    @Test func aPolicyOfTheFirstVersionKeepsTheFlagRulesDefaults() throws {
        // setup: `UpdateModerationPolicy` version 1, before the flag rules' age and audience step
        let body = #"{"policy":{"contentType":"petition","mode":"pre","holdScore":60,"flagsToHold":4},"moderatorName":"Claire Moreau"}"#

        // act
        let request = try MessageCoding.decode(UpdateModerationPolicy.self, from: Array(body.utf8))

        // check
        #expect(request.policy == ModerationPolicy(
            contentType: .petition, mode: "pre", holdScore: 60, flagsToHold: 4, flagAccountMinimumDays: 7, audiencePerExtraFlag: 100
        ))
    }
}
