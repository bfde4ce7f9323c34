import DialogueContracts
import Foundation
import Gateway
import Identity
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// The signatures export: personal data, administrators only, audited, safe in a spreadsheet.
@Suite struct SignatureExportTests {
    @Test func administratorsExportTheSignaturesAndOthersCannot() async throws {
        let stack = try await GatewayStack.make(threshold: 100)
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let petition = try await client.createPetition(title: "Des bus le dimanche à Laon")
            try await probe.openThroughModeration(petition.id, topology: stack.topology)
            try await client.signAndConfirm(petition.id, email: "lea@exemple.fr", name: "Léa Fontaine", postcode: "02000", probe: probe)
            try await client.signAndConfirm(petition.id, email: "x@exemple.fr", name: "=HYPERLINK(\"http://x\";\"y\")", postcode: "75011", probe: probe)
            // not counted, not exported: a signature still waiting for its confirmation
            #expect(try await client.sign(petition.id, email: "attente@exemple.fr", name: "En Attente").status == .accepted)
            _ = try await probe.signatureToken(to: "attente@exemple.fr")
            try await eventually("both counted") { try await probe.signatureCount(petition.id) == 2 }
            let path = "/admin/petitions/\(petition.id.uuidString.lowercased())/signatures.csv"

            let staffWeb = WebSession(client)
            staffWeb.setCookie(staffWeb.sessionCookieName, try await stack.openSession(for: try await stack.makeStaff([.staff])))
            #expect(try await staffWeb.get(path).status == .forbidden)
            #expect(try await WebSession(client).get(path).status != .ok)

            let administrator = try await stack.makeStaff([.administrator])
            let adminWeb = WebSession(client)
            adminWeb.setCookie(adminWeb.sessionCookieName, try await stack.openSession(for: administrator))
            let export = try await adminWeb.get(path)
            #expect(export.status == .ok)
            #expect(export.header("Content-Type") == "text/csv; charset=utf-8")
            let lines = export.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 3)
            #expect(lines[0] == "\u{FEFF}nom;adresse;code_postal;departement;signee_le")
            #expect(lines.contains { $0.hasPrefix("Léa Fontaine;lea@exemple.fr;02000;02;") })
            // A formula is neutralised and quoted (it holds a ; and quotes).
            #expect(lines.contains { $0.hasPrefix("\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\";x@exemple.fr;75011;;") })
            #expect(try await probe.int(
                "SELECT count(*)::int8 FROM identity.audit_log WHERE action = 'petition.signatures_exported' AND object_id = \(petition.id.uuidString.lowercased())"
            ) == 1)
        }
    }
}
