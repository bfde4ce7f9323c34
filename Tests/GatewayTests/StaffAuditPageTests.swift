import DialogueContracts
import Foundation
import Gateway
import Identity
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The staff audit page lists, in one list, the gateway's own entries and those the services
/// recorded in the transaction of their actions (copied from their announcements).
@Suite struct StaffAuditPageTests {
    @Test func theAuditPageShowsAPaperBatchThePetitionsServiceRecorded() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: a published petition, a staff member who enters paper signatures, an administrator who reads the log
            let petition = try await stack.rpc.request(CreatePetition(
                title: "Un abri au parking relais d'Arras", text: "Nous demandons un abri pour les vélos.", reasons: "Il pleut souvent à Arras."
            ))
            try await probe.openThroughModeration(petition.id, topology: stack.topology)
            let staff = try await stack.makeStaff([.staff])
            let staffWeb = WebSession(client)
            staffWeb.setCookie(staffWeb.sessionCookieName, try await stack.openSession(for: staff))
            let administrator = try await stack.makeStaff([.administrator])
            let administratorWeb = WebSession(client)
            administratorWeb.setCookie(administratorWeb.sessionCookieName, try await stack.openSession(for: administrator))
            let path = "/admin/petitions/\(petition.id.uuidString.lowercased())"

            // act
            let added = try await staffWeb.submit(
                path + "/papier", [("nombre", "12"), ("date", "2026-03-02"), ("lieu", "Place des Héros")], from: path
            )
            #expect(added.status == .seeOther)

            // check: the entry is the petitions service's, by the staff member, and the page shows it
            #expect(try await probe.int(
                "SELECT count(*)::int8 FROM petitions.staff_audit WHERE action = 'petition.paper_signatures_added' AND staff_id = \(staff.id)"
            ) == 1)
            try await eventually("the entry copied into the gateway's audit log") {
                try await probe.int("SELECT count(*)::int8 FROM identity.audit_log WHERE recorded_by = 'petitions'") == 1
            }
            let page = try await administratorWeb.get("/admin/journal")
            #expect(page.status == .ok)
            let row = try #require(page.text.components(separatedBy: "<tr>").first { $0.contains("petition.paper_signatures_added") })
            #expect(row.contains("<td>\(staff.email)</td>"))
            #expect(row.contains("signatures : 12"))
            #expect(row.contains("place : Place des Héros"))
            #expect(row.contains("<td>petitions</td>"))

            // a second delivery of the same announcement adds nothing
            let announcement = try await probe.texts(
                "SELECT convert_from(body, 'UTF8') FROM petitions.outbox WHERE message_type = \(StaffActionRecorded.messageType)"
            )
            let event = try MessageCoding.decode(StaffActionRecorded.self, from: Array(((announcement.first ?? nil) ?? "").utf8))
            try await publishEvent(event, topology: stack.topology)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.audit_log WHERE recorded_by = 'petitions'") == 1)
        }
    }
}
