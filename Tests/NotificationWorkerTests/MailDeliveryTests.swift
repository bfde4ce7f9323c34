import DialogueContracts
import Foundation
@testable import NotificationWorker
import PostgresNIO
import Testing
import TestSupport

/// Exactly one mail per (event, recipient); temporary refusals retried, permanent ones recorded.
@Suite struct MailDeliveryTests {
    @Test func aDuplicatedEventSendsOneMail() async throws {
        try await withNotificationWorker { worker in
            let address = testAddress()
            let messageID = UUID().uuidString.lowercased()
            try await worker.publish(confirmationRequest(to: address), messageID: messageID)
            try await worker.publish(confirmationRequest(to: address), messageID: messageID)
            // A later event on the same queue: once its mail is out, the duplicate was handled.
            let marker = testAddress()
            try await worker.publish(confirmationRequest(to: marker))
            try await eventually("the marker mailed") { try TestEnvironment.mails(to: marker).count == 1 }

            #expect(try TestEnvironment.mails(to: address).count == 1)
            let rows = try await worker.deliveries(to: address)
            #expect(rows.count == 1)
            #expect(rows.first?.status == "sent")
            #expect(rows.first?.attempts == 1)
        }
    }

    @Test func theMailCarriesItsLinkAndFrenchText() async throws {
        try await withNotificationWorker { worker in
            let address = testAddress()
            try await worker.publish(confirmationRequest(to: address))
            try await eventually("mailed") { try TestEnvironment.mails(to: address).count == 1 }
            let raw = try #require(try TestEnvironment.mails(to: address).first)
            #expect(raw.contains("Content-Type: multipart/alternative"))
            let text = try #require(decodedParts(of: raw).first)
            #expect(text.contains("https://dialogue.example/confirmation?jeton=abc"))
            // No name: the one who registered typed it, and the address is not confirmed yet.
            #expect(text.hasPrefix("Bonjour,"))
            #expect(!text.contains("Camille"))
            // The queue keeps the subject for the log, not the body with its personal link (the
            // SMTP server has the mail a moment before the worker records it as sent).
            try await eventually("the body forgotten once sent") {
                try await worker.probe.int("SELECT count(*)::int8 FROM notifications.email_deliveries WHERE body_text IS NOT NULL OR body_html IS NOT NULL") == 0
            }
        }
    }

    @Test func aTemporaryRefusalIsRetriedAndMailsOnce() async throws {
        try await withNotificationWorker { worker in
            let address = testAddress("refuse-451x1-")
            try await worker.publish(confirmationRequest(to: address))
            try await eventually("mailed after a retry") { try TestEnvironment.mails(to: address).count == 1 }
            try await eventually("recorded as sent") { try await worker.deliveries(to: address).first?.status == "sent" }
            let row = try #require(try await worker.deliveries(to: address).first)
            #expect(row.attempts == 2)
            #expect(row.code == 250)
        }
    }

    @Test func aPermanentRefusalIsRecordedAndNotRetried() async throws {
        try await withNotificationWorker { worker in
            let address = testAddress("refuse-550-")
            try await worker.publish(confirmationRequest(to: address))
            try await eventually("recorded as failed") { try await worker.deliveries(to: address).first?.status == "failed" }
            // Well past the one-second retry delay: still one attempt, no mail.
            try await Task.sleep(for: .seconds(2))
            let row = try #require(try await worker.deliveries(to: address).first)
            #expect(row.attempts == 1)
            #expect(row.code == 550)
            #expect(try TestEnvironment.mails(to: address).isEmpty)
        }
    }

    @Test func aRefusalOfTheMessageAfterDataIsPermanent() async throws {
        try await withNotificationWorker { worker in
            let address = testAddress("refuse-data-554-")
            try await worker.publish(confirmationRequest(to: address))
            try await eventually("recorded as failed") { try await worker.deliveries(to: address).first?.status == "failed" }
            let row = try #require(try await worker.deliveries(to: address).first)
            #expect(row.attempts == 1)
            #expect(row.code == 554)
        }
    }

    @Test func temporaryRefusalsAreGivenUpAfterTheLastRetry() async throws {
        try await withNotificationWorker(delivery: quickDelivery(retryDelays: [.milliseconds(300), .milliseconds(300)])) { worker in
            let address = testAddress("refuse-452-")
            try await worker.publish(confirmationRequest(to: address))
            try await eventually("given up") { try await worker.deliveries(to: address).first?.status == "failed" }
            let row = try #require(try await worker.deliveries(to: address).first)
            #expect(row.attempts == 3)
            #expect(row.code == 452)
            let error = try await worker.probe.texts("SELECT last_error FROM notifications.email_deliveries WHERE recipient = \(address)")
            #expect(error.first??.hasPrefix("gave up after 3 attempts") == true)
        }
    }

    @Test func anUnreachableServerLeavesTheMailQueuedForLater() async throws {
        // Nothing listens on port 9 here: the send fails at connection, a session problem.
        try await withNotificationWorker(smtp: testSMTP(url: "smtp://127.0.0.1:9"), delivery: quickDelivery(retryDelays: [.seconds(3600)])) { worker in
            let address = testAddress()
            try await worker.publish(confirmationRequest(to: address))
            try await eventually("attempted once") { try await worker.deliveries(to: address).first?.attempts == 1 }
            try await eventually("back in the queue") { try await worker.deliveries(to: address).first?.status == "pending" }
            #expect(try await worker.probe.int(
                "SELECT count(*)::int8 FROM notifications.email_deliveries WHERE recipient = \(address) AND next_attempt_at > now() + interval '50 minutes'"
            ) == 1)
        }
    }

    @Test func aMailWhoseLinkExpiredIsNotSentLate() async throws {
        try await withNotificationWorker { worker in
            let address = testAddress()
            try await worker.publish(confirmationRequest(to: address, expiresAt: Date().addingTimeInterval(-60)))
            try await eventually("closed") { try await worker.deliveries(to: address).first?.status == "failed" }
            #expect(try await worker.deliveries(to: address).first?.attempts == 0)
            #expect(try TestEnvironment.mails(to: address).isEmpty)
        }
    }

    @Test func aSendInterruptedByACrashIsNotSentAgainUnlessItCarriesANeededLink() async throws {
        try await withNotificationWorker { worker in
            // Rows a dead sender left in `sending`, their lease run out: a kind mail (a
            // duplicate would matter), a confirmation link (a missing one loses the action),
            // and a confirmation whose link has expired meanwhile.
            let kind = testAddress(), link = testAddress(), stale = testAddress()
            let kindID = UUID(), linkID = UUID(), staleID = UUID()
            for (id, address, template, sendBefore) in [
                (kindID, kind, "petition.signed_again", Date().addingTimeInterval(3600)),
                (linkID, link, "account.email_confirmation", Date().addingTimeInterval(3600)),
                (staleID, stale, "petition.signature_confirmation", Date().addingTimeInterval(-1)),
            ] {
                try await worker.probe.execute(
                    """
                    INSERT INTO notifications.email_deliveries
                        (id, source_message_id, recipient_key, recipient, template, status, attempts, lease_until, send_before, subject, body_text, body_html)
                    VALUES (\(id), \("crashed-send-" + id.uuidString), \(address), \(address), \(template), 'sending', 1,
                            now() - interval '1 second', \(sendBefore), 'Sujet', 'texte du lien', '<p>html</p>')
                    """
                )
            }

            // the link mail leaves again, as a second attempt
            try await eventually("the link mail sent again") { try await worker.deliveries(to: link).first?.status == "sent" }
            #expect(try TestEnvironment.mails(to: link).count == 1)
            #expect(try await worker.deliveries(to: link).first?.attempts == 2)
            // the others are closed as interrupted, never sent
            try await eventually("closed as interrupted") {
                let kindStatus = try await worker.deliveries(to: kind).first?.status
                let staleStatus = try await worker.deliveries(to: stale).first?.status
                return kindStatus == "failed" && staleStatus == "failed"
            }
            #expect(try TestEnvironment.mails(to: kind).isEmpty)
            #expect(try TestEnvironment.mails(to: stale).isEmpty)
            for id in [kindID, staleID] {
                let error = try await worker.probe.texts("SELECT last_error FROM notifications.email_deliveries WHERE id = \(id)")
                #expect(error.first??.hasPrefix("interrupted during the send; not sent again") == true)
            }
            // The kind mail keeps its body for staff to send again (knowing it may have left);
            // the one whose link expired is cleared, as nothing can use it any more.
            #expect(try await worker.probe.int("SELECT count(*)::int8 FROM notifications.email_deliveries WHERE id = \(kindID) AND body_text IS NOT NULL") == 1)
            try await eventually("the expired link's body cleared") {
                try await worker.probe.int("SELECT count(*)::int8 FROM notifications.email_deliveries WHERE id = \(staleID) AND body_text IS NULL") == 1
            }
        }
    }

    @Test func aSendInProgressIsLeftToItsSender() async throws {
        try await withNotificationWorker { worker in
            let address = testAddress()
            try await worker.probe.execute(
                """
                INSERT INTO notifications.email_deliveries
                    (id, source_message_id, recipient_key, recipient, template, status, attempts, lease_until, subject, body_text, body_html)
                VALUES (\(UUID()), 'sending-now', \(address), \(address), 'account.email_confirmation', 'sending', 1,
                        now() + interval '1 minute', 'Sujet', 'texte', '<p>html</p>')
                """
            )
            try await Task.sleep(for: .seconds(1))
            #expect(try await worker.deliveries(to: address).first?.status == "sending")
            #expect(try TestEnvironment.mails(to: address).isEmpty)
        }
    }

    @Test func onlyRefusalsOfTheRecipientOrMessageArePermanent() {
        #expect(SMTPResult.failure(responseCode: 550, stage: .recipient, reason: "r") == .permanentFailure(code: 550, reason: "r"))
        #expect(SMTPResult.failure(responseCode: 554, stage: .message, reason: "r") == .permanentFailure(code: 554, reason: "r"))
        // A wrong password, a refused greeting or sender: the platform's problem, retried.
        #expect(SMTPResult.failure(responseCode: 535, stage: .session, reason: "r") == .temporaryFailure(code: 535, reason: "r"))
        #expect(SMTPResult.failure(responseCode: 554, stage: .session, reason: "r") == .temporaryFailure(code: 554, reason: "r"))
        #expect(SMTPResult.failure(responseCode: 451, stage: .recipient, reason: "r") == .temporaryFailure(code: 451, reason: "r"))
        #expect(SMTPResult.failure(responseCode: 0, stage: .session, reason: "r") == .temporaryFailure(code: nil, reason: "r"))
    }
}
