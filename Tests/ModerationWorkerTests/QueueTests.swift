import DialogueContracts
import Foundation
import Messaging
@testable import ModerationWorker
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The queue as the back-office reads it: filters, oldest first, pages that hold.
@Suite struct QueueTests {
    @Test func filtersSelectByTypeConsultationScoreFlagsAndAge() async throws {
        try await withModerationWorker { harness in
            // setup: five items of different kinds, one of them already decided
            // (submission times apart: events carry them to the second)
            let consultation = UUID()
            let minutesAgo = { (minutes: Double) in Date().addingTimeInterval(-60 * minutes) }
            let old = try await harness.submit(PetitionSubmitted.self, title: "Le TER du soir", text: Samples.clean, submittedAt: minutesAgo(180))
            let personal = try await harness.submit(
                ForumPostSubmitted.self, text: Samples.personalData, consultationID: consultation, submittedAt: minutesAgo(50)
            )
            let flagged = try await harness.submit(
                ForumPostSubmitted.self, text: Samples.cleanOther, consultationID: consultation, submittedAt: minutesAgo(40)
            )
            let insult = try await harness.submit(TestimonySubmitted.self, text: Samples.insult, submittedAt: minutesAgo(30))
            let decided = try await harness.submit(ProposalSubmitted.self, text: Samples.original, submittedAt: minutesAgo(20))
            var ids: [UUID: UUID] = [:]
            for content in [old, personal, flagged, insult, decided] { ids[content] = try await harness.itemID(of: content) }
            _ = try await harness.rpc.request(FlagContent(
                contentType: .forumPost, contentID: flagged, reporterKey: "compte:a1", reasonCode: "autre", comment: nil
            ))
            _ = try await harness.decide([try await harness.item(of: decided).summary], .published)
            let insultScore = try await harness.item(of: insult).summary.score
            #expect(insultScore > 0)

            // act
            func list(_ request: ListModerationItems) async throws -> (ids: [UUID], total: Int) {
                let page = try await harness.rpc.request(request)
                return (page.items.map(\.id), page.total)
            }
            let pending = try await list(ListModerationItems())
            let forum = try await list(ListModerationItems(contentType: .forumPost))
            let inConsultation = try await list(ListModerationItems(consultationID: consultation))
            let scored = try await list(ListModerationItems(minimumScore: insultScore))
            let forumScored = try await list(ListModerationItems(contentType: .forumPost, minimumScore: insultScore))
            let flaggedOnly = try await list(ListModerationItems(flaggedOnly: true))
            let waiting = try await list(ListModerationItems(waitingHours: 2))
            let published = try await list(ListModerationItems(status: .published))

            // check: oldest first, and the total counts what the filters keep
            let id = { (content: UUID) in ids[content]! }
            #expect(pending.ids == [old, personal, flagged, insult].map(id))
            #expect(pending.total == 4)
            #expect(forum.ids == [personal, flagged].map(id))
            #expect(forum.total == 2)
            #expect(inConsultation.ids == [personal, flagged].map(id))
            #expect(scored.ids == [personal, insult].map(id))
            #expect(scored.total == 2)
            #expect(forumScored.ids == [id(personal)])
            #expect(flaggedOnly.ids == [id(flagged)])
            #expect(flaggedOnly.total == 1)
            #expect(waiting.ids == [id(old)])
            #expect(published.ids == [id(decided)])
        }
    }

    @Test func keysetPagesNeitherSkipNorRepeatOver250Items() async throws {
        try await withModerationWorker { harness in
            // setup: 250 waiting items, three at a time submitted in the same second (the
            // id breaks the tie), petitions and forum posts in turn
            try await harness.probe.execute(
                """
                INSERT INTO moderation.items (id, content_type, content_id, owner_service, title, body, submitted_at, visible,
                                              fingerprint, shingle_count, band_keys)
                SELECT gen_random_uuid(), CASE WHEN n % 2 = 0 THEN 'petition' ELSE 'forum_post' END, gen_random_uuid(),
                       'petitions', 'Contribution ' || n, 'Texte de la contribution numéro ' || n || '.',
                       timestamptz '2026-01-05 08:00:00+01' + (n / 3) * interval '1 second', false, '{}', 0, '{}'
                FROM generate_series(1, 250) AS n
                """
            )
            let expected = try await harness.probe.texts(
                "SELECT id::text FROM moderation.items WHERE status = 'pending' ORDER BY submitted_at, id"
            ).compactMap { $0.flatMap(UUID.init(uuidString:)) }
            #expect(expected.count == 250)

            let expectedForum = try await harness.probe.texts(
                "SELECT id::text FROM moderation.items WHERE content_type = 'forum_post' ORDER BY submitted_at, id"
            ).compactMap { $0.flatMap(UUID.init(uuidString:)) }
            #expect(expectedForum.count == 125)

            // act: the forum posts alone, 25 at a time (the last page is full)
            var forum: [UUID] = []
            var forumPages = 0
            var after: UUID?
            repeat {
                let page = try await harness.rpc.request(ListModerationItems(contentType: .forumPost, after: after, limit: 25))
                forum += page.items.map(\.id)
                forumPages += 1
                #expect(page.total == 125)
                after = page.next
            } while after != nil && forumPages < 10

            // act: the whole queue 100 at a time; the item the first page ends on is decided
            // before the next page is asked for
            var seen: [UUID] = []
            var totals: [Int] = []
            var sizes: [Int] = []
            after = nil
            repeat {
                let page = try await harness.rpc.request(ListModerationItems(after: after, limit: 100))
                seen += page.items.map(\.id)
                totals.append(page.total)
                sizes.append(page.items.count)
                #expect(page.next == (page.items.count == 100 ? page.items.last?.id : nil))
                if totals.count == 1, let last = page.items.last { _ = try await harness.decide([last], .published) }
                after = page.next
            } while after != nil && totals.count < 10

            // check
            #expect(seen == expected)
            #expect(Set(seen).count == 250)
            #expect(sizes == [100, 100, 50])
            #expect(totals == [250, 249, 249])
            #expect(forum == expectedForum)
            #expect(forumPages == 5)
        }
    }

    @Test func unknownItemIsNotFound() async throws {
        try await withModerationWorker { harness in
            let failure = await #expect(throws: RequestFailure.self) { try await harness.rpc.request(GetModerationItem(itemID: UUID())) }
            #expect(failure?.code == .notFound)
        }
    }
}

/// "Items waiting" alerts: one per episode, a reminder while it lasts, never one per item.
@Suite struct QueueAlertTests {
    private func job(_ harness: ModerationHarness, count: Int = 3, age: Duration = .seconds(30 * 86_400), reminder: Duration) -> QueueAlertJob {
        QueueAlertJob(
            client: harness.platform.database,
            limits: QueueAlertJob.Limits(count: count, age: age, reminder: reminder, interval: .seconds(3600)),
            logger: harness.platform.logger
        )
    }

    private func alertRows(_ harness: ModerationHarness) async throws -> Int {
        try await harness.probe.int(
            "SELECT count(*)::int8 FROM moderation.outbox WHERE message_type = \(ModerationQueueWaiting.messageType)"
        )
    }

    private func submitPetitions(_ harness: ModerationHarness, _ count: Int, from start: Int = 0) async throws -> [ModerationItemSummary] {
        var items: [ModerationItemSummary] = []
        for number in start..<(start + count) {
            let text = "Pétition numéro \(number) : rénover le gymnase du lycée \(number) de Saint-Quentin, fermé depuis l'hiver \(2000 + number)."
            items.append(try await harness.submitAndRead(PetitionSubmitted.self, title: "Gymnase \(number)", text: text).summary)
        }
        return items
    }

    @Test func alertFiresOncePerEpisodeAndReArmsWhenTheQueueDrains() async throws {
        try await withModerationWorker { harness in
            let alerts = job(harness, reminder: .seconds(3600))

            // setup: two items, below the limit of three
            var waiting = try await submitPetitions(harness, 2)
            let below = try await alerts.check()

            // act: the third item passes the limit, then a fourth arrives
            waiting += try await submitPetitions(harness, 1, from: 2)
            let first = try await alerts.check()
            waiting += try await submitPetitions(harness, 1, from: 3)
            let whileOver = try await alerts.check()

            // check: one alert for the episode
            #expect(below == nil)
            #expect(first?.pendingCount == 3)
            #expect(first?.trigger == "count")
            #expect(first?.oldestSubmittedAt != nil)
            #expect(whileOver == nil)
            #expect(try await alertRows(harness) == 1)

            // act: the queue drains, then fills again
            #expect(try await harness.decide(waiting, .published).decided.count == 4)
            let drained = try await alerts.check()
            #expect(try await harness.probe.texts("SELECT armed::text FROM moderation.queue_alert") == ["true"])
            _ = try await submitPetitions(harness, 3, from: 10)
            let second = try await alerts.check()

            // check: a new episode, a new alert (the reminder is an hour away)
            #expect(drained == nil)
            #expect(second?.pendingCount == 3)
            #expect(try await alertRows(harness) == 2)
        }
    }

    @Test func reminderRepeatsTheAlertWhileTheQueueStaysOver() async throws {
        try await withModerationWorker { harness in
            // setup
            let alerts = job(harness, count: 2, reminder: .seconds(3600))
            _ = try await submitPetitions(harness, 2)
            #expect(try await alerts.check() != nil)
            #expect(try await alerts.check() == nil)

            // act: the last alert is now older than the reminder delay (set in the data, not waited for)
            try await harness.probe.execute("UPDATE moderation.queue_alert SET last_alert_at = now() - interval '61 minutes'")
            let reminder = try await alerts.check()

            // check
            #expect(reminder?.pendingCount == 2)
            #expect(try await alertRows(harness) == 2)
            #expect(try await alerts.check() == nil)
        }
    }

    @Test func anItemWaitingTooLongRaisesAnAgeAlert() async throws {
        try await withModerationWorker { harness in
            // setup: one item submitted three days ago, far below the count limit
            let alerts = job(harness, count: 100, age: .seconds(86_400), reminder: .seconds(3600))
            let submittedAt = Date().addingTimeInterval(-3 * 86_400)
            _ = try await harness.submitAndRead(ForumPostSubmitted.self, text: Samples.clean, submittedAt: submittedAt)

            // act
            let alert = try await alerts.check()

            // check
            #expect(alert?.trigger == "age")
            #expect(alert?.pendingCount == 1)
            #expect(abs((alert?.oldestSubmittedAt ?? .distantPast).timeIntervalSince(submittedAt)) < 1)
            let bodies = try await harness.probe.texts(
                "SELECT convert_from(body, 'UTF8') FROM moderation.outbox WHERE message_type = \(ModerationQueueWaiting.messageType)"
            )
            let stored = try MessageCoding.decode(ModerationQueueWaiting.self, from: Array((bodies.first ?? "")?.utf8 ?? "".utf8))
            #expect(stored.trigger == "age")
        }
    }
}
