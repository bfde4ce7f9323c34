import DialogueContracts
import Foundation
@testable import NotificationWorker
import PostgresNIO
import Testing
import TestSupport

@Suite struct ErasureAndInboxTests {
    @Test func anErasedAccountIsForgottenAndNeverMailedAgain() async throws {
        // A long retry delay keeps the first mail queued when the erasure arrives.
        try await withNotificationWorker(delivery: quickDelivery(retryDelays: [.seconds(3600)])) { worker in
            let account = UUID()
            let address = testAddress("refuse-451-")
            try await worker.publish(confirmationRequest(to: address, accountID: account))
            try await eventually("waiting for a retry") {
                let row = try await worker.deliveries(to: address).first
                return row?.status == "pending" && row?.attempts == 1
            }
            try await worker.publish(AccountErased(accountID: account, normalizedEmails: [EmailAddress.normalized(address)], erasedAt: Date()))
            try await eventually("the address forgotten") { try await worker.deliveries(to: address).isEmpty }
            #expect(try await worker.probe.int(
                "SELECT count(*)::int8 FROM notifications.email_deliveries WHERE status = 'failed' AND recipient IS NULL AND body_text IS NULL"
            ) == 1)

            // An event about the account that arrives after the erasure (another address, even).
            let later = testAddress()
            try await worker.publish(confirmationRequest(to: later, accountID: account))
            let marker = testAddress()
            try await worker.publish(confirmationRequest(to: marker))
            try await eventually("the marker mailed") { try TestEnvironment.mails(to: marker).count == 1 }
            #expect(try await worker.deliveries(to: later).isEmpty)
            #expect(try TestEnvironment.mails(to: later).isEmpty)
        }
    }

    @Test func aMailBeingSentWhenTheAccountIsErasedIsNotRetried() async throws {
        try await withNotificationWorker { worker in
            let account = UUID()
            let address = testAddress()
            let id = UUID()
            // A send in progress (its lease runs for a minute).
            try await worker.probe.execute(
                """
                INSERT INTO notifications.email_deliveries
                    (id, source_message_id, recipient_key, recipient, template, status, attempts, lease_until, account_id, subject, body_text, body_html)
                VALUES (\(id), 'in-flight', \(address), \(address), 'account.email_confirmation', 'sending', 1,
                        now() + interval '1 minute', \(account), 'Sujet', 'texte', '<p>html</p>')
                """
            )
            try await worker.publish(AccountErased(accountID: account, normalizedEmails: [], erasedAt: Date()))
            try await eventually("forgotten") { try await worker.deliveries(to: address).isEmpty }

            // The send ends with a temporary refusal: the mail is not queued again.
            let queue = MailQueue(client: worker.database, policy: quickDelivery(), logger: TestEnvironment.logger)
            let claimed = MailQueue.Claimed(
                id: id, mail: OutgoingMail(to: address, subject: "", text: "", html: ""), template: "account.email_confirmation",
                attempt: 1, queuedAt: Date()
            )
            try await queue.record(.temporaryFailure(code: 451, reason: "try later"), for: claimed)
            #expect(try await worker.probe.texts("SELECT status FROM notifications.email_deliveries WHERE id = \(id)") == ["failed"])
            #expect(try await worker.probe.texts("SELECT last_error FROM notifications.email_deliveries WHERE id = \(id)") == ["account erased before the mail left"])
        }
    }

    @Test func inboxPagesNeitherSkipNorRepeatRowsOfTheSameMicrosecond() async throws {
        try await withNotificationWorker { worker in
            // Seven notifications, five of them created in the same transaction (same now()).
            try await worker.probe.execute(
                """
                INSERT INTO notifications.staff_notifications (id, topic, title, body, source_message_id, created_at)
                SELECT gen_random_uuid(), 'petition.threshold', 'n' || i, 'corps', 'm' || i,
                       CASE WHEN i <= 5 THEN now() ELSE now() - make_interval(secs => i) END
                FROM generate_series(1, 7) AS i
                """
            )
            let store = StaffInboxStore(client: worker.database, logger: TestEnvironment.logger)
            var seen: [String] = []
            var before: UUID?
            repeat {
                let page = try await store.page(ListStaffNotifications(topics: ["petition.threshold"], before: before, limit: 2))
                seen += page.items.map(\.title)
                #expect(page.items.count <= 2)
                before = page.next
            } while before != nil
            #expect(seen.count == 7)
            #expect(Set(seen).count == 7)
            #expect(Array(seen.suffix(2)) == ["n6", "n7"])
        }
    }
}

@Suite struct ModerationAlertInboxTests {
    @Test func aQueueAlertBecomesOneInboxRowForModerators() async throws {
        try await withNotificationWorker { worker in
            let alert = ModerationQueueWaiting(pendingCount: 42, oldestSubmittedAt: Date(), trigger: "count")
            let messageID = UUID().uuidString.lowercased()
            try await worker.publish(alert, messageID: messageID)
            try await worker.publish(alert, messageID: messageID)
            try await eventually("recorded") {
                try await worker.probe.int("SELECT count(*)::int8 FROM notifications.staff_notifications WHERE topic = 'moderation.waiting'") == 1
            }
            let store = StaffInboxStore(client: worker.database, logger: TestEnvironment.logger)
            let page = try await store.page(ListStaffNotifications(topics: ["moderation.waiting"]))
            #expect(page.items.first?.body == "42 contributions attendent une décision de modération.")
            #expect(page.items.first?.link == "/admin/moderation")
            #expect(try await store.page(ListStaffNotifications(topics: ["petition.threshold"])).items.isEmpty)
        }
    }
}
