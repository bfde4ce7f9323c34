import DialogueContracts
import Foundation
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// A process's indicators on the site, in CSV and in the API: the public page (linked from the
/// process) writes each share with its count and hides small numbers of people as « moins de 5 »
/// (and a complement as « non communiqué »), the staff page shows them exactly, the CSV says the
/// same as its page, the API answers what its document describes, and an unknown process is 404.
@Suite struct ProcessIndicatorsPagesTests {
    /// A process whose first phase holds one published proposal (its author of unknown
    /// département) and whose workshop in Lille, now over, had 6 seats taken and 3 people checked in.
    static func process(_ stack: GatewayStack, probe: Probe) async throws -> ProcessView {
        let (consultation, _) = try await ContributionAnswerPagesTests.publishedProposal(stack, probe: probe)
        let process = try await stack.rpc.request(CreateProcess(
            draft: ProcessDraft(
                title: "Ateliers citoyens de la mobilité", policy: "Politique de mobilité", purpose: "Associer les habitants du Nord.",
                phases: [
                    ProcessPhaseDraft(kind: .callForContributions, startsOn: ProcessPagesTests.day(-20), endsOn: ProcessPagesTests.day(-2), consultationID: consultation.id),
                    ProcessPhaseDraft(kind: .workshops, startsOn: ProcessPagesTests.day(-1), endsOn: ProcessPagesTests.day(30)),
                ]
            ),
            staffID: UUID(), staffName: "Agnès"
        ))
        let start = try #require(WorkshopTime.date(fromLocal: "\(ProcessPagesTests.day(7))T18:00"))
        let workshop = try await stack.rpc.request(ScheduleWorkshop(
            processID: process.id, phaseID: process.phases[1].id,
            draft: WorkshopDraft(themes: ["Covoiturage"], arrondissement: "Lille", place: "Salle Pasteur", startsAt: start, endsAt: start.addingTimeInterval(7_200), capacity: 20),
            staffID: UUID(), staffName: "Agnès"
        ))
        for (index, name) in ["Anne", "Bruno", "Chloé", "David", "Emma", "Fanny"].enumerated() {
            let receipt = try await stack.rpc.request(RegisterForWorkshop(
                workshopID: workshop.id, draft: WorkshopRegistrationDraft(name: name, email: "\(name.lowercased())-\(UUID().uuidString.prefix(6))@exemple.fr")
            ))
            if index < 3 {
                _ = try await stack.rpc.request(CheckInWorkshopRegistration(workshopID: workshop.id, code: receipt.checkInCode, staffID: UUID(), staffName: "Agnès"))
            }
        }
        // Over since yesterday (registrations to a past workshop are refused: they came first).
        let yesterday = try #require(WorkshopTime.date(fromLocal: "\(ProcessPagesTests.day(-1))T18:00"))
        try await probe.execute(
            "UPDATE consultations.workshops SET starts_at = \(yesterday), ends_at = \(yesterday.addingTimeInterval(7_200)) WHERE id = \(workshop.id)"
        )
        return process
    }

    static let percent = "\u{202F}%"

    @Test func thePublicPageHidesSmallNumbersAndStaffSeeThemExactly() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let process = try await Self.process(stack, probe: probe)
            let id = process.id.uuidString.lowercased()
            let anonymous = WebSession(client.anonymous)
            let web = try await ProcessPagesTests.session(stack, client, try await stack.makeStaff([.staff]))

            // act
            let processPage = try await anonymous.get("/processus/\(id)")
            let page = try await anonymous.get("/processus/\(id)/indicateurs")
            let staffPage = try await web.get("/admin/processus/\(id)/indicateurs")
            let staffByAnonymous = try await anonymous.get("/admin/processus/\(id)/indicateurs")
            let unknown = try await anonymous.get("/processus/\(UUID().uuidString.lowercased())/indicateurs")

            // check: linked from the process, tables with captions, each share with its count
            #expect(processPage.text.contains("href=\"/processus/\(id)/indicateurs\""))
            #expect(page.status == .ok && page.isHTML)
            #expect(page.text.contains("<caption>Participants par département de résidence</caption>"))
            #expect(page.text.contains("<th scope=\"row\">Non renseigné ou hors région</th><td>7 sur 7, soit 100\(Self.percent)</td>"))
            #expect(page.text.contains("<th scope=\"row\">Déposées en ligne</th><td>1 sur 1, soit 100\(Self.percent)</td>"))
            // check: the lone contributor of phase 1 and the 3 present, 3 absent hidden; the workshop's 6 shown
            #expect(page.text.contains("<th scope=\"row\">Étape 1 : Appel à contributions</th><td>moins de 5</td>"))
            #expect(page.text.contains("<td>6</td><td>moins de 5</td><td>moins de 5</td><td>moins de 5</td>"))
            // check: Lille (6 of 7) would give back the 1 « non renseigné »: hidden as a complement
            #expect(page.text.contains("<th scope=\"row\">Lille</th><td>non communiqué</td>"))
            #expect(page.text.contains("<th scope=\"row\">Non renseigné</th><td>moins de 5</td>"))
            #expect(page.text.contains("Protection des petits effectifs"))
            #expect(page.text.contains("n&#39;a donné sa tranche d&#39;âge") || page.text.contains("n'a donné sa tranche d'âge"))
            // check: staff read the same tables exactly
            #expect(staffPage.status == .ok)
            #expect(staffPage.text.contains("<th scope=\"row\">Étape 1 : Appel à contributions</th><td>1</td>"))
            #expect(staffPage.text.contains("<td>6</td><td>3</td><td>3</td><td>3 sur 6, soit 50\(Self.percent)</td>"))
            #expect(staffPage.text.contains("<th scope=\"row\">Lille</th><td>6 sur 7, soit 86\(Self.percent)</td>"))
            #expect(!staffPage.text.contains("moins de 5</td>"))
            #expect(staffByAnonymous.status != .ok && !staffByAnonymous.text.contains("6 sur 7"))
            #expect(unknown.status == .notFound)
        }
    }

    @Test func theCSVSaysWhatItsPageSays() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let process = try await Self.process(stack, probe: probe)
            let id = process.id.uuidString.lowercased()
            let web = try await ProcessPagesTests.session(stack, client, try await stack.makeStaff([.staff]))

            // act
            let open = try await WebSession(client.anonymous).get("/processus/\(id)/indicateurs.csv")
            let exact = try await web.get("/admin/processus/\(id)/indicateurs.csv")

            // check
            #expect(open.status == .ok && open.header("Content-Type") == "text/csv; charset=utf-8")
            #expect(open.header("Content-Disposition")?.contains("indicateurs-\(id).csv") == true)
            #expect(open.text.hasPrefix("\u{FEFF}tableau;ligne;colonne;valeur\r\n"))
            #expect(open.text.contains("Personnes ayant pris part à chaque étape, chacune comptée une fois par étape;Étape 1 : Appel à contributions;Personnes;moins de 5\r\n"))
            #expect(open.text.contains("Participants par arrondissement de l'atelier suivi;Lille;Personnes (part des participants);non communiqué\r\n"))
            #expect(exact.status == .ok && exact.header("Cache-Control") == "no-store")
            #expect(exact.text.contains("Participants par arrondissement de l'atelier suivi;Lille;Personnes (part des participants);6 sur 7, soit 86\(Self.percent)\r\n"))
            #expect(exact.text.contains(";Étape 1 : Appel à contributions;Personnes;1\r\n"))
        }
    }

    @Test func theAPIAnswersWhatItsDocumentDescribes() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let process = try await Self.process(stack, probe: probe)
            let path = "/api/v1/processes/\(process.id.uuidString.lowercased())/indicators"
            let staff = BearerClient(base: client.anonymous, token: try await stack.issueStaffToken(roles: [.staff]))

            // act
            let open = try await client.anonymous.get(path)
            let exact = try await staff.get(path)
            let unknown = try await client.anonymous.get("/api/v1/processes/\(UUID().uuidString.lowercased())/indicators")
            let malformed = try await client.anonymous.get("/api/v1/processes/pas-un-identifiant/indicators")
            let document = try await client.anonymous.get("/api/v1/openapi.json")

            // check: the figures, hidden for anyone, exact for staff
            #expect(open.status == .ok && open.isJSON)
            let figures = try open.decode(ProcessIndicators.self)
            #expect(figures.audience == .public && figures.participants == PeopleCount(7))
            #expect(figures.byPhase.map(\.people.hidden) == [.small, nil])
            #expect(figures.workshops.map(\.attended.hidden) == [.small])
            let staffFigures = try exact.decode(ProcessIndicators.self)
            #expect(staffFigures.audience == .staff && staffFigures.workshops.map(\.attended) == [PeopleCount(3)])
            #expect(unknown.status == .notFound && unknown.apiError != nil)
            #expect(malformed.status == .notFound && malformed.apiError != nil)

            // check: every key the document requires is there, and none it does not describe
            let spec = try #require(try JSONSerialization.jsonObject(with: Data(document.text.utf8)) as? [String: Any])
            let schemas = try #require((spec["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
            let body = try #require(try JSONSerialization.jsonObject(with: Data(open.text.utf8)) as? [String: Any])
            func conforms(_ object: [String: Any], to schema: [String: Any], _ name: String) {
                let required = Set(schema["required"] as? [String] ?? [])
                let described = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
                #expect(required.isSubset(of: object.keys), "\(name) misses \(required.subtracting(object.keys))")
                #expect(Set(object.keys).isSubset(of: described), "\(name) has undescribed \(Set(object.keys).subtracting(described))")
            }
            let indicators = try #require(schemas["ProcessIndicators"])
            conforms(body, to: indicators, "ProcessIndicators")
            let properties = try #require(indicators["properties"] as? [String: [String: Any]])
            for people in (body["byPhase"] as? [[String: Any]] ?? []).compactMap({ $0["people"] as? [String: Any] }) {
                conforms(people, to: try #require(schemas["PeopleCount"]), "PeopleCount")
            }
            for cell in body["byArrondissement"] as? [[String: Any]] ?? [] { conforms(cell, to: try #require(schemas["PeopleCell"]), "PeopleCell") }
            for name in ["contributions", "recommendations"] {
                conforms(try #require(body[name] as? [String: Any]), to: try #require(properties[name]), name)
            }
            let workshop = try #require((properties["workshops"]?["items"]) as? [String: Any])
            for item in body["workshops"] as? [[String: Any]] ?? [] { conforms(item, to: workshop, "workshop") }
            #expect((body["workshops"] as? [Any])?.count == 1)
        }
    }
}
