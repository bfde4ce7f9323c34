import DialogueContracts
import Foundation
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import Messaging
import NIOCore
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The process pages and API: staff write a process phase by phase or from seed 001's model,
/// every refusal in French next to its field (JSON naming it) with nothing stored, and the
/// public timeline says which phase is over, running or to come.
@Suite struct ProcessPagesTests {
    static func session(_ stack: GatewayStack, _ client: any TestClientProtocol, _ account: TestAccount) async throws -> WebSession {
        let web = WebSession(client.anonymous)
        web.setCookie(web.sessionCookieName, try await stack.openSession(for: account))
        return web
    }

    static func day(_ offset: Int) -> String { ProcessDay.day(offset, after: ProcessDay.day(of: Date())) ?? "" }

    static let processFields: [(String, String)] = [
        ("titre", "Ateliers citoyens de la jeunesse"), ("politique", "Politique départementale de la jeunesse"),
        ("objet", "Associer les habitants du Nord à la politique jeunesse du Département."),
    ]

    /// A phase's fields in slot `slot` (1-based).
    static func phase(_ slot: Int, kind: String, name: String = "", starts: String, ends: String, documents: String = "") -> [(String, String)] {
        [
            ("etape-\(slot)-type", kind), ("etape-\(slot)-nom", name), ("etape-\(slot)-debut", starts), ("etape-\(slot)-fin", ends),
            ("etape-\(slot)-documents", documents),
        ]
    }

    @Test func staffWriteAProcessAndBadPhasesComeBackNextToTheirFields() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let web = try await Self.session(stack, client, try await stack.makeStaff([.staff]))
            let form = "/admin/processus/nouveau"

            // act: reversed days in phase 1, phase 2 overlapping it, phase 3 of no type
            let bad = Self.processFields + [("etapes", "3")]
                + Self.phase(1, kind: "call_for_contributions", starts: Self.day(10), ends: Self.day(2))
                + Self.phase(2, kind: "launch_forum", starts: Self.day(5), ends: Self.day(20))
                + Self.phase(3, kind: "", name: "Visite", starts: Self.day(30), ends: Self.day(31))
            let refused = try await web.submit(form, bad, from: form)
            let added = try await web.submit(form, Self.processFields + [("etapes", "1"), ("action", "ajouter")], from: form)
            let good = Self.processFields + [("etapes", "2")]
                + Self.phase(1, kind: "call_for_contributions", starts: Self.day(-3), ends: Self.day(20), documents: "Note de cadrage | https://example.org/cadrage.pdf")
                + Self.phase(2, kind: "free", name: "Visite de terrain", starts: Self.day(21), ends: Self.day(21))
            let saved = try await web.submit(form, good, from: form)

            // check
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("id=\"etape-1-fin-error\""))
            #expect(refused.text.contains("Le dernier jour de l&#39;étape 1 précède son premier jour") || refused.text.contains("Le dernier jour de l'étape 1 précède son premier jour"))
            #expect(refused.text.contains("id=\"etape-3-type-error\""))
            #expect(refused.text.contains("Choisissez le type de l&#39;étape 3.") || refused.text.contains("Choisissez le type de l'étape 3."))
            #expect(refused.text.contains("value=\"Visite\""))
            #expect(added.status == .ok && added.text.contains("id=\"etape-2-type\"") && !added.text.contains("id=\"etape-3-type\""))
            #expect(saved.status == .seeOther && saved.location == "/admin/processus?statut=demarche-creee")
            // only the good process was stored
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.processes") == 1)
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.process_phases") == 2)
            #expect(try await probe.texts("SELECT action FROM consultations.staff_audit") == ["process.created"])

            // the overlap alone names the second phase's first day
            let overlap = Self.processFields + [("etapes", "2")]
                + Self.phase(1, kind: "call_for_contributions", starts: Self.day(1), ends: Self.day(10))
                + Self.phase(2, kind: "launch_forum", starts: Self.day(10), ends: Self.day(10))
            let overlapping = try await web.submit(form, overlap, from: form)
            #expect(overlapping.status == .unprocessableContent && overlapping.text.contains("id=\"etape-2-debut-error\""))
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.processes") == 1)
        }
    }

    @Test func theModelFillsSevenStepsAndThePublicTimelineSaysWhereItStands() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let web = try await Self.session(stack, client, try await stack.makeStaff([.staff]))
            let form = "/admin/processus/nouveau"

            // act: the model, from a first day ten days ago
            let filled = try await web.submit(form, [("modele-debut", Self.day(-50)), ("action", "modele")], from: form)
            let badStart = try await web.submit(form, [("modele-debut", "demain"), ("action", "modele")], from: form)
            var fields = Self.processFields + [("etapes", "7")]
            for (index, phase) in ProcessTemplate.citizenWorkshops.phases(startingOn: Self.day(-50)).enumerated() {
                fields += Self.phase(index + 1, kind: phase.kind.rawValue, starts: phase.startsOn, ends: phase.endsOn)
            }
            let saved = try await web.submit(form, fields, from: form)
            let id = try #require(try await probe.texts("SELECT id::text FROM consultations.processes").first ?? nil)
            let list = try await client.anonymous.get("/processus")
            let page = try await client.anonymous.get("/processus/\(id)")
            let missing = try await client.anonymous.get("/processus/\(UUID().uuidString.lowercased())")

            // check: the seven steps, in order, ready to adjust
            #expect(filled.status == .ok)
            #expect(filled.text.contains("<option value=\"call_for_contributions\" selected>"))
            #expect(filled.text.contains("<option value=\"public_restitution\" selected>") && filled.text.contains("id=\"etape-7-type\""))
            #expect(badStart.status == .unprocessableContent && badStart.text.contains("id=\"modele-debut-error\""))
            #expect(saved.status == .seeOther)
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.process_phases") == 7)
            // 50 days in: the call (42 days) and the launch forum are over, the workshops run
            #expect(list.status == .ok && list.text.contains("Ateliers citoyens de la jeunesse"))
            #expect(list.text.contains("Étape 3 sur 7 en cours : Ateliers"))
            #expect(page.status == .ok)
            let steps = ["Appel à contributions", "Forum de lancement", "Ateliers", "Forum de synthèse", "Rapport d", "Adoption", "Restitution publique"]
            let positions = steps.compactMap { page.text.range(of: "Étape \(steps.firstIndex(of: $0)! + 1) : \($0)")?.lowerBound }
            #expect(positions.count == 7 && positions == positions.sorted())
            #expect(page.text.components(separatedBy: "<strong>Terminée</strong>").count - 1 == 2)
            #expect(page.text.components(separatedBy: "<strong>En cours</strong>").count - 1 == 1)
            #expect(page.text.components(separatedBy: "<strong>À venir</strong>").count - 1 == 4)
            #expect(page.text.contains("id=\"etape-3\" class=\"timeline-phase timeline-current\" aria-current=\"step\""))
            #expect(missing.status == .notFound)
        }
    }

    @Test func theAPIListsReadsAndLetsStaffCreateUnderTheSameRules() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let staff = BearerClient(base: client.anonymous, token: try await stack.issueStaffToken(roles: [.staff]))
            let moderator = BearerClient(base: client.anonymous, token: try await stack.issueStaffToken(roles: [.moderator]))
            let overlapping = """
                {"title": "Ateliers citoyens", "policy": "Politique jeunesse", "purpose": "Associer les habitants du Nord.",
                 "phases": [{"kind": "call_for_contributions", "startsOn": "2027-03-01", "endsOn": "2027-03-31"},
                            {"kind": "launch_forum", "startsOn": "2027-03-31", "endsOn": "2027-03-31"}]}
                """
            let badKind = """
                {"title": "Ateliers citoyens", "policy": "Politique jeunesse", "purpose": "Associer les habitants du Nord.",
                 "phases": [{"kind": "picnic", "startsOn": "2027-03-01", "endsOn": "2027-03-31"}]}
                """
            let model = """
                {"title": "Ateliers citoyens", "policy": "Politique jeunesse", "purpose": "Associer les habitants du Nord.",
                 "template": "citizen_workshops", "startsOn": "2027-03-01"}
                """

            // act
            let refused = try await staff.post("/api/v1/processes", json: overlapping)
            let unknownKind = try await staff.post("/api/v1/processes", json: badKind)
            let forbidden = try await moderator.post("/api/v1/processes", json: model)
            let anonymous = try await client.anonymous.post("/api/v1/processes", json: model)
            let created = try await staff.post("/api/v1/processes", json: model)
            let list = try await client.anonymous.get("/api/v1/processes")

            // check
            #expect(refused.status == .badRequest && refused.apiError?.field == "phases[1].starts_on")
            #expect(unknownKind.status == .badRequest && unknownKind.apiError?.field == "phases[0].kind")
            #expect(forbidden.status == .forbidden && anonymous.status == .unauthorized)
            #expect(created.status == .created)
            let process = try created.decode(ProcessView.self)
            #expect(created.location == "/api/v1/processes/\(process.id.uuidString.lowercased())")
            #expect(process.phases.count == 7 && process.phases.first?.startsOn == "2027-03-01")
            #expect(try list.decode(ProcessList.self).items.map(\.id) == [process.id])
            let read = try await client.anonymous.get("/api/v1/processes/\(process.id.uuidString.lowercased())")
            #expect(try read.decode(ProcessView.self) == process)
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.processes") == 1)
        }
    }

    @Test func aSignedInCitizenFollowsAProcessAndStops() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let process = try await stack.rpc.request(CreateProcess(
                draft: ProcessDraft(
                    title: "Ateliers citoyens de la jeunesse", policy: "Politique jeunesse", purpose: "Associer les habitants du Nord.",
                    phases: [ProcessPhaseDraft(kind: .workshops, startsOn: Self.day(1), endsOn: Self.day(9))]
                ),
                staffID: UUID(), staffName: "Agnès Lefebvre"
            ))
            let path = "/processus/\(process.id.uuidString.lowercased())"
            let account = try await stack.makeCitizen()
            let camille = try await Self.session(stack, client, account)

            // act
            let anonymousPage = try await client.anonymous.get(path)
            let followed = try await camille.submit("\(path)/suivre", [("suivre", "1")], from: path)
            let followingPage = try await camille.get(path)
            let stored = try await probe.int("SELECT count(*)::int8 FROM consultations.process_followers WHERE account_id = \(account.id)")
            let stopped = try await camille.submit("\(path)/suivre", [("suivre", "0")], from: path)

            // check
            #expect(anonymousPage.text.contains("Connectez-vous</a> pour suivre la démarche"))
            #expect(followed.status == .seeOther && followed.location == "\(path)?statut=demarche-suivie")
            #expect(followingPage.text.contains("Ne plus suivre la démarche"))
            #expect(stored == 1)
            #expect(stopped.location == "\(path)?statut=demarche-plus-suivie")
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.process_followers") == 0)
        }
    }
}
