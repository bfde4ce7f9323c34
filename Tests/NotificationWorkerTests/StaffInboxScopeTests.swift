import DialogueContracts
import Foundation
@testable import NotificationWorker
import PostgresNIO
import Testing
import TestSupport

/// A staff notification is marked read only by someone who receives its topic.
@Suite struct StaffInboxScopeTests {
    @Test func aNotificationOfAnotherTopicIsNeitherMarkedNorRevealed() async throws {
        try await withNotificationWorker { worker in
            // setup: one notification of each topic
            let (threshold, waiting) = (UUID(), UUID())
            try await worker.probe.execute(
                """
                INSERT INTO notifications.staff_notifications (id, topic, title, body, source_message_id)
                VALUES (\(threshold), 'petition.threshold', 'Seuil', 'corps', \(threshold.uuidString)),
                       (\(waiting), 'moderation.waiting', 'File', 'corps', \(waiting.uuidString))
                """
            )
            let store = StaffInboxStore(client: worker.database, logger: TestEnvironment.logger)

            // act and check: a moderator's topics do not reach the threshold notification
            await #expect(throws: RequestFailure.self) { try await store.markRead(threshold, topics: ["moderation.waiting"]) }
            await #expect(throws: RequestFailure.self) { try await store.markRead(threshold, topics: []) }
            #expect(try await worker.probe.int("SELECT count(*)::int8 FROM notifications.staff_notifications WHERE read_at IS NOT NULL") == 0)
            let read = try await store.markRead(waiting, topics: ["moderation.waiting"])
            #expect(read.readAt != nil)
            #expect(try await worker.probe.texts("SELECT topic FROM notifications.staff_notifications WHERE read_at IS NOT NULL") == ["moderation.waiting"])
        }
    }
}
