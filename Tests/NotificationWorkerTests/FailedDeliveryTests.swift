import DialogueContracts
import Foundation
@testable import NotificationWorker
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Failed mails, listed for staff with why, and sent again on request (the test SMTP server).
@Suite struct FailedDeliveryTests {
    @Test func aRefusedMailIsListedMaskedAndAResendDeliversItOnceAndTakesItOffTheList() async throws {
        try await withNotificationWorker { worker in
            // setup: a confirmation refused for good (550) at its first send, accepted after
            let address = testAddress("refuse-550x1-")
            try await worker.publish(confirmationRequest(to: address))
            try await eventually("failed") { try await worker.deliveries(to: address).first?.status == "failed" }
            let failed = FailedDeliveries(client: worker.database, logger: TestEnvironment.logger)

            // the list shows it, its address masked, with the SMTP answer
            let page = try await failed.list(ListFailedDeliveries(address: address))
            let entry = try #require(page.entries.first)
            #expect(page.entries.count == 1)
            #expect(entry.template == "account.email_confirmation")
            #expect(entry.maskedRecipient == "re•••@exemple.fr")
            #expect(entry.lastSMTPCode == 550)
            #expect(entry.reason?.isEmpty == false)
            #expect(entry.attempts == 1)
            #expect(entry.resends == 0)
            #expect(entry.resendable)
            #expect(page.templates.contains("account.email_confirmation"))
            #expect(try TestEnvironment.mails(to: address).isEmpty)
            // the body is kept (for the resend), not the address in the answer
            #expect(try await worker.probe.int("SELECT count(*)::int8 FROM notifications.email_deliveries WHERE id = \(entry.id) AND body_text IS NOT NULL") == 1)

            // act: staff send it again
            let resent = try await failed.resend(ResendFailedDelivery(deliveryID: entry.id, staffID: UUID(), staffName: "Dominique Admin"))
            #expect(resent == ResentDelivery(id: entry.id, status: "pending"))

            // check: it leaves the list at once, then leaves once, with its link, and its body is cleared
            #expect(try await failed.list(ListFailedDeliveries(address: address)).entries.isEmpty)
            try await eventually("sent") { try await worker.deliveries(to: address).first?.status == "sent" }
            let mails = try TestEnvironment.mailTexts(to: address)
            #expect(mails.count == 1)
            #expect(mails.first?.contains("https://dialogue.example/confirmation?jeton=abc") == true)
            #expect(try await worker.probe.int(
                "SELECT count(*)::int8 FROM notifications.email_deliveries WHERE id = \(entry.id) AND resends = 1 AND attempts = 1 AND body_text IS NULL AND failed_at IS NULL"
            ) == 1)
            // audited, naming the staff member and the mail, never the address
            let audit = try await worker.probe.texts(
                "SELECT staff_name || ' ' || action || ' ' || object_id || ' ' || details::text FROM notifications.staff_audit WHERE action = 'notification.mail_resent'"
            )
            #expect(audit.count == 1)
            #expect(audit.first??.hasPrefix("Dominique Admin notification.mail_resent \(entry.id.uuidString.lowercased())") == true)
            #expect(audit.first??.contains("@") == false)

            // a second resend of the same mail finds nothing failed
            await #expect(throws: RequestFailure.self) {
                try await failed.resend(ResendFailedDelivery(deliveryID: entry.id, staffID: nil, staffName: "Dominique Admin"))
            }
        }
    }

    @Test func aMailThatCannotHelpAnyMoreIsListedButNotSentAgain() async throws {
        try await withNotificationWorker { worker in
            // setup: failed rows: a link expired, an erased recipient, a body kept past the
            // retention, and one still resendable; each with an address of its own
            let (expired, erased, old, fresh) = (testAddress(), testAddress(), testAddress(), testAddress())
            var ids: [String: UUID] = [:]
            for (name, address, sendBefore) in [
                ("expired", expired, Date().addingTimeInterval(-60)), ("erased", erased, nil), ("old", old, nil), ("fresh", fresh, nil),
            ] as [(String, String, Date?)] {
                let id = UUID()
                ids[name] = id
                try await worker.probe.execute(
                    """
                    INSERT INTO notifications.email_deliveries
                        (id, source_message_id, recipient_key, recipient, template, status, attempts, send_before, subject, body_text, body_html,
                         last_smtp_code, last_error, next_attempt_at)
                    VALUES (\(id), \("failed-" + id.uuidString), \(address), \(address), 'petition.signed_again', 'pending', 0,
                            \(sendBefore), 'Sujet', 'texte', '<p>html</p>', 550, \("550 5.1.1 <" + address + ">: mailbox unavailable"),
                            now() + interval '1 day')
                    """
                )
                // Failed the way the sender fails a mail (the trigger dates it).
                try await worker.probe.execute("UPDATE notifications.email_deliveries SET status = 'failed' WHERE id = \(id)")
            }
            try await worker.publish(AccountErased(accountID: UUID(), normalizedEmails: [erased], erasedAt: Date()))
            try await worker.probe.execute(
                "UPDATE notifications.email_deliveries SET failed_at = now() - interval '8 days' WHERE id = \(ids["old"]!)"
            )
            let failed = FailedDeliveries(client: worker.database, logger: TestEnvironment.logger)
            let erasedID = try #require(ids["erased"])
            try await eventually("erased") {
                try await worker.probe.int("SELECT count(*)::int8 FROM notifications.email_deliveries WHERE id = \(erasedID) AND recipient IS NULL") == 1
            }
            // The senders' pass clears what is not worth keeping (also run by each drain).
            _ = try await failed.clearExpiredBodies()

            // check: each listed, only the fresh one resendable, the reason's address masked
            for (name, address) in [("expired", expired), ("old", old), ("fresh", fresh)] {
                let entry = try #require(try await failed.list(ListFailedDeliveries(address: address)).entries.first, "\(name)")
                #expect(entry.resendable == (name == "fresh"), "\(name)")
                #expect((entry.notResendableBecause == nil) == (name == "fresh"), "\(name)")
                #expect(entry.reason?.contains(address) == false, "\(name)")
                #expect(entry.reason?.contains("•••@exemple.fr") == true, "\(name)")
            }
            #expect(try await worker.probe.int(
                "SELECT count(*)::int8 FROM notifications.email_deliveries WHERE id = ANY(\([ids["expired"]!, ids["old"]!, ids["erased"]!])) AND body_text IS NULL"
            ) == 3)
            #expect(try await worker.probe.int("SELECT count(*)::int8 FROM notifications.email_deliveries WHERE id = \(ids["fresh"]!) AND body_text IS NOT NULL") == 1)

            for name in ["expired", "old", "erased"] {
                do {
                    _ = try await failed.resend(ResendFailedDelivery(deliveryID: ids[name]!, staffID: nil, staffName: "Admin"))
                    Issue.record("\(name) was resent")
                } catch let failure as RequestFailure {
                    #expect(failure.code == .conflict, "\(name)")
                }
            }
            do {
                _ = try await failed.resend(ResendFailedDelivery(deliveryID: UUID(), staffID: nil, staffName: "Admin"))
                Issue.record("an unknown mail was resent")
            } catch let failure as RequestFailure {
                #expect(failure.code == .notFound)
            }
            // nothing was audited for the refusals
            #expect(try await worker.probe.int("SELECT count(*)::int8 FROM notifications.staff_audit") == 0)
        }
    }

    @Test func theListFiltersByKindAndPagesByTimeOfFailure() async throws {
        try await withNotificationWorker { worker in
            let address = testAddress()
            // Three failed mails to one address, failed a minute apart, two kinds.
            for (minutes, template) in [(3, "petition.signed_again"), (2, "account.email_confirmation"), (1, "petition.signed_again")] {
                let id = UUID()
                try await worker.probe.execute(
                    """
                    INSERT INTO notifications.email_deliveries
                        (id, source_message_id, recipient_key, recipient, template, status, subject, body_text, body_html, next_attempt_at)
                    VALUES (\(id), \("paged-" + id.uuidString), \(address), \(address), \(template), 'pending', \("il y a \(minutes) min"),
                            'texte', '<p>html</p>', now() + interval '1 day')
                    """
                )
                try await worker.probe.execute("UPDATE notifications.email_deliveries SET status = 'failed' WHERE id = \(id)")
                try await worker.probe.execute(
                    "UPDATE notifications.email_deliveries SET failed_at = now() - make_interval(mins => \(minutes)::int4) WHERE id = \(id)"
                )
            }
            let failed = FailedDeliveries(client: worker.database, logger: TestEnvironment.logger)

            let first = try await failed.list(ListFailedDeliveries(address: address, limit: 2))
            #expect(first.entries.map(\.subject) == ["il y a 1 min", "il y a 2 min"])
            let second = try await failed.list(ListFailedDeliveries(address: address, before: first.next, limit: 2))
            #expect(second.entries.map(\.subject) == ["il y a 3 min"])
            #expect(second.next == nil)

            let kind = try await failed.list(ListFailedDeliveries(template: "petition.signed_again", address: address))
            #expect(kind.entries.map(\.subject) == ["il y a 1 min", "il y a 3 min"])
            #expect(try await failed.list(ListFailedDeliveries(template: "survey.answer_link", address: address)).entries.isEmpty)
        }
    }

    @Test func addressesInAnSMTPAnswerAreMasked() {
        #expect(FailedDeliveries.maskingAddresses("550 5.1.1 <camille.martin@exemple.fr>: unknown") == "550 5.1.1 <ca•••@exemple.fr>: unknown")
        #expect(FailedDeliveries.maskingAddresses("451 try again later") == "451 try again later")
    }
}
