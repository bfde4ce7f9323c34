import DialogueContracts
import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import PostgresNIO
import TestSupport
import Testing

/// Through the back-office: each role marks read only the notifications of the topics it receives.
@Suite struct StaffInboxMarkReadTests {
    @Test func aRoleMarksReadOnlyTheTopicsItReceives() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: one notification of each topic; a moderator (moderation.waiting) and an
            // analyst (petition.threshold), signed in
            let (threshold, waiting) = (UUID(), UUID())
            try await probe.execute(
                """
                INSERT INTO notifications.staff_notifications (id, topic, title, body, source_message_id)
                VALUES (\(threshold), 'petition.threshold', 'Seuil', 'corps', \(threshold.uuidString)),
                       (\(waiting), 'moderation.waiting', 'File', 'corps', \(waiting.uuidString))
                """
            )
            func readTopics() async throws -> [String?] {
                try await probe.texts("SELECT topic FROM notifications.staff_notifications WHERE read_at IS NOT NULL ORDER BY topic")
            }
            let moderator = WebSession(client)
            try await moderator.signIn(try await stack.makeStaff([.moderator]).email, testPassword)
            let analyst = WebSession(client)
            try await analyst.signIn(try await stack.makeStaff([.analyst]).email, testPassword)
            func markRead(_ id: UUID, by session: WebSession) async throws -> TestResponse {
                try await session.submit("/admin/notifications/\(id.uuidString.lowercased())/lue", [], from: "/admin/notifications")
            }

            // act and check: another topic's notification is not found and stays unread
            #expect(try await markRead(threshold, by: moderator).status == .notFound)
            #expect(try await markRead(waiting, by: analyst).status == .notFound)
            #expect(try await readTopics() == [])

            // each marks its own
            #expect(try await markRead(waiting, by: moderator).status == .seeOther)
            #expect(try await markRead(threshold, by: analyst).status == .seeOther)
            #expect(try await readTopics() == ["moderation.waiting", "petition.threshold"])
        }
    }
}
