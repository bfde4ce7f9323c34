import ConsultationService
import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Workshops over RPC, against the real service, database and broker: scheduling within a
/// phase, refusals naming their field with nothing stored, seats then the waitlist, promotion
/// in order when seats free up (also under concurrent cancellations), check-in codes, and
/// fill-level alerts told once each.
@Suite struct WorkshopTests {
    typealias H = ProcessHarness

    /// A process whose workshops phase runs from yesterday to 30 days from now.
    static func process(_ harness: ProcessHarness) async throws -> (process: ProcessView, phase: ProcessPhaseView) {
        let process = try await harness.create(H.draft(phases: [
            ProcessPhaseDraft(kind: .callForContributions, startsOn: H.day(-20), endsOn: H.day(-2)),
            ProcessPhaseDraft(kind: .workshops, startsOn: H.day(-1), endsOn: H.day(30)),
        ]))
        return (process, process.phases[1])
    }

    /// Seven days from now at 18:00 in Paris, for `hours`.
    static func draft(capacity: Int, startsIn days: Int = 7, hours: Int = 2) -> WorkshopDraft {
        let start = WorkshopTime.date(fromLocal: "\(H.day(days))T18:00") ?? Date()
        return WorkshopDraft(
            themes: ["Mobilité", " Logement "], arrondissement: "Lille", place: "Hôtel du Département, 51 rue Gustave-Delory, Lille",
            startsAt: start, endsAt: start.addingTimeInterval(Double(hours) * 3600), capacity: capacity, accessibility: "Accès de plain-pied"
        )
    }

    static func schedule(_ harness: ProcessHarness, _ draft: WorkshopDraft) async throws -> WorkshopView {
        let (process, phase) = try await self.process(harness)
        return try await harness.rpc.request(ScheduleWorkshop(processID: process.id, phaseID: phase.id, draft: draft, staffID: H.staff.id, staffName: H.staff.name))
    }

    static func register(_ harness: ProcessHarness, _ workshop: WorkshopView, _ name: String) async throws -> WorkshopRegistrationReceipt {
        try await harness.rpc.request(RegisterForWorkshop(
            workshopID: workshop.id, draft: WorkshopRegistrationDraft(name: name, email: "\(name.lowercased())@exemple.fr")
        ))
    }

    @Test func staffScheduleAWorkshopWithinItsPhaseAudited() async throws {
        try await withProcesses { (harness: ProcessHarness) async throws in
            // act
            let workshop = try await Self.schedule(harness, Self.draft(capacity: 30))

            // check
            #expect(workshop.themes == ["Mobilité", "Logement"] && workshop.arrondissement == "Lille" && workshop.capacity == 30)
            #expect(workshop.status == .scheduled && workshop.seatsLeft == 30)
            #expect(WorkshopTime.local(workshop.startsAt) == "\(H.day(7))T18:00")
            let listed = try await harness.rpc.request(ListProcessWorkshops(processID: workshop.processID))
            #expect(listed.items == [workshop])
            let audit = try await harness.texts("SELECT action FROM consultations.staff_audit WHERE object_type = 'workshop'")
            #expect(audit == ["workshop.scheduled"])
            #expect(try await harness.outbox(WorkshopScheduled.self).map(\.workshop.id) == [workshop.id])
        }
    }

    @Test func badWorkshopsNameTheirFieldAndStoreNothing() async throws {
        try await withProcesses { (harness: ProcessHarness) async throws in
            // setup
            let (process, phase) = try await Self.process(harness)
            func schedule(_ change: (inout WorkshopDraft) -> Void) async -> RequestFailure? {
                var draft = Self.draft(capacity: 10)
                change(&draft)
                return await refusal {
                    try await harness.rpc.request(ScheduleWorkshop(processID: process.id, phaseID: phase.id, draft: draft, staffID: H.staff.id, staffName: H.staff.name))
                }
            }

            // act
            let reversed = await schedule { $0.endsAt = $0.startsAt.addingTimeInterval(-60) }
            let outside = await schedule {
                $0.startsAt = WorkshopTime.date(fromLocal: "\(H.day(45))T18:00") ?? Date()
                $0.endsAt = $0.startsAt.addingTimeInterval(3600)
            }
            let noSeat = await schedule { $0.capacity = 0 }
            let nowhere = await schedule { $0.place = "" }
            let script = await schedule { $0.onlineLink = "javascript:alert(1)" }
            let otherPhase = await refusal {
                try await harness.rpc.request(ScheduleWorkshop(
                    processID: process.id, phaseID: UUID(), draft: Self.draft(capacity: 10), staffID: H.staff.id, staffName: H.staff.name
                ))
            }

            // check
            #expect(reversed?.field == "ends_at" && reversed?.message.contains("précède son début") == true)
            #expect(outside?.field == "starts_at" && outside?.message.contains("hors de son étape") == true)
            #expect(noSeat?.field == "capacity")
            #expect(nowhere?.field == "place")
            #expect(script?.field == "online_link")
            #expect(otherPhase?.field == "phase_id")
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.workshops") == 0)
        }
    }

    @Test func seatsThenTheWaitlistAndRefusalsOfRegistrations() async throws {
        try await withProcesses { (harness: ProcessHarness) async throws in
            // setup
            let workshop = try await Self.schedule(harness, Self.draft(capacity: 2))

            // act
            let first = try await Self.register(harness, workshop, "Alice")
            let second = try await Self.register(harness, workshop, "Bruno")
            let third = try await Self.register(harness, workshop, "Chloé")
            let fourth = try await Self.register(harness, workshop, "David")
            let twice = await refusal {
                try await harness.rpc.request(RegisterForWorkshop(workshopID: workshop.id, draft: WorkshopRegistrationDraft(name: "Alice B.", email: " ALICE@exemple.fr ")))
            }
            let badAddress = await refusal {
                try await harness.rpc.request(RegisterForWorkshop(workshopID: workshop.id, draft: WorkshopRegistrationDraft(name: "Eve", email: "eve@")))
            }

            // check
            #expect([first, second, third, fourth].map(\.status) == [.confirmed, .confirmed, .waitlisted, .waitlisted])
            #expect([third.waitlistPosition, fourth.waitlistPosition] == [1, 2] && first.waitlistPosition == nil)
            #expect(Set([first, second, third, fourth].map(\.checkInCode)).count == 4)
            #expect([first, second].allSatisfy { $0.checkInCode.count == 6 })
            #expect(first.cancelToken.count >= 40 && first.cancelToken != second.cancelToken)
            #expect(twice?.code == .conflict && twice?.field == "email" && twice?.message.contains("déjà inscrite") == true)
            #expect(badAddress?.code == .invalid && badAddress?.field == "email")
            let read = try await harness.rpc.request(GetWorkshop(workshopID: workshop.id))
            #expect(read.confirmedCount == 2 && read.waitlistCount == 2 && read.seatsLeft == 0)
            #expect(try await harness.outbox(WorkshopRegistrationConfirmed.self).map(\.registration.email) == ["alice@exemple.fr", "bruno@exemple.fr"])
            #expect(try await harness.outbox(WorkshopRegistrationWaitlisted.self).map(\.registration.waitlistPosition) == [1, 2])
            let reread = try await harness.rpc.request(GetWorkshopRegistration(token: third.cancelToken))
            #expect(reread.registrationID == third.registrationID && reread.status == .waitlisted && reread.waitlistPosition == 1)
            #expect(reread.checkInCode == third.checkInCode && reread.workshop.waitlistCount == 2)

            // a cancelled workshop, then one already begun, take no registration
            _ = try await harness.rpc.request(CancelWorkshop(workshopID: workshop.id, staffID: H.staff.id, staffName: H.staff.name))
            let cancelled = await refusal { try await Self.register(harness, workshop, "Émile") }
            #expect(cancelled?.code == .conflict && cancelled?.message.contains("annulé") == true)
            let begunStart = Date().addingTimeInterval(-600)
            var begunDraft = Self.draft(capacity: 5)
            (begunDraft.startsAt, begunDraft.endsAt) = (begunStart, begunStart.addingTimeInterval(7200))
            let begun = try await Self.schedule(harness, begunDraft)
            let late = await refusal { try await Self.register(harness, begun, "Fanny") }
            #expect(late?.code == .conflict && late?.message.contains("a commencé") == true)
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.workshop_registrations") == 4)
        }
    }

    @Test func aCancellationPromotesTheFirstOfTheWaitlist() async throws {
        try await withProcesses { (harness: ProcessHarness) async throws in
            // setup
            let workshop = try await Self.schedule(harness, Self.draft(capacity: 1))
            let alice = try await Self.register(harness, workshop, "Alice")
            let bruno = try await Self.register(harness, workshop, "Bruno")
            let chloe = try await Self.register(harness, workshop, "Chloe")

            // act
            let cancelled = try await harness.rpc.request(CancelWorkshopRegistration(token: alice.cancelToken))
            let again = try await harness.rpc.request(CancelWorkshopRegistration(token: alice.cancelToken))
            let unknown = await refusal { try await harness.rpc.request(CancelWorkshopRegistration(token: "pas-un-jeton")) }

            // check
            #expect(cancelled.status == .cancelled && again.status == .cancelled)
            #expect(try await harness.rpc.request(GetWorkshopRegistration(token: bruno.cancelToken)).status == .confirmed)
            let chloeNow = try await harness.rpc.request(GetWorkshopRegistration(token: chloe.cancelToken))
            #expect(chloeNow.status == .waitlisted && chloeNow.waitlistPosition == 1)
            #expect(unknown?.code == .notFound)
            #expect(try await harness.outbox(WorkshopRegistrationPromoted.self).map(\.registration.registrationID) == [bruno.registrationID])
            #expect(try await harness.outbox(WorkshopRegistrationCancelled.self).map(\.heldSeat) == [true])

            // a waitlisted person leaving frees no seat: nobody is promoted
            _ = try await harness.rpc.request(CancelWorkshopRegistration(token: chloe.cancelToken))
            #expect(try await harness.outbox(WorkshopRegistrationPromoted.self).count == 1)
            #expect(try await harness.rpc.request(GetWorkshop(workshopID: workshop.id)).confirmedCount == 1)
        }
    }

    @Test func concurrentCancellationsPromoteInOrderWithoutGivingASeatTwice() async throws {
        try await withProcesses(replicas: 3) { (harness: ProcessHarness) async throws in
            // setup: 4 seats taken, 8 waiting
            let workshop = try await Self.schedule(harness, Self.draft(capacity: 4))
            var confirmed: [WorkshopRegistrationReceipt] = []
            var waiting: [WorkshopRegistrationReceipt] = []
            for index in 1...12 {
                let receipt = try await Self.register(harness, workshop, "Personne\(index)")
                if receipt.status == .confirmed { confirmed.append(receipt) } else { waiting.append(receipt) }
            }
            #expect(confirmed.count == 4 && waiting.count == 8)

            // act: every seat given up at once, each cancel sent twice
            try await withThrowingTaskGroup(of: Void.self) { group in
                for receipt in confirmed + confirmed {
                    group.addTask { _ = try await harness.rpc.request(CancelWorkshopRegistration(token: receipt.cancelToken)) }
                }
                try await group.waitForAll()
            }

            // check: the first four waiting got the four seats, the others still wait in order
            let list = try await harness.rpc.request(ListWorkshopRegistrations(workshopID: workshop.id, withPersonalData: true))
            let seated = list.entries.filter { $0.status == .confirmed }.map(\.id)
            #expect(Set(seated) == Set(waiting.prefix(4).map(\.registrationID)))
            #expect(list.entries.filter { $0.status == .waitlisted }.map(\.id) == waiting.suffix(4).map(\.registrationID))
            #expect(list.entries.filter { $0.status == .waitlisted }.map(\.waitlistPosition) == [1, 2, 3, 4])
            #expect(list.workshop.confirmedCount == 4)
            let promoted = try await harness.outbox(WorkshopRegistrationPromoted.self).map(\.registration.registrationID)
            #expect(promoted.count == 4 && Set(promoted) == Set(waiting.prefix(4).map(\.registrationID)))
            #expect(try await harness.outbox(WorkshopRegistrationCancelled.self).count == 4)
        }
    }

    @Test func checkInByCodeAndPersonalDataOnlyWhenAsked() async throws {
        try await withProcesses { (harness: ProcessHarness) async throws in
            // setup
            let workshop = try await Self.schedule(harness, Self.draft(capacity: 1))
            let alice = try await Self.register(harness, workshop, "Alice")
            let bruno = try await Self.register(harness, workshop, "Bruno")
            func checkIn(_ code: String) async throws -> WorkshopCheckIn {
                try await harness.rpc.request(CheckInWorkshopRegistration(workshopID: workshop.id, code: code, staffID: H.staff.id, staffName: H.staff.name))
            }
            let typed = " " + alice.checkInCode.prefix(3).lowercased() + "-" + alice.checkInCode.suffix(3).lowercased()

            // act
            let first = try await checkIn(String(typed))
            let second = try await checkIn(alice.checkInCode)
            let waiting = await refusal { try await checkIn(bruno.checkInCode) }
            let unknown = await refusal { try await checkIn("ZZZZZZ") }

            // check
            #expect(first.registrationID == alice.registrationID && !first.alreadyCheckedIn && second.alreadyCheckedIn)
            #expect(waiting?.field == "code" && waiting?.message.contains("liste d'attente") == true)
            #expect(unknown?.field == "code")
            let hidden = try await harness.rpc.request(ListWorkshopRegistrations(workshopID: workshop.id, withPersonalData: false))
            #expect(hidden.entries.map(\.checkInCode) == [alice.checkInCode, bruno.checkInCode])
            #expect(hidden.entries.allSatisfy { $0.name == nil && $0.email == nil })
            #expect(hidden.entries[0].checkedInAt != nil && hidden.entries[1].checkedInAt == nil)
            let shown = try await harness.rpc.request(ListWorkshopRegistrations(workshopID: workshop.id, withPersonalData: true))
            #expect(shown.entries.map(\.email) == ["alice@exemple.fr", "bruno@exemple.fr"])
        }
    }

    @Test func fillLevelsAreToldOnceEach() async throws {
        try await withProcesses { (harness: ProcessHarness) async throws in
            // setup
            let workshop = try await Self.schedule(harness, Self.draft(capacity: 4))

            // act: 1/4, 2/4 (50 %), 3/4, 4/4 (80 and 100 %), then a seat freed and taken again
            var receipts: [WorkshopRegistrationReceipt] = []
            for name in ["Alice", "Bruno", "Chloe"] { receipts.append(try await Self.register(harness, workshop, name)) }
            let afterThree = try await harness.outbox(WorkshopFillLevelReached.self).map(\.percentage)
            receipts.append(try await Self.register(harness, workshop, "David"))
            _ = try await harness.rpc.request(CancelWorkshopRegistration(token: receipts[0].cancelToken))
            _ = try await Self.register(harness, workshop, "Emile")

            // check
            #expect(afterThree == [50])
            #expect(try await harness.outbox(WorkshopFillLevelReached.self).map(\.percentage) == [50, 80, 100])
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.workshop_fill_alerts") == 3)
        }
    }

    @Test func anErasedAccountsRegistrationsKeepTheirSeatButLoseWhatWasTyped() async throws {
        try await withProcesses { (harness: ProcessHarness) async throws in
            // setup
            let workshop = try await Self.schedule(harness, Self.draft(capacity: 3))
            let (erased, kept) = (UUID(), UUID())
            let gone = try await harness.rpc.request(RegisterForWorkshop(
                workshopID: workshop.id, draft: WorkshopRegistrationDraft(name: "Gaëlle", email: "gaelle@exemple.fr", accessibilityNeeds: "Fauteuil"), accountID: erased
            ))
            _ = try await harness.rpc.request(RegisterForWorkshop(
                workshopID: workshop.id, draft: WorkshopRegistrationDraft(name: "Hugo", email: "hugo@exemple.fr"), accountID: kept
            ))

            // act
            try await publishEvent(AccountErased(accountID: erased, normalizedEmails: [], erasedAt: Date()), topology: harness.topology)

            // check
            try await eventually("the erased account's registration emptied") {
                try await harness.int("SELECT count(*)::integer FROM consultations.workshop_registrations WHERE account_id = \(erased)") == 0
            }
            let list = try await harness.rpc.request(ListWorkshopRegistrations(workshopID: workshop.id, withPersonalData: true))
            #expect(list.entries.map(\.email) == ["", "hugo@exemple.fr"])
            #expect(list.entries.map(\.status) == [.confirmed, .confirmed] && list.entries[0].accessibilityNeeds.isEmpty)
            #expect(try await harness.rpc.request(GetWorkshopRegistration(token: gone.cancelToken)).status == .confirmed)
            // the address may register again
            #expect(try await Self.register(harness, workshop, "Gaelle").status == .confirmed)
        }
    }
}
