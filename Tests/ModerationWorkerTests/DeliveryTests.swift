import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// What reaches the worker's events queue: unknown kinds are parked with their reason,
/// redeliveries have one effect.
@Suite struct DeliveryTests {
    let reasonHeader = "dialogue-dead-letter-reason"

    @Test func submissionOfAnUnknownKindIsDeadLetteredWithTheReason() async throws {
        try await withModerationWorker { harness in
            // setup: a kind nobody moderates yet, routed like the others by `*.submitted`
            let eventsQueue = harness.topology.eventsQueue("moderation")
            let deadQueue = harness.topology.deadLetterQueue(of: eventsQueue)
            let unknownID = "foo-\(UUID().uuidString.lowercased())"
            let unreadableID = "illisible-\(UUID().uuidString.lowercased())"
            let body = try MessageCoding.encode(PetitionSubmitted(content: SubmittedContent(
                contentID: UUID(), ownerService: .consultations, title: nil, text: Samples.clean, authorAccountID: nil, authorName: nil,
                submittedAt: Date()
            )))

            // act: the unknown kind, an unreadable submission, then a valid one
            try await harness.publish(type: "foo.submitted", body: body, messageID: unknownID)
            try await harness.publish(type: PetitionSubmitted.messageType, body: Array(#"{"content": "pas un contenu"}"#.utf8), messageID: unreadableID)
            let valid = try await harness.submit(ForumPostSubmitted.self, text: Samples.clean)
            _ = try await harness.itemID(of: valid)
            try await eventually("poison events parked") {
                try await BrokerAdmin.messageCount(queue: deadQueue, settings: TestEnvironment.amqp) == 2
            }

            // check
            let dead = try await BrokerAdmin.peek(queue: deadQueue, limit: 10, settings: TestEnvironment.amqp)
            let reasons = Dictionary(uniqueKeysWithValues: dead.map { ($0.messageID ?? "-", $0.headers[reasonHeader]?.stringValue ?? "") })
            #expect(reasons[unknownID]?.contains("no moderation for message type foo.submitted") == true)
            #expect(reasons[unreadableID]?.contains("unreadable petition.submitted body") == true)
            #expect(dead.allSatisfy { $0.headers["dialogue-dead-letter-queue"]?.stringValue == eventsQueue })
            #expect(dead.first { $0.messageID == unknownID }?.type == "foo.submitted")
            #expect(try await harness.probe.int("SELECT count(*)::int8 FROM moderation.items") == 1)
            #expect(try await BrokerAdmin.messageCount(queue: eventsQueue, settings: TestEnvironment.amqp) == 0)
        }
    }

    @Test func sameSubmissionDeliveredTwiceMakesOneItem() async throws {
        try await withModerationWorker { harness in
            // setup: one submission published twice under its message id, then a marker
            let content = UUID()
            let messageID = UUID().uuidString.lowercased()
            let submittedAt = Date()

            // act
            for _ in 0..<2 {
                try await harness.submit(
                    PetitionSubmitted.self, title: "Le TER du soir", text: Samples.clean, submittedAt: submittedAt, contentID: content,
                    messageID: messageID
                )
            }
            let marker = try await harness.submit(ForumPostSubmitted.self, text: Samples.cleanOther)
            _ = try await harness.itemID(of: marker)
            try await eventually("both copies handled") {
                try await BrokerAdmin.messageCount(queue: harness.topology.eventsQueue("moderation"), settings: TestEnvironment.amqp) == 0
            }

            // check: one item at its first revision, one audit row, one event
            let item = try await harness.item(of: content)
            #expect(item.summary.revision == 1)
            #expect(item.history.count == 1)
            #expect(try await harness.decisionEvents(of: content).count == 1)
            #expect(try await harness.probe.int("SELECT count(*)::int8 FROM moderation.inbox WHERE message_id = \(messageID)") == 1)
            #expect(try await harness.probe.int("SELECT count(*)::int8 FROM moderation.items") == 2)
        }
    }

    @Test func contentSubmittedAgainAfterAnEditIsReviewedAgain() async throws {
        try await withModerationWorker { harness in
            // setup: a published petition
            let content = try await harness.submit(PetitionSubmitted.self, title: "Le TER du soir", text: Samples.clean)
            let first = try await harness.item(of: content)
            _ = try await harness.decide([first.summary], .published)

            // act: its author edits it (a new message for the same content)
            try await harness.submit(PetitionSubmitted.self, title: "Le TER du soir", text: Samples.personalData, contentID: content)
            try await eventually("the edit received") {
                try await harness.decisionEvents(of: content).count == 3
            }

            // check: the same item, back in the queue, hidden, with the new findings
            let edited = try await harness.item(of: content)
            #expect(edited.summary.id == first.summary.id)
            #expect(edited.summary.status == .pending)
            #expect(edited.summary.visible == false)
            #expect(edited.summary.revision == 3)
            #expect(edited.findings.contains { $0.rule == "personal_data.phone" })
            #expect(edited.text == Samples.personalData)
            let events = try await harness.decisionEvents(of: content)
            #expect(events.map(\.revision) == [1, 2, 3])
            #expect(events.last?.visible == false)
            // the audit log shows where the item stood before the edit
            #expect(edited.history.map(\.before) == [nil, .pending, .published])
            #expect(edited.history.map(\.after) == [.pending, .published, .pending])
            // the edit is not reported as a near-duplicate of itself
            #expect(!edited.findings.contains { $0.rule == "near_duplicate" })
        }
    }
}
