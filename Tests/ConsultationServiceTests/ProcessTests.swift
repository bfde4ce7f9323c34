import ConsultationService
import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Participatory processes over RPC, against the real service, database and broker: phases in
/// order, refusals naming their field with nothing stored, seed 001's model, and each phase
/// announced once when it begins.
@Suite struct ProcessTests {
    typealias H = ProcessHarness

    @Test func staffWriteAProcessWithOrderedPhasesAudited() async throws {
        try await withProcesses { (harness: ProcessHarness) async throws in
            // setup
            let consultation = try await harness.rpc.request(CreateConsultation(
                definition: sampleConsultation(), staffID: H.staff.id, staffName: H.staff.name
            ))
            let phases = [
                ProcessPhaseDraft(
                    kind: .callForContributions, startsOn: H.day(-10), endsOn: H.day(20), description: "  Écrivez-nous.  ",
                    consultationID: consultation.id, documents: [ProcessDocument(title: "Note de cadrage", url: "https://example.org/cadrage.pdf")]
                ),
                ProcessPhaseDraft(kind: .free, title: "Visite de terrain", startsOn: H.day(21), endsOn: H.day(21)),
            ]

            // act
            let process = try await harness.create(H.draft(title: "  Ateliers citoyens de la jeunesse ", phases: phases))
            let read = try await harness.rpc.request(GetProcess(processID: process.id))
            let list = try await harness.rpc.request(ListProcesses())

            // check
            #expect(process.title == "Ateliers citoyens de la jeunesse")
            #expect(read == process && list.items == [process])
            #expect(process.phases.map(\.position) == [1, 2])
            #expect(process.phases.map(\.kind) == [.callForContributions, .free])
            #expect(process.phases[0].description == "Écrivez-nous.")
            #expect(process.phases[0].consultationID == consultation.id)
            #expect(process.phases[0].documents == [ProcessDocument(title: "Note de cadrage", url: "https://example.org/cadrage.pdf")])
            #expect(process.phases[1].startsOn == H.day(21) && process.phases[1].endsOn == H.day(21))
            #expect(process.stage() == .inPhase(0))
            let audit = try await harness.texts("SELECT action || '/' || staff_name || '/' || object_id FROM consultations.staff_audit WHERE object_type = 'process'")
            #expect(audit == ["process.created/Agnès Lefebvre/\(process.id.uuidString.lowercased())"])
        }
    }

    @Test func reversedOrOverlappingPhasesNameTheirFieldAndStoreNothing() async throws {
        try await withProcesses { (harness: ProcessHarness) async throws in
            // act
            let reversed = await refusal {
                try await harness.create(H.draft(phases: [ProcessPhaseDraft(kind: .workshops, startsOn: H.day(10), endsOn: H.day(5))]))
            }
            let overlapping = await refusal {
                try await harness.create(H.draft(phases: [
                    ProcessPhaseDraft(kind: .callForContributions, startsOn: H.day(1), endsOn: H.day(30)),
                    ProcessPhaseDraft(kind: .launchForum, startsOn: H.day(30), endsOn: H.day(30)),
                ]))
            }
            let unnamedFree = await refusal {
                try await harness.create(H.draft(phases: [ProcessPhaseDraft(kind: .free, startsOn: H.day(1), endsOn: H.day(2))]))
            }
            let unknownForum = await refusal {
                try await harness.create(H.draft(phases: [
                    ProcessPhaseDraft(kind: .callForContributions, startsOn: H.day(1), endsOn: H.day(2)),
                    ProcessPhaseDraft(kind: .launchForum, startsOn: H.day(3), endsOn: H.day(3), forumID: UUID()),
                ]))
            }
            let script = await refusal {
                try await harness.create(H.draft(phases: [ProcessPhaseDraft(
                    kind: .adoption, startsOn: H.day(1), endsOn: H.day(1), documents: [ProcessDocument(title: "Délibération", url: "javascript:alert(1)")]
                )]))
            }

            // check
            #expect(reversed?.code == .invalid && reversed?.field == "phases[0].ends_on")
            #expect(reversed?.message.contains("précède son premier jour") == true)
            #expect(overlapping?.field == "phases[1].starts_on")
            #expect(overlapping?.message.contains("avant la fin de l'étape 1") == true)
            #expect(unnamedFree?.field == "phases[0].title")
            #expect(unknownForum?.field == "phases[1].forum_id")
            #expect(script?.field == "phases[0].documents")
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.processes") == 0)
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.process_phases") == 0)
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.staff_audit") == 0)
        }
    }

    @Test func theModelMakesSeedOnesSevenStepsOneAfterTheOther() async throws {
        try await withProcesses { (harness: ProcessHarness) async throws in
            // act
            let phases = ProcessTemplate.citizenWorkshops.phases(startingOn: "2027-03-01")
            let process = try await harness.create(H.draft(phases: phases))

            // check
            #expect(process.phases.map(\.kind) == [
                .callForContributions, .launchForum, .workshops, .synthesisForum, .orientationReport, .adoption, .publicRestitution,
            ])
            #expect(process.phases.first?.startsOn == "2027-03-01")
            for (earlier, later) in zip(process.phases, process.phases.dropFirst()) {
                #expect(ProcessDay.day(1, after: earlier.endsOn) == later.startsOn, "\(earlier.kind) then \(later.kind)")
                #expect(earlier.startsOn <= earlier.endsOn)
            }
            #expect(ProcessTemplate.citizenWorkshops.phases(startingOn: "2027-02-30").isEmpty)
        }
    }

    @Test func eachPhaseIsAnnouncedOnceWhenItBeginsWhateverTheReplicas() async throws {
        try await withProcesses(replicas: 2, jobInterval: .milliseconds(50)) { (harness: ProcessHarness) async throws in
            // setup: a phase over before the process was written, one running, one to come
            let process = try await harness.create(H.draft(phases: [
                ProcessPhaseDraft(kind: .callForContributions, startsOn: H.day(-30), endsOn: H.day(-20)),
                ProcessPhaseDraft(kind: .launchForum, startsOn: H.day(-1), endsOn: H.day(5)),
                ProcessPhaseDraft(kind: .workshops, startsOn: H.day(6), endsOn: H.day(40)),
            ]))
            try await eventually("the running phase announced") { try await harness.outbox(ProcessPhaseStarted.self).count == 1 }

            // act: the third phase's first day comes
            let third = process.phases[2].id
            try await Probe.on(harness.database) { probe in
                try await probe.execute("UPDATE consultations.process_phases SET starts_at = now() WHERE id = \(third)")
            }
            try await eventually("the third phase announced") { try await harness.outbox(ProcessPhaseStarted.self).count == 2 }
            // both replicas run the job many more times
            try await Task.sleep(for: .milliseconds(500))

            // check
            let started = try await harness.outbox(ProcessPhaseStarted.self)
            #expect(started.map(\.position) == [2, 3])
            #expect(started.map(\.phaseID) == [process.phases[1].id, third])
            #expect(started.first?.kind == .launchForum && started.first?.processTitle == "Ateliers citoyens de la jeunesse")
            #expect(started.first?.phaseCount == 3 && started.first?.startsOn == H.day(-1))
        }
    }

    @Test func whereAProcessStandsFollowsItsDays() {
        // setup
        let phase = { (position: Int, starts: String, ends: String) in
            ProcessPhaseView(
                id: UUID(), position: position, kind: .free, title: "Étape", startsOn: starts, endsOn: ends, description: "",
                consultationID: nil, forumID: nil, surveyID: nil, documents: []
            )
        }
        let process = ProcessView(
            id: UUID(), title: "T", policy: "P", purpose: "Objet", phases: [phase(1, "2027-03-01", "2027-03-10"), phase(2, "2027-03-15", "2027-03-15")],
            createdAt: Date()
        )
        func at(_ day: String, hour: Double = 12) -> Date { (ProcessDay.start(of: day) ?? .distantPast).addingTimeInterval(hour * 3_600) }

        // check: a phase runs from midnight of its first day to midnight after its last, in Paris
        #expect(process.stage(at: at("2027-02-28", hour: 23.9)) == .notStarted)
        #expect(process.stage(at: at("2027-03-01", hour: 0)) == .inPhase(0))
        #expect(process.stage(at: at("2027-03-10", hour: 23.9)) == .inPhase(0))
        #expect(process.stage(at: at("2027-03-11", hour: 0)) == .between(next: 1))
        #expect(process.stage(at: at("2027-03-15")) == .inPhase(1))
        #expect(process.stage(at: at("2027-03-16", hour: 0)) == .finished)
        #expect(process.phases[0].timing(at: at("2027-03-12")) == .past)
        #expect(ProcessDay.start(of: "2027-03-01") == Date(timeIntervalSince1970: 1_803_855_600))
    }
}

/// Following a process: each follower is told once per new phase, whoever runs the job; an
/// erased account follows nothing.
@Suite struct ProcessFollowerTests {
    typealias H = ProcessHarness

    @Test func eachFollowerIsToldOncePerPhaseAndOnlyWhileFollowing() async throws {
        try await withProcesses(replicas: 2, jobInterval: .milliseconds(50)) { (harness: ProcessHarness) async throws in
            // setup: a process whose second phase is still to come
            let process = try await harness.create(H.draft(phases: [
                ProcessPhaseDraft(kind: .callForContributions, startsOn: H.day(-5), endsOn: H.day(5)),
                ProcessPhaseDraft(kind: .launchForum, startsOn: H.day(6), endsOn: H.day(6)),
            ]))
            try await eventually("the first phase announced") { try await harness.outbox(ProcessPhaseStarted.self).count == 1 }
            let (camille, dominique, leaving) = (UUID(), UUID(), UUID())

            // act: two follow (one twice), one follows then stops, an unknown process refused
            for account in [camille, dominique, camille, leaving] {
                _ = try await harness.rpc.request(FollowProcess(processID: process.id, accountID: account))
            }
            let stopped = try await harness.rpc.request(FollowProcess(processID: process.id, accountID: leaving, follow: false))
            let unknown = await refusal { try await harness.rpc.request(FollowProcess(processID: UUID(), accountID: camille)) }
            let seen = try await harness.rpc.request(GetProcess(processID: process.id, viewerAccountID: camille))
            let unseen = try await harness.rpc.request(GetProcess(processID: process.id, viewerAccountID: leaving))
            let second = process.phases[1].id
            try await Probe.on(harness.database) { probe in
                try await probe.execute("UPDATE consultations.process_phases SET starts_at = now() WHERE id = \(second)")
            }
            try await eventually("the second phase announced") { try await harness.outbox(ProcessPhaseStarted.self).count == 2 }
            try await Task.sleep(for: .milliseconds(400))

            // check
            #expect(stopped.following == false && unknown?.code == .notFound)
            #expect(seen.followedByViewer && !unseen.followedByViewer)
            let notices = try await harness.outbox(ProcessPhaseNoticeRequested.self)
            #expect(Set(notices.map(\.accountID)) == [camille, dominique] && notices.count == 2)
            #expect(notices.allSatisfy { $0.phase.phaseID == second && $0.phase.position == 2 && $0.phase.kind == .launchForum })
        }
    }

    @Test func anErasedAccountFollowsNothing() async throws {
        try await withProcesses { (harness: ProcessHarness) async throws in
            // setup
            let process = try await harness.create(H.draft(phases: [ProcessPhaseDraft(kind: .workshops, startsOn: H.day(1), endsOn: H.day(9))]))
            let (erased, kept) = (UUID(), UUID())
            for account in [erased, kept] { _ = try await harness.rpc.request(FollowProcess(processID: process.id, accountID: account)) }

            // act
            try await publishEvent(AccountErased(accountID: erased, normalizedEmails: [], erasedAt: Date()), topology: harness.topology)

            // check
            try await eventually("the erased account's follow removed") {
                try await harness.int("SELECT count(*)::integer FROM consultations.process_followers WHERE account_id = \(erased)") == 0
            }
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.process_followers WHERE account_id = \(kept)") == 1)
        }
    }
}
