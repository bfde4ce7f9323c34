import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Each automatic pre-check reaches the item the moderator reads, with its score and reason,
/// and a score at or above the content type's hold score holds the item hidden.
@Suite struct PreCheckTests {
    @Test func personalDataIsFoundMaskedAndHoldsAPostModeratedItem() async throws {
        try await withModerationWorker { harness in
            // act: forum posts are post-moderated (published at once), unless held
            let post = try await harness.submit(ForumPostSubmitted.self, text: Samples.personalData)
            let item = try await harness.item(of: post)

            // check
            let rules = item.findings.map(\.rule)
            #expect(rules.contains("personal_data.phone"))
            #expect(rules.contains("personal_data.email"))
            let phone = try #require(item.findings.first { $0.rule == "personal_data.phone" })
            #expect(phone.score >= 60)
            #expect(phone.reason.contains("téléphone"))
            #expect(item.findings.allSatisfy { !$0.reason.contains("06 12 34 56 78") && !$0.reason.contains("jeanne.dubois@orange.fr") })
            #expect(item.summary.score == item.findings.map(\.score).max())
            #expect(item.summary.status == .pending)
            #expect(item.summary.visible == false)
            let events = try await harness.decisionEvents(of: post)
            #expect(events.count == 1)
            #expect(events.first?.visible == false)
            #expect(events.first?.rule == "auto_hold")
            #expect(events.first?.status == .pending)
            #expect(item.history.map(\.decidedBy) == ["Règle automatique : retenu par les contrôles (score élevé)"])
        }
    }

    @Test func insultIsReportedWithTheTermQuoted() async throws {
        try await withModerationWorker { harness in
            // act
            let item = try await harness.submitAndRead(ForumPostSubmitted.self, text: Samples.insult)

            // check
            let insult = try #require(item.findings.first { $0.rule == "insult" })
            #expect(insult.score >= 40)
            #expect(insult.reason.contains("injurieux"))
            #expect(item.summary.visible == (item.summary.score < 60))
        }
    }

    @Test func linkSpamIsReported() async throws {
        try await withModerationWorker { harness in
            // act
            let item = try await harness.submitAndRead(ProposalSubmitted.self, title: "Panneaux solaires", text: Samples.linkSpam)

            // check
            let spam = try #require(item.findings.first { $0.rule == "link_spam" })
            #expect(spam.score >= 60)
            #expect(spam.reason.contains("liens"))
            #expect(item.summary.visible == false)
        }
    }

    @Test func shoutingIsReported() async throws {
        try await withModerationWorker { harness in
            // act
            let item = try await harness.submitAndRead(TestimonySubmitted.self, text: Samples.shouting)

            // check
            let shouting = try #require(item.findings.first { $0.rule == "shouting" })
            #expect(shouting.score > 0)
            #expect(shouting.reason.contains("majuscules"))
            #expect(item.findings.allSatisfy { !$0.rule.hasPrefix("personal_data") && $0.rule != "insult" })
        }
    }

    @Test func nearDuplicateOfAnEarlierItemIsReportedWithItsTitle() async throws {
        try await withModerationWorker { harness in
            // setup
            let first = try await harness.submitAndRead(PetitionSubmitted.self, title: "Des bus le dimanche", text: Samples.original)
            #expect(!first.findings.contains { $0.rule == "near_duplicate" })

            // act: the same petition again, lightly edited, by someone else
            let copy = try await harness.submitAndRead(PetitionSubmitted.self, title: "Des bus le dimanche", text: Samples.nearCopy)
            let unrelated = try await harness.submitAndRead(PetitionSubmitted.self, title: "Le TER du soir", text: Samples.clean)

            // check
            let duplicate = try #require(copy.findings.first { $0.rule == "near_duplicate" })
            #expect(duplicate.score >= 70)
            #expect(duplicate.reason.contains("« Des bus le dimanche »"))
            #expect(!unrelated.findings.contains { $0.rule == "near_duplicate" })
        }
    }

    @Test func cleanTextHasNoFindingAndFollowsThePolicy() async throws {
        try await withModerationWorker { harness in
            // act
            let post = try await harness.submitAndRead(ForumPostSubmitted.self, text: Samples.clean)

            // check: no finding, score 0, published at once under post-moderation
            #expect(post.findings.isEmpty)
            #expect(post.summary.score == 0)
            #expect(post.summary.visible)
            #expect(post.summary.status == .pending)
            #expect(post.text == Samples.clean)
        }
    }
}
