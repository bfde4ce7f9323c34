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

/// The workshop pages: staff schedule one (errors in French next to their fields), anyone
/// registers without an account and gets a code and an invitation, a full workshop waitlists,
/// cancelling promotes the next person; staff see registrations (names and addresses only for
/// administrators), export them and check people in by code.
@Suite struct WorkshopPagesTests {
    static func day(_ offset: Int) -> String { ProcessDay.day(offset, after: ProcessDay.day(of: Date())) ?? "" }

    static func process(_ stack: GatewayStack) async throws -> ProcessView {
        try await stack.rpc.request(CreateProcess(
            draft: ProcessDraft(
                title: "Ateliers citoyens de la jeunesse", policy: "Politique jeunesse", purpose: "Associer les habitants du Nord.",
                phases: [ProcessPhaseDraft(kind: .workshops, startsOn: day(-1), endsOn: day(20))]
            ),
            staffID: UUID(), staffName: "Agnès Lefebvre"
        ))
    }

    static func workshop(_ stack: GatewayStack, _ process: ProcessView, capacity: Int) async throws -> WorkshopView {
        let start = try #require(WorkshopTime.date(fromLocal: "\(day(5))T18:00"))
        return try await stack.rpc.request(ScheduleWorkshop(
            processID: process.id, phaseID: process.phases[0].id,
            draft: WorkshopDraft(
                themes: ["Mobilité"], arrondissement: "Cambrai", place: "Salle des fêtes, Cambrai", startsAt: start, endsAt: start.addingTimeInterval(7200),
                capacity: capacity
            ),
            staffID: UUID(), staffName: "Agnès Lefebvre"
        ))
    }

    static func session(_ stack: GatewayStack, _ client: any TestClientProtocol, _ account: TestAccount) async throws -> WebSession {
        let web = WebSession(client.anonymous)
        web.setCookie(web.sessionCookieName, try await stack.openSession(for: account))
        return web
    }

    /// The token of a registration page's address.
    static func token(_ location: String?) -> String {
        let query = location?.split(separator: "?").last.map(String.init) ?? ""
        return query.split(separator: "&").first { $0.hasPrefix("jeton=") }.map { String($0.dropFirst(6)) } ?? ""
    }

    @Test func staffScheduleAWorkshopAndBadFieldsComeBackNextToThem() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let process = try await Self.process(stack)
            let web = try await Self.session(stack, client, try await stack.makeStaff([.staff]))
            let form = "/admin/processus/\(process.id.uuidString.lowercased())/ateliers/nouveau"
            let phase = ("etape", process.phases[0].id.uuidString.lowercased())

            // act
            let bad = try await web.submit(form, [
                phase, ("themes", "Mobilité"), ("arrondissement", "Lille"), ("lieu", "Mairie"), ("debut", "\(Self.day(3))T18:00"),
                ("fin", "\(Self.day(3))T17:00"), ("capacite", "0"),
            ], from: form)
            let good = try await web.submit(form, [
                phase, ("themes", "Mobilité\nLogement"), ("arrondissement", ""), ("autre-arrondissement", "Arras"), ("lieu", "Hôtel de ville, Arras"),
                ("debut", "\(Self.day(3))T18:00"), ("fin", "\(Self.day(3))T20:00"), ("capacite", "25"),
            ], from: form)

            // check
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("id=\"fin-error\"") && bad.text.contains("précède son début"))
            #expect(bad.text.contains("id=\"capacite-error\""))
            #expect(bad.text.contains("value=\"Mairie\""))
            #expect(good.status == .seeOther)
            let id = try #require(try await probe.texts("SELECT id::text FROM consultations.workshops").first ?? nil)
            #expect(good.location == "/admin/ateliers/\(id)?statut=atelier-programme")
            #expect(try await probe.texts("SELECT arrondissement FROM consultations.workshops") == ["Arras"])
            let list = try await web.get("/admin/processus/\(process.id.uuidString.lowercased())/ateliers")
            #expect(list.status == .ok && list.text.contains("Atelier citoyen — Arras : Mobilité, Logement"))
        }
    }

    @Test func registerWaitlistCancelAndPromotionThroughThePages() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let process = try await Self.process(stack)
            let workshop = try await Self.workshop(stack, process, capacity: 1)
            let page = "/ateliers/\(workshop.id.uuidString.lowercased())"
            let alice = WebSession(client.anonymous)
            let bruno = WebSession(client.anonymous)

            // act
            let processPage = try await client.anonymous.get("/processus/\(process.id.uuidString.lowercased())")
            let first = try await alice.submit("\(page)/inscription", [("nom", "Alice"), ("adresse", "alice@exemple.fr"), ("garde", "1")], from: page)
            let twice = try await bruno.submit("\(page)/inscription", [("nom", "Alice"), ("adresse", "Alice@exemple.fr")], from: page)
            let badAddress = try await bruno.submit("\(page)/inscription", [("nom", "Bruno"), ("adresse", "bruno@")], from: page)
            let second = try await bruno.submit("\(page)/inscription", [("nom", "Bruno"), ("adresse", "bruno@exemple.fr")], from: page)
            let aliceToken = Self.token(first.location)
            let brunoToken = Self.token(second.location)
            let aliceReceipt = try await alice.get("/inscription-atelier?jeton=\(aliceToken)")
            let brunoWaiting = try await bruno.get("/inscription-atelier?jeton=\(brunoToken)")
            let invitation = try await client.anonymous.get("/inscription-atelier/invitation.ics?jeton=\(aliceToken)")
            let feed = try await client.anonymous.get("/processus/\(process.id.uuidString.lowercased())/ateliers.ics")
            let cancelled = try await alice.submit("/inscription-atelier/annuler", [("jeton", aliceToken)], from: "/inscription-atelier?jeton=\(aliceToken)")
            let brunoPromoted = try await bruno.get("/inscription-atelier?jeton=\(brunoToken)")
            let unknown = try await client.anonymous.get("/inscription-atelier?jeton=inconnu")

            // check
            #expect(processPage.text.contains("Les ateliers (1)") && processPage.text.contains("1 place restante sur 1"))
            #expect(first.status == .seeOther && first.location?.hasSuffix("statut=inscription-confirmee") == true && aliceToken.count >= 40)
            #expect(twice.status == .conflict && twice.text.contains("id=\"adresse-error\"") && twice.text.contains("déjà inscrite"))
            #expect(badAddress.status == .unprocessableContent && badAddress.text.contains("id=\"adresse-error\""))
            #expect(second.location?.hasSuffix("statut=inscription-en-attente") == true)
            let code = try #require(try await probe.texts("SELECT check_in_code FROM consultations.workshop_registrations WHERE name = 'Alice'").first ?? nil)
            #expect(aliceReceipt.status == .ok && aliceReceipt.text.contains(code) && aliceReceipt.text.contains("Inscription confirmée"))
            #expect(brunoWaiting.text.contains("rang 1 dans la liste d&#39;attente") || brunoWaiting.text.contains("rang 1 dans la liste d'attente"))
            #expect(invitation.status == .ok && invitation.headers[.contentType] == "text/calendar; charset=utf-8")
            #expect(invitation.text.contains("BEGIN:VTIMEZONE") && invitation.text.contains("DTSTART;TZID=Europe/Paris:\(Self.day(5).replacingOccurrences(of: "-", with: ""))T180000"))
            #expect(invitation.text.replacingOccurrences(of: "\r\n ", with: "").contains("Votre code d'inscription : \(code)"))
            #expect(feed.status == .ok && feed.text.replacingOccurrences(of: "\r\n ", with: "").contains("UID:atelier-\(workshop.id.uuidString.lowercased())@"))
            #expect(cancelled.status == .seeOther && cancelled.location?.hasSuffix("statut=inscription-annulee") == true)
            #expect(brunoPromoted.text.contains("Inscription confirmée"))
            #expect(try await probe.texts("SELECT status FROM consultations.workshop_registrations ORDER BY registered_at") == ["cancelled", "confirmed"])
            #expect(unknown.status == .notFound)
        }
    }

    @Test func aSeatFromTheWaitlistIsConfirmedOnItsPageAndRefusedPastItsDeadline() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup: one seat, Alice's; Bruno and Chloé wait; Alice leaves, Bruno gets the seat
            let process = try await Self.process(stack)
            let workshop = try await Self.workshop(stack, process, capacity: 1)
            var receipts: [WorkshopRegistrationReceipt] = []
            for name in ["Alice", "Bruno", "Chloe"] {
                receipts.append(try await stack.rpc.request(RegisterForWorkshop(
                    workshopID: workshop.id, draft: WorkshopRegistrationDraft(name: name, email: "\(name.lowercased())@exemple.fr")
                )))
            }
            let (alice, bruno, chloe) = (receipts[0], receipts[1], receipts[2])
            _ = try await stack.rpc.request(CancelWorkshopRegistration(token: alice.cancelToken))
            let web = WebSession(client.anonymous)
            let brunoPage = "/inscription-atelier?jeton=\(bruno.cancelToken)"
            let chloePage = "/inscription-atelier?jeton=\(chloe.cancelToken)"

            // act
            let promoted = try await web.get(brunoPage)
            let waiting = try await web.get(chloePage)
            let confirmed = try await web.submit("/inscription-atelier/confirmer", [("jeton", bruno.cancelToken)], from: brunoPage)
            let kept = try await web.get(brunoPage)
            // Bruno leaves after all: the seat goes to Chloé, who lets her deadline pass
            _ = try await stack.rpc.request(CancelWorkshopRegistration(token: bruno.cancelToken))
            try await probe.execute("UPDATE consultations.workshop_registrations SET confirm_by = now() - interval '1 minute' WHERE id = \(chloe.registrationID)")
            let late = try await web.submit("/inscription-atelier/confirmer", [("jeton", chloe.cancelToken)], from: chloePage)

            // check
            #expect(promoted.text.contains("Confirmer ma place") && promoted.text.contains("confirmez-la avant le"))
            #expect(!waiting.text.contains("Confirmer ma place"))
            #expect(confirmed.status == .seeOther && confirmed.location?.hasSuffix("statut=place-confirmee") == true)
            #expect(kept.text.contains("Inscription confirmée") && !kept.text.contains("Confirmer ma place"))
            #expect(late.status == .conflict && late.text.contains("Le délai pour confirmer votre place est passé"))
            #expect(late.text.contains("role=\"alert\""))
            #expect(try await probe.texts("SELECT (promotion_confirmed_at IS NOT NULL)::text FROM consultations.workshop_registrations WHERE id = \(bruno.registrationID)") == ["true"])
        }
    }

    @Test func aWorkshopCalledOffSaysSoOnItsPageAndItsRegistrations() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let process = try await Self.process(stack)
            let workshop = try await Self.workshop(stack, process, capacity: 5)
            let receipt = try await stack.rpc.request(RegisterForWorkshop(
                workshopID: workshop.id, draft: WorkshopRegistrationDraft(name: "Chloé Martin", email: "chloe@exemple.fr")
            ))
            let path = "/admin/ateliers/\(workshop.id.uuidString.lowercased())"
            let staff = try await Self.session(stack, client, try await stack.makeStaff([.staff]))
            let publicPage = "/ateliers/\(workshop.id.uuidString.lowercased())"
            let before = try await client.anonymous.get(publicPage)

            // act
            let calledOff = try await staff.submit("\(path)/annuler", [], from: path)
            let after = try await client.anonymous.get(publicPage)
            let registration = try await client.anonymous.get("/inscription-atelier?jeton=\(receipt.cancelToken)")

            // check
            #expect(!before.text.contains("Atelier annulé") && before.text.contains("M'inscrire</button>"))
            #expect(calledOff.status == .seeOther && calledOff.location == "\(path)?statut=atelier-annule")
            #expect(after.text.contains("<strong>Atelier annulé</strong> par ses organisateurs") && !after.text.contains("M'inscrire</button>"))
            #expect(registration.text.contains("<strong>Atelier annulé</strong> par ses organisateurs"))
            #expect(!registration.text.contains("Annuler mon inscription") && !registration.text.contains(receipt.checkInCode))
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.outbox WHERE message_type = 'workshop.cancellation_notice_requested'") == 1)
        }
    }

    @Test func staffEditAWorkshopOnItsPageAndThroughTheAPI() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup: two seats taken, one waiting
            let process = try await Self.process(stack)
            let workshop = try await Self.workshop(stack, process, capacity: 2)
            var receipts: [WorkshopRegistrationReceipt] = []
            for name in ["Alice", "Bruno", "Chloe"] {
                receipts.append(try await stack.rpc.request(RegisterForWorkshop(
                    workshopID: workshop.id, draft: WorkshopRegistrationDraft(name: name, email: "\(name.lowercased())@exemple.fr")
                )))
            }
            let id = workshop.id.uuidString.lowercased()
            let path = "/admin/ateliers/\(id)/modifier"
            let web = try await Self.session(stack, client, try await stack.makeStaff([.staff]))
            func fields(capacity: String, day: Int = 5, place: String = "Salle des fêtes, Cambrai") -> [(String, String)] {
                [
                    ("themes", "Mobilité"), ("arrondissement", "Cambrai"), ("lieu", place), ("debut", "\(Self.day(day))T18:00"),
                    ("fin", "\(Self.day(day))T20:00"), ("capacite", capacity),
                ]
            }

            // act
            let form = try await web.get(path)
            let tooSmall = try await web.submit(path, fields(capacity: "1"), from: path)
            let moved = try await web.submit(path, fields(capacity: "3", day: 6, place: "Médiathèque, Cambrai"), from: path)
            let invitation = try await client.anonymous.get("/inscription-atelier/invitation.ics?jeton=\(receipts[0].cancelToken)")
            let staffAPI = BearerClient(base: client.anonymous, token: try await stack.issueStaffToken(roles: [.staff]))
            let apiBody = """
                {"themes": ["Mobilité"], "arrondissement": "Cambrai", "place": "Médiathèque, Cambrai", "startsAt": "\(Self.day(6))T18:00",
                 "endsAt": "\(Self.day(6))T20:00", "capacity": 2}
                """
            let apiTooSmall = try await staffAPI.execute(
                uri: "/api/v1/workshops/\(id)", method: .put, headers: [.contentType: "application/json"], body: ByteBuffer(string: apiBody)
            )
            let apiBigger = try await staffAPI.execute(
                uri: "/api/v1/workshops/\(id)", method: .put, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: apiBody.replacingOccurrences(of: "\"capacity\": 2", with: "\"capacity\": 4"))
            )

            // check
            #expect(form.status == .ok && (form.text.contains("<h1>Modifier l&#39;atelier</h1>") || form.text.contains("<h1>Modifier l'atelier</h1>")) && form.text.contains("value=\"Salle des fêtes, Cambrai\""))
            #expect(form.text.contains("value=\"\(Self.day(5))T18:00\"") && !form.text.contains("id=\"etape\""))
            #expect(tooSmall.status == .unprocessableContent && tooSmall.text.contains("id=\"capacite-error\""))
            #expect(tooSmall.text.contains("sous les 2 places déjà prises"))
            #expect(moved.status == .seeOther && moved.location == "/admin/ateliers/\(id)?statut=atelier-modifie")
            #expect(invitation.text.contains("SEQUENCE:1") && invitation.text.contains("DTSTART;TZID=Europe/Paris:\(Self.day(6).replacingOccurrences(of: "-", with: ""))T180000"))
            #expect(invitation.text.contains("UID:atelier-\(id)@"))
            #expect(apiTooSmall.status == .badRequest && apiTooSmall.apiError?.field == "capacity")
            let changed = try apiBigger.decode(WorkshopView.self)
            #expect(apiBigger.status == .ok && changed.capacity == 4 && changed.sequence == 1)
            // the seat added on the page went to Chloé
            #expect(try await probe.texts("SELECT status FROM consultations.workshop_registrations ORDER BY registered_at") == ["confirmed", "confirmed", "confirmed"])
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.outbox WHERE message_type = 'workshop.change_notice_requested'") == 3)
        }
    }

    @Test func registrationsShowPersonalDataOnlyToAdministratorsAndCheckInByCode() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let process = try await Self.process(stack)
            let workshop = try await Self.workshop(stack, process, capacity: 5)
            let receipt = try await stack.rpc.request(RegisterForWorkshop(
                workshopID: workshop.id, draft: WorkshopRegistrationDraft(name: "Chloé Martin", email: "chloe@exemple.fr", accessibilityNeeds: "Fauteuil")
            ))
            let path = "/admin/ateliers/\(workshop.id.uuidString.lowercased())"
            let staff = try await Self.session(stack, client, try await stack.makeStaff([.staff]))
            let administrator = try await Self.session(stack, client, try await stack.makeStaff([.administrator]))

            // act
            let staffPage = try await staff.get(path)
            let adminPage = try await administrator.get(path)
            let staffCSV = try await staff.get("\(path)/inscriptions.csv")
            let adminCSV = try await administrator.get("\(path)/inscriptions.csv")
            let badCode = try await staff.submit("\(path)/pointage", [("code", "ZZZZZZ")], from: path)
            let checkedIn = try await staff.submit("\(path)/pointage", [("code", receipt.checkInCode.lowercased())], from: path)

            // check
            #expect(staffPage.status == .ok && staffPage.text.contains(receipt.checkInCode) && staffPage.text.contains("Fauteuil"))
            #expect(!staffPage.text.contains("chloe@exemple.fr") && !staffPage.text.contains("Chloé Martin"))
            #expect(adminPage.text.contains("chloe@exemple.fr") && adminPage.text.contains("Chloé Martin"))
            #expect(staffCSV.status == .ok && !staffCSV.text.contains("chloe@exemple.fr") && staffCSV.text.contains(receipt.checkInCode))
            #expect(adminCSV.text.contains("Chloé Martin;chloe@exemple.fr;confirmed"))
            #expect(badCode.status == .unprocessableContent && badCode.text.contains("id=\"code-error\""))
            #expect(checkedIn.status == .seeOther && checkedIn.location == "\(path)?statut=presence-notee")
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.workshop_registrations WHERE checked_in_at IS NOT NULL") == 1)
        }
    }

    @Test func theAPISchedulesAndRegistersUnderTheSameRulesNamingFields() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let process = try await Self.process(stack)
            let staff = BearerClient(base: client.anonymous, token: try await stack.issueStaffToken(roles: [.staff]))
            let moderator = BearerClient(base: client.anonymous, token: try await stack.issueStaffToken(roles: [.moderator]))
            let base = "/api/v1/processes/\(process.id.uuidString.lowercased())/workshops"
            func body(ends: String, capacity: Int = 1) -> String {
                """
                {"phaseID": "\(process.phases[0].id.uuidString.lowercased())", "themes": ["Mobilité"], "arrondissement": "Dunkerque",
                 "onlineLink": "https://visio.example/atelier", "startsAt": "\(Self.day(4))T18:00", "endsAt": "\(ends)", "capacity": \(capacity)}
                """
            }

            // act
            let reversed = try await staff.post(base, json: body(ends: "\(Self.day(4))T17:00"))
            let unreadable = try await staff.post(base, json: body(ends: "demain"))
            let noSeat = try await staff.post(base, json: body(ends: "\(Self.day(4))T20:00", capacity: 0))
            let forbidden = try await moderator.post(base, json: body(ends: "\(Self.day(4))T20:00"))
            let created = try await staff.post(base, json: body(ends: "\(Self.day(4))T20:00"))
            let workshop = try created.decode(WorkshopView.self)
            let registrations = "/api/v1/workshops/\(workshop.id.uuidString.lowercased())/registrations"
            let first = try await client.anonymous.post(registrations, json: #"{"name": "Alice", "email": "alice@exemple.fr", "childcare": true}"#)
            let second = try await client.anonymous.post(registrations, json: #"{"name": "Bruno", "email": "bruno@exemple.fr"}"#)
            let twice = try await client.anonymous.post(registrations, json: #"{"name": "Alice", "email": "ALICE@exemple.fr"}"#)
            let noName = try await client.anonymous.post(registrations, json: #"{"name": "", "email": "claire@exemple.fr"}"#)
            let listed = try await client.anonymous.get(base)

            // check
            #expect(reversed.status == .badRequest && reversed.apiError?.field == "ends_at")
            #expect(unreadable.status == .badRequest && unreadable.apiError?.field == "ends_at")
            #expect(noSeat.status == .badRequest && noSeat.apiError?.field == "capacity")
            #expect(forbidden.status == .forbidden)
            #expect(created.status == .created && created.location == "/api/v1/workshops/\(workshop.id.uuidString.lowercased())")
            #expect(workshop.place.isEmpty && workshop.onlineLink == "https://visio.example/atelier")
            #expect(try first.decode(WorkshopRegistrationReceipt.self).status == .confirmed)
            #expect(try second.decode(WorkshopRegistrationReceipt.self).status == .waitlisted)
            #expect(twice.status == .conflict && twice.apiError?.field == "email")
            #expect(noName.status == .badRequest && noName.apiError?.field == "name")
            #expect(try listed.decode(WorkshopList.self).items.map(\.waitlistCount) == [1])
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.workshops") == 1)
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.workshop_registrations") == 2)
        }
    }

    @Test func oneClientRegisteringPastItsLimitIsRefusedWithoutStoring() async throws {
        let stack = try await GatewayStack.make()
        var limits = GatewaySettings.RateLimits.generous
        limits.workshopRegistration.limit = 2
        try await stack.run(settings: .forSecurityTests(rateLimits: limits)) { client, probe in
            // setup
            let process = try await Self.process(stack)
            let workshop = try await Self.workshop(stack, process, capacity: 10)
            let page = "/ateliers/\(workshop.id.uuidString.lowercased())"
            let web = WebSession(client.anonymous)

            // act
            var statuses: [HTTPResponse.Status] = []
            for index in 1...3 {
                statuses.append(try await web.submit("\(page)/inscription", [("nom", "Personne \(index)"), ("adresse", "p\(index)@exemple.fr")], from: page).status)
            }

            // check
            #expect(statuses == [.seeOther, .seeOther, .tooManyRequests])
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.workshop_registrations") == 2)
        }
    }
}
