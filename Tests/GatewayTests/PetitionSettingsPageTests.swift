import DialogueContracts
import Foundation
import Gateway
import Identity
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// The petition settings page: threshold, collection period and milestones, audited.
@Suite struct PetitionSettingsPageTests {
    @Test func anAdministratorSetsTheMilestonesAndBadOnesComeBackWithTheirMessage() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let administrator = try await stack.makeStaff([.administrator])
            let web = WebSession(client.anonymous)
            web.setCookie(web.sessionCookieName, try await stack.openSession(for: administrator))
            let page = try await web.get("/admin/reglages-petitions")
            #expect(page.status == .ok)
            #expect(page.text.contains("value=\"50\""))

            let refused = try await web.submit("/admin/reglages-petitions", [("seuil", "500"), ("duree", "90"), ("paliers", "0, 150")], from: "/admin/reglages-petitions")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("href=\"#paliers\""))
            #expect(refused.text.contains("value=\"0, 150\""))
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.settings") == 0)

            let saved = try await web.submit("/admin/reglages-petitions", [("seuil", "500"), ("duree", "90"), ("paliers", "75 %, 25")], from: "/admin/reglages-petitions")
            #expect(saved.status == .seeOther)
            #expect(try await probe.texts("SELECT array_to_string(milestones, ',') FROM petitions.settings") == ["25,75"])
            try await eventually("the change in the audit log") {
                try await probe.texts(
                    "SELECT details ->> 'milestones' FROM identity.audit_log WHERE action = 'petition.settings_changed' AND actor_account_id = \(administrator.id)"
                ) == ["25,75"]
            }
            #expect(try await web.get("/admin/reglages-petitions").text.contains("value=\"25, 75\""))
        }
    }
}
