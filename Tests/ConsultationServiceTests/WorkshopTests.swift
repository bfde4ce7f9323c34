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
/// in order when seats free up (also under concurrent cancellations), the deadline to confirm a
/// seat given from the waitlist and its expiry (once, whatever the replicas), check-in codes,
/// and fill-level alerts told once each.
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

    /// Moves a registration's deadline to confirm into the past, as if the time had passed.
    static func overdue(_ harness: ProcessHarness, _ receipt: WorkshopRegistrationReceipt) async throws {
        try await Probe.on(harness.database) { probe in
            try await probe.execute(
                "UPDATE consultations.workshop_registrations SET confirm_by = now() - interval '1 minute' WHERE id = \(receipt.registrationID)"
            )
        }
    }

    @Test func theDeadlineToConfirmIs48HoursOrHalfwayToTheStart() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let farOff = WorkshopPromotion.deadline(promotedAt: now, startsAt: now.addingTimeInterval(7 * 86_400))
        let tomorrow = WorkshopPromotion.deadline(promotedAt: now, startsAt: now.addingTimeInterval(10 * 3600))
        let begun = WorkshopPromotion.deadline(promotedAt: now, startsAt: now.addingTimeInterval(-60))
        #expect(farOff == now.addingTimeInterval(48 * 3600))
        #expect(tomorrow == now.addingTimeInterval(5 * 3600))
        #expect(begun == now)
    }

    @Test func aPromotedSeatConfirmedInTimeIsKept() async throws {
        try await withProcesses(replicas: 2, jobInterval: .milliseconds(50)) { (harness: ProcessHarness) async throws in
            // setup
            let workshop = try await Self.schedule(harness, Self.draft(capacity: 1))
            let alice = try await Self.register(harness, workshop, "Alice")
            let bruno = try await Self.register(harness, workshop, "Bruno")
            let chloe = try await Self.register(harness, workshop, "Chloe")

            // act
            let before = Date()
            _ = try await harness.rpc.request(CancelWorkshopRegistration(token: alice.cancelToken))
            let promoted = try await harness.rpc.request(GetWorkshopRegistration(token: bruno.cancelToken))
            let waiting = await refusal { try await harness.rpc.request(ConfirmWorkshopPromotion(token: chloe.cancelToken)) }
            let confirmed = try await harness.rpc.request(ConfirmWorkshopPromotion(token: bruno.cancelToken))
            let again = try await harness.rpc.request(ConfirmWorkshopPromotion(token: bruno.cancelToken))
            // the deadline passes after confirming: the sweeps leave the seat alone
            try await Self.overdue(harness, bruno)
            try await Task.sleep(for: .milliseconds(500))

            // check: the deadline is 48 hours after the promotion (the workshop is 7 days away)
            let deadline = try #require(promoted.confirmBy)
            #expect(promoted.status == .confirmed)
            #expect(abs(deadline.timeIntervalSince(before) - 48 * 3600) < 60)
            #expect(try await harness.outbox(WorkshopRegistrationPromoted.self).map(\.registration.confirmBy) == [deadline])
            #expect(waiting?.code == .conflict && waiting?.message.contains("encore en liste d'attente") == true)
            #expect(confirmed.status == .confirmed && confirmed.confirmBy == nil && again == confirmed)
            #expect(try await harness.rpc.request(GetWorkshopRegistration(token: bruno.cancelToken)).status == .confirmed)
            #expect(try await harness.rpc.request(GetWorkshopRegistration(token: chloe.cancelToken)).waitlistPosition == 1)
            #expect(try await harness.outbox(WorkshopPromotionExpired.self).isEmpty)
        }
    }

    @Test func anUnconfirmedSeatGoesToTheNextOnceWhateverTheReplicas() async throws {
        try await withProcesses(replicas: 3, jobInterval: .milliseconds(50)) { (harness: ProcessHarness) async throws in
            // setup: one seat, three waiting; the seat freed goes to Bruno
            let workshop = try await Self.schedule(harness, Self.draft(capacity: 1))
            let alice = try await Self.register(harness, workshop, "Alice")
            let bruno = try await Self.register(harness, workshop, "Bruno")
            let chloe = try await Self.register(harness, workshop, "Chloe")
            let david = try await Self.register(harness, workshop, "David")
            _ = try await harness.rpc.request(CancelWorkshopRegistration(token: alice.cancelToken))

            // act: Bruno's deadline passes without confirmation; three replicas sweep every 50 ms
            try await Self.overdue(harness, bruno)
            try await eventually("the seat given to the next") {
                try await harness.rpc.request(GetWorkshopRegistration(token: chloe.cancelToken)).status == .confirmed
            }
            try await Task.sleep(for: .milliseconds(500))
            let late = await refusal { try await harness.rpc.request(ConfirmWorkshopPromotion(token: bruno.cancelToken)) }

            // check: Bruno told once, Chloé promoted once with her own deadline, David still first in line
            let brunoNow = try await harness.rpc.request(GetWorkshopRegistration(token: bruno.cancelToken))
            #expect(brunoNow.status == .cancelled && brunoNow.promotionExpiredAt != nil)
            #expect(try await harness.outbox(WorkshopPromotionExpired.self).map(\.registration.registrationID) == [bruno.registrationID])
            #expect(try await harness.outbox(WorkshopRegistrationPromoted.self).map(\.registration.registrationID) == [bruno.registrationID, chloe.registrationID])
            let chloeNow = try await harness.rpc.request(GetWorkshopRegistration(token: chloe.cancelToken))
            #expect(chloeNow.confirmBy.map { $0 > Date() } == true)
            #expect(try await harness.rpc.request(GetWorkshopRegistration(token: david.cancelToken)).waitlistPosition == 1)
            let read = try await harness.rpc.request(GetWorkshop(workshopID: workshop.id))
            #expect(read.confirmedCount == 1 && read.waitlistCount == 1)
            #expect(late?.code == .conflict && late?.message.contains("Le délai pour confirmer votre place est passé") == true)
            #expect(late?.message.contains("personne suivante") == true)
            // the expired registration's address may register again, at the end of the waitlist
            let back = try await Self.register(harness, workshop, "Bruno")
            #expect(back.status == .waitlisted && back.waitlistPosition == 2)
        }
    }

    @Test func callingAWorkshopOffTellsEachPersonRegisteredOrWaitingOnce() async throws {
        try await withProcesses { (harness: ProcessHarness) async throws in
            // setup: two seats taken, one waiting, one who cancelled
            let workshop = try await Self.schedule(harness, Self.draft(capacity: 2))
            let alice = try await Self.register(harness, workshop, "Alice")
            let bruno = try await Self.register(harness, workshop, "Bruno")
            let chloe = try await Self.register(harness, workshop, "Chloe")
            let david = try await Self.register(harness, workshop, "David")
            _ = try await harness.rpc.request(CancelWorkshopRegistration(token: bruno.cancelToken))
            // Chloé took Bruno's seat and has not confirmed it yet

            // act: called off twice
            let cancel = CancelWorkshop(workshopID: workshop.id, staffID: H.staff.id, staffName: H.staff.name)
            let calledOff = try await harness.rpc.request(cancel)
            _ = try await harness.rpc.request(cancel)
            let confirmLate = await refusal { try await harness.rpc.request(ConfirmWorkshopPromotion(token: chloe.cancelToken)) }

            // check
            #expect(calledOff.status == .cancelled)
            let notices = try await harness.outbox(WorkshopCancellationNoticeRequested.self).map(\.registration)
            #expect(notices.map(\.registrationID) == [alice.registrationID, chloe.registrationID, david.registrationID])
            #expect(notices.allSatisfy { $0.workshop.status == .cancelled })
            #expect(notices.map(\.waitlistPosition) == [nil, nil, 1])
            #expect(try await harness.texts("SELECT action FROM consultations.staff_audit WHERE action = 'workshop.cancelled'") == ["workshop.cancelled"])
            #expect(confirmLate?.code == .conflict && confirmLate?.message.contains("atelier est annulé") == true)
        }
    }

    @Test func editingAWorkshopKeepsItsSeatsPromotesAndTellsAMove() async throws {
        try await withProcesses { (harness: ProcessHarness) async throws in
            // setup: two seats taken, two waiting
            let workshop = try await Self.schedule(harness, Self.draft(capacity: 2))
            var receipts: [WorkshopRegistrationReceipt] = []
            for name in ["Alice", "Bruno", "Chloe", "David"] { receipts.append(try await Self.register(harness, workshop, name)) }
            func update(_ change: (inout WorkshopDraft) -> Void) async throws -> WorkshopView {
                var draft = Self.draft(capacity: 2)
                change(&draft)
                return try await harness.rpc.request(UpdateWorkshop(workshopID: workshop.id, draft: draft, staffID: H.staff.id, staffName: H.staff.name))
            }

            // act: below the seats taken; then one more seat and a new accessibility, same date and place
            let tooSmall = await refusal { try await update { $0.capacity = 1 } }
            let bigger = try await update {
                $0.capacity = 3
                $0.accessibility = "Boucle magnétique"
            }
            let noticesBeforeMove = try await harness.outbox(WorkshopChangeNoticeRequested.self).count
            // then moved one day later, to another place
            let moved = try await update {
                $0.capacity = 3
                $0.place = "Mairie de Lille, place Augustin-Laurent"
                $0.startsAt = $0.startsAt.addingTimeInterval(86_400)
                $0.endsAt = $0.endsAt.addingTimeInterval(86_400)
            }

            // check
            #expect(tooSmall?.field == "capacity" && tooSmall?.message.contains("sous les 2 places déjà prises") == true)
            #expect(bigger.capacity == 3 && bigger.accessibility == "Boucle magnétique" && bigger.confirmedCount == 3 && bigger.waitlistCount == 1)
            #expect(bigger.sequence == 0 && noticesBeforeMove == 0)
            #expect(try await harness.outbox(WorkshopRegistrationPromoted.self).map(\.registration.registrationID) == [receipts[2].registrationID])
            #expect(moved.sequence == 1 && moved.place == "Mairie de Lille, place Augustin-Laurent")
            let notices = try await harness.outbox(WorkshopChangeNoticeRequested.self)
            #expect(notices.map(\.registration.registrationID) == receipts.map(\.registrationID))
            #expect(notices.allSatisfy { $0.previousPlace == workshop.place && $0.previousStartsAt == workshop.startsAt })
            #expect(notices.allSatisfy { $0.registration.workshop.startsAt == moved.startsAt && $0.registration.workshop.sequence == 1 })
            #expect(notices.map(\.registration.waitlistPosition) == [nil, nil, nil, 1])
            let audit = try await harness.texts("SELECT action FROM consultations.staff_audit WHERE action = 'workshop.updated'")
            #expect(audit.count == 2)

            // a called-off workshop no longer changes, and calling off raises the sequence too
            let calledOff = try await harness.rpc.request(CancelWorkshop(workshopID: workshop.id, staffID: H.staff.id, staffName: H.staff.name))
            let afterCancel = await refusal { try await update { $0.capacity = 5 } }
            #expect(calledOff.sequence == 2)
            #expect(afterCancel?.code == .conflict && afterCancel?.message.contains("annulé") == true)
        }
    }

    @Test func eachSeatIsRemindedOnceTheDayBeforeWhateverTheReplicas() async throws {
        try await withProcesses(replicas: 3, jobInterval: .milliseconds(50)) { (harness: ProcessHarness) async throws in
            // setup: two seats and one waiting, a week ahead; another workshop stays a week ahead
            let workshop = try await Self.schedule(harness, Self.draft(capacity: 2))
            let later = try await Self.schedule(harness, Self.draft(capacity: 2, startsIn: 8))
            let alice = try await Self.register(harness, workshop, "Alice")
            let bruno = try await Self.register(harness, workshop, "Bruno")
            _ = try await Self.register(harness, workshop, "Chloe")
            _ = try await Self.register(harness, later, "David")
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await harness.outbox(WorkshopReminderRequested.self).isEmpty)

            // act: the workshop now starts in 20 hours, its registrations made two days ago but Bruno's, made just now
            try await Probe.on(harness.database) { probe in
                try await probe.execute(
                    """
                    UPDATE consultations.workshop_registrations SET registered_at = now() - interval '2 days', waitlisted_at = waitlisted_at - interval '2 days'
                    WHERE workshop_id = \(workshop.id) AND id <> \(bruno.registrationID)
                    """
                )
                try await probe.execute(
                    "UPDATE consultations.workshops SET starts_at = now() + interval '20 hours', ends_at = now() + interval '22 hours' WHERE id = \(workshop.id)"
                )
            }
            try await eventually("the seat reminded") { try await harness.outbox(WorkshopReminderRequested.self).count >= 1 }
            try await Task.sleep(for: .milliseconds(500))

            // check: Alice once; not Bruno (seat just confirmed), Chloé (waiting) nor David (a week ahead)
            let reminded = try await harness.outbox(WorkshopReminderRequested.self).map(\.registration.registrationID)
            #expect(reminded == [alice.registrationID])
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.workshop_registrations WHERE reminded_at IS NOT NULL") == 1)
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
