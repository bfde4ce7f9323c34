import DialogueContracts
import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import PostgresNIO
import TestSupport
import Testing

/// `/admin/envois-en-echec` and `/api/v1/deliveries/failed`: the failed mails, masked, with a
/// resend that goes through the worker to the test SMTP server.
@Suite struct FailedDeliveryPagesTests {
    /// A failed mail as the sender leaves it (its body kept), to an address the SMTP server accepts.
    private func failedMail(to address: String, subject: String, probe: Probe) async throws -> UUID {
        let id = UUID()
        try await probe.execute(
            """
            INSERT INTO notifications.email_deliveries
                (id, source_message_id, recipient_key, recipient, template, status, attempts, subject, body_text, body_html,
                 last_smtp_code, last_error, next_attempt_at)
            VALUES (\(id), \("failed-" + id.uuidString), \(address), \(address), 'petition.signed_again', 'pending', 1, \(subject),
                    'Votre signature est déjà enregistrée.', '<p>Votre signature est déjà enregistrée.</p>', 451,
                    'gave up after 1 attempts: try again later', now() + interval '1 day')
            """
        )
        try await probe.execute("UPDATE notifications.email_deliveries SET status = 'failed' WHERE id = \(id)")
        return id
    }

    @Test func anAdministratorSeesTheFailedMailMaskedAndResendsItWithTheForm() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: a failed mail; an administrator and a moderator signed in
            let address = "dominique.\(UUID().uuidString.prefix(8).lowercased())@exemple.fr"
            let id = try await failedMail(to: address, subject: "Signature déjà enregistrée", probe: probe)
            let administrator = WebSession(client)
            administrator.setCookie(administrator.sessionCookieName, try await stack.openSession(for: try await stack.makeStaff([.administrator])))
            let moderator = WebSession(client)
            moderator.setCookie(moderator.sessionCookieName, try await stack.openSession(for: try await stack.makeStaff([.moderator])))
            let path = "/admin/envois-en-echec"
            let resendPath = "\(path)/\(id.uuidString.lowercased())/renvoyer"

            // the page lists it, masked, with its kind, reason and button
            let page = try await administrator.get(path)
            #expect(page.status == .ok)
            #expect(page.text.contains("do•••@exemple.fr"))
            #expect(!page.text.contains(address))
            #expect(page.text.contains("Signature déjà enregistrée"))
            #expect(page.text.contains("code 451 — gave up after 1 attempts"))
            #expect(page.text.contains("action=\"\(resendPath)\""))
            // filtered by another kind, it is not there
            #expect(!(try await administrator.get("\(path)?type=survey.answer_link").text.contains(resendPath)))
            #expect(try await administrator.get("\(path)?adresse=\(address)").text.contains(resendPath))

            // only administrators; a form without its CSRF token is refused
            #expect(try await moderator.get(path).status == .forbidden)
            #expect(try await moderator.submit(resendPath, [], from: "/admin/notifications").status == .forbidden)
            #expect(try await administrator.post(resendPath, fields: []).status == .forbidden)
            #expect(try await probe.int("SELECT count(*)::int8 FROM notifications.email_deliveries WHERE id = \(id) AND status = 'failed'") == 1)

            // act: the administrator resends it
            let resent = try await administrator.submit(resendPath, [("retour", "\(path)?type=petition.signed_again")], from: path)

            // check: back to the filtered list with a notice, the mail leaves once, the list no longer shows it
            #expect(resent.status == .seeOther)
            #expect(resent.header("Location") == "\(path)?type=petition.signed_again&statut=courriel-renvoye")
            try await eventually("mailed") { try TestEnvironment.mails(to: address).count == 1 }
            let after = try await administrator.get(path)
            #expect(!after.text.contains(resendPath))
            try await eventually("audited") {
                try await probe.int("SELECT count(*)::int8 FROM notifications.staff_audit WHERE action = 'notification.mail_resent' AND object_id = \(id.uuidString.lowercased())") == 1
            }
            // sending it again finds nothing failed: a page that says so
            #expect(try await administrator.submit(resendPath, [], from: path).status == .notFound)
            #expect(try TestEnvironment.mails(to: address).count == 1)
        }
    }

    @Test func theAPIListsAndResendsForAdministratorsOnly() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            let address = "api.\(UUID().uuidString.prefix(8).lowercased())@exemple.fr"
            let id = try await failedMail(to: address, subject: "Par l'API", probe: probe)
            let administrator = BearerClient(base: client, token: try await stack.issueStaffToken(roles: [.administrator]))
            let analyst = BearerClient(base: client, token: try await stack.issueStaffToken(roles: [.analyst]))

            // the list, as documented
            let listed = try await administrator.get("/api/v1/deliveries/failed?address=\(address)&limit=10")
            #expect(listed.status == .ok)
            #expect(listed.isJSON)
            let page = try listed.decode(FailedDeliveryPage.self)
            #expect(page.entries.map(\.id) == [id])
            #expect(page.entries.first?.maskedRecipient == "ap•••@exemple.fr")
            #expect(page.entries.first?.resendable == true)
            #expect(!listed.text.contains(address))

            // bad parameters are named
            let badLimit = try await administrator.get("/api/v1/deliveries/failed?limit=0")
            #expect(badLimit.status == .badRequest)
            #expect(try badLimit.decode(ErrorBody.self).error.field == "limit")
            #expect(try await administrator.get("/api/v1/deliveries/failed?before=nope").status == .badRequest)
            // other roles are refused
            #expect(try await analyst.get("/api/v1/deliveries/failed").status == .forbidden)
            #expect(try await analyst.post("/api/v1/deliveries/\(id.uuidString.lowercased())/resend", json: "{}").status == .forbidden)

            // the resend
            let resent = try await administrator.post("/api/v1/deliveries/\(id.uuidString.lowercased())/resend", json: "{}")
            #expect(resent.status == .accepted)
            #expect(try resent.decode(ResentDelivery.self) == ResentDelivery(id: id, status: "pending"))
            try await eventually("mailed") { try TestEnvironment.mails(to: address).count == 1 }
            let again = try await administrator.post("/api/v1/deliveries/\(id.uuidString.lowercased())/resend", json: "{}")
            #expect(again.status == .notFound)
            #expect(again.isJSON)
            #expect(try await administrator.get("/api/v1/deliveries/failed?address=\(address)").decode(FailedDeliveryPage.self).entries.isEmpty)
        }
    }
}
