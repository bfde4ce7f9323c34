import ConsultationService
import DialogueContracts
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// A process's follow-up indicators over RPC, against the real service, database and broker:
/// every figure equals the data built through the service's own requests (contributions online
/// and in person, supports, answers, workshop registrations, cancellations, check-ins,
/// recommendations, decisions, milestones); an empty process counts zero everywhere; the public
/// reads small numbers of people hidden, staff read them exactly.
@Suite struct ProcessIndicatorsTests {
    /// What the scenario built, to find its figures by.
    struct Scenario {
        let process: ProcessView
        let lille: UUID
        let douai: UUID
    }

    static func contribute(
        _ draft: ContributionDraft, to consultation: UUID, author: UUID, departement: String?, ageBand: String?, on service: ConsultationHarness
    ) async throws -> ContributionView {
        try await service.rpc.request(SubmitContribution(
            consultationID: consultation, draft: draft, authorAccountID: author, authorName: "Claire", authorDepartement: departement, authorAgeBand: ageBand
        ))
    }

    static func register(_ workshop: UUID, _ name: String, account: UUID? = nil, on service: ConsultationHarness) async throws -> WorkshopRegistrationReceipt {
        try await service.rpc.request(RegisterForWorkshop(
            workshopID: workshop, draft: WorkshopRegistrationDraft(name: name, email: "\(name.lowercased())@exemple.fr"), accountID: account
        ))
    }

    static func checkIn(_ receipt: WorkshopRegistrationReceipt, on service: ConsultationHarness) async throws {
        _ = try await service.rpc.request(CheckInWorkshopRegistration(
            workshopID: receipt.workshop.id, code: receipt.checkInCode, staffID: staff.id, staffName: staff.name
        ))
    }

    static func workshop(_ arrondissement: String, capacity: Int, in process: ProcessView, on service: ConsultationHarness) async throws -> WorkshopView {
        let start = WorkshopTime.date(fromLocal: "\(ProcessHarness.day(7))T18:00") ?? Date()
        let draft = WorkshopDraft(
            themes: ["Mobilité"], arrondissement: arrondissement, place: "Salle des fêtes", startsAt: start, endsAt: start.addingTimeInterval(7_200),
            capacity: capacity
        )
        return try await service.rpc.request(ScheduleWorkshop(
            processID: process.id, phaseID: process.phases[1].id, draft: draft, staffID: staff.id, staffName: staff.name
        ))
    }

    /// A call for contributions and a workshops phase, with known people and what they did:
    /// - phase 1 (the consultation): X writes two proposals (Nord, 25-34), Y a testimony
    ///   (Nord, no age), Z a proposal (Pas-de-Calais, 65 and over), S supports X's proposal,
    ///   two contributions gathered in person, one more written then withdrawn by W → 6 people;
    /// - phase 2: Lille, 7 registrations (X with their account, 6 by address), one cancelled,
    ///   4 checked in; Douai, 2 seats, 3 registrations (one waitlisted), 2 checked in; both
    ///   then over; Cambrai, to come, 1 registration; a workshop called off with 1 → 10 people;
    /// - 15 people in all (X in both phases).
    static func scenario(on service: ConsultationHarness) async throws -> Scenario {
        let consultation = try await service.create(sampleConsultation())
        let process = try await service.rpc.request(CreateProcess(
            draft: ProcessHarness.draft(phases: [
                ProcessPhaseDraft(kind: .callForContributions, startsOn: ProcessHarness.day(-20), endsOn: ProcessHarness.day(-2), consultationID: consultation.id),
                ProcessPhaseDraft(kind: .workshops, startsOn: ProcessHarness.day(-1), endsOn: ProcessHarness.day(30)),
            ]),
            staffID: staff.id, staffName: staff.name
        ))
        let (x, y, z, s, w) = (UUID(), UUID(), UUID(), UUID(), UUID())
        let first = try await contribute(proposal(title: "Un guichet unique"), to: consultation.id, author: x, departement: "59", ageBand: "25-34", on: service)
        let second = try await contribute(proposal(title: "Des locaux partagés"), to: consultation.id, author: x, departement: "59", ageBand: "25-34", on: service)
        let told = try await contribute(testimony(), to: consultation.id, author: y, departement: "59", ageBand: nil, on: service)
        let third = try await contribute(proposal(title: "Un fonds de trésorerie"), to: consultation.id, author: z, departement: "62", ageBand: "65-et-plus", on: service)
        let withdrawn = try await contribute(proposal(title: "Une idée retirée"), to: consultation.id, author: w, departement: "80", ageBand: "18-24", on: service)
        _ = try await service.rpc.request(WithdrawContribution(contributionID: withdrawn.id, accountID: w, reason: "Je me suis trompée de consultation."))
        let origin = OfflineOrigin(place: "Salle des fêtes d'Hirson", collectedOn: ProcessHarness.day(-3), session: "Forum", channel: .workshop)
        let gathered = try await service.rpc.request(RecordOfflineContributions(
            consultationID: consultation.id,
            entries: [
                OfflineContributionEntry(draft: proposal(title: "Un bus le dimanche"), authorName: "Jeanne", origin: origin),
                OfflineContributionEntry(draft: testimony(), authorName: nil, origin: origin),
            ],
            staffID: staff.id, staffName: staff.name
        ))
        try await service.publish(first)
        try await service.publish(told)
        _ = try await service.rpc.request(SupportContribution(contributionID: first.id, accountID: s))
        // Answers: one retained, one not retained, one under study; the second of X stays « reçue ».
        func answer(_ id: UUID, _ status: ContributionAnswerStatus, reason: String? = nil) -> AnswerContributions {
            AnswerContributions(
                consultationID: consultation.id, contributionIDs: [id], answer: ContributionAnswer(status: status, reason: reason),
                staffID: staff.id, staffName: staff.name
            )
        }
        _ = try await service.rpc.request(answer(first.id, .retained))
        _ = try await service.rpc.request(answer(third.id, .notRetained, reason: "Hors du champ de la politique départementale."))
        _ = try await service.rpc.request(answer(gathered.items[0].id, .underStudy))
        _ = second

        let lille = try await workshop("Lille", capacity: 10, in: process, on: service)
        let douai = try await workshop("Douai", capacity: 2, in: process, on: service)
        let cambrai = try await workshop("Cambrai", capacity: 10, in: process, on: service)
        let calledOff = try await workshop("Valenciennes", capacity: 10, in: process, on: service)
        var inLille = [try await register(lille.id, "Xavier", account: x, on: service)]
        for name in ["Anne", "Bruno", "Chloé", "David", "Emma", "Fanny"] { inLille.append(try await register(lille.id, name, on: service)) }
        _ = try await service.rpc.request(CancelWorkshopRegistration(token: inLille[6].cancelToken))
        for receipt in inLille.prefix(4) { try await checkIn(receipt, on: service) }
        let inDouai = [
            try await register(douai.id, "Gaspard", on: service), try await register(douai.id, "Hélène", on: service),
            try await register(douai.id, "Inès", on: service),
        ]
        for receipt in inDouai.prefix(2) { try await checkIn(receipt, on: service) }
        _ = try await register(cambrai.id, "Julien", on: service)
        _ = try await register(calledOff.id, "Karim", on: service)
        _ = try await service.rpc.request(CancelWorkshop(workshopID: calledOff.id, staffID: staff.id, staffName: staff.name))
        // Lille and Douai are then over: moved to yesterday (a registration to a past workshop
        // is refused, so the registrations came first).
        let yesterday = try #require(WorkshopTime.date(fromLocal: "\(ProcessHarness.day(-1))T18:00"))
        try await Probe.on(service.database) { probe in
            try await probe.execute(
                """
                UPDATE consultations.workshops SET starts_at = \(yesterday), ends_at = \(yesterday.addingTimeInterval(7_200))
                WHERE id = \(lille.id)
                """
            )
            // Half an hour later, so the workshops' order (by start) is Lille, then Douai.
            try await probe.execute(
                """
                UPDATE consultations.workshops SET starts_at = \(yesterday.addingTimeInterval(1_800)), ends_at = \(yesterday.addingTimeInterval(9_000))
                WHERE id = \(douai.id)
                """
            )
        }

        // The report: n° 1 cites X's proposal, adopted, two milestones (one done at 100 %, one at
        // 20 %); n° 2 cites nothing, modified, no milestone; n° 3 a draft citing Y's testimony.
        func write(_ number: Int, citing: [UUID]) -> WriteRecommendation {
            WriteRecommendation(
                processID: process.id,
                draft: RecommendationDraft(
                    number: number, title: "Recommandation \(number)", text: "Le Département ouvre un guichet unique pour les associations.",
                    contributionIDs: citing
                ),
                staffID: staff.id, staffName: staff.name
            )
        }
        let adopted = try await service.rpc.request(write(1, citing: [first.id]))
        let modified = try await service.rpc.request(write(2, citing: []))
        _ = try await service.rpc.request(write(3, citing: [told.id]))
        for recommendation in [adopted, modified] {
            _ = try await service.rpc.request(PublishRecommendation(recommendationID: recommendation.id, staffID: staff.id, staffName: staff.name))
        }
        _ = try await service.rpc.request(DecideRecommendation(recommendationID: adopted.id, fate: .adopted, reason: nil, staffID: staff.id, staffName: staff.name))
        _ = try await service.rpc.request(DecideRecommendation(
            recommendationID: modified.id, fate: .modified, reason: "Le guichet ouvre d'abord à Lille.", staffID: staff.id, staffName: staff.name
        ))
        for (title, progress, status) in [("Ouverture du guichet", 100, MilestoneStatus.done), ("Extension au Cambrésis", 20, .inProgress)] {
            _ = try await service.rpc.request(SaveMilestone(
                recommendationID: adopted.id, draft: MilestoneDraft(title: title, dueOn: "2028-06-30", progress: progress, status: status),
                staffID: staff.id, staffName: staff.name
            ))
        }
        return Scenario(process: process, lille: lille.id, douai: douai.id)
    }

    static func people(_ cells: [PeopleCell]) -> [String: Int?] {
        Dictionary(uniqueKeysWithValues: cells.map { ($0.key ?? "unknown", $0.people.count) })
    }

    @Test func staffIndicatorsEqualTheData() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            // setup
            let scenario = try await Self.scenario(on: service)

            // act
            let figures = try await service.rpc.request(GetProcessIndicators(processID: scenario.process.id, audience: .staff))

            // check: people, each once
            #expect(figures.audience == .staff && figures.processTitle == scenario.process.title)
            #expect(figures.participants == PeopleCount(15))
            #expect(figures.byPhase.map(\.people) == [PeopleCount(6), PeopleCount(10)])
            #expect(figures.byPhase.map(\.phaseID) == scenario.process.phases.map(\.id))
            #expect(Self.people(figures.byDepartement) == ["02": 0, "59": 2, "60": 0, "62": 1, "80": 0, "unknown": 12])
            #expect(figures.byDepartement.map(\.key) == ["02", "59", "60", "62", "80", nil])
            #expect(Self.people(figures.byArrondissement) == ["Cambrai": 1, "Douai": 3, "Lille": 6, "unknown": 5])
            #expect(Self.people(figures.byAgeBand) == ["25-34": 1, "65-et-plus": 1, "unknown": 13])
            #expect(figures.knowsAgeBands)
            // check: contributions (the withdrawn one left out)
            let contributions = figures.contributions
            #expect(contributions.total == 6 && contributions.online == 4 && contributions.inPerson == 2)
            #expect(contributions.answered == 3 && contributions.retained == 1)
            #expect(contributions.medianDaysToAnswer.map { $0 >= 0 && $0 < 1 } == true)
            // check: the workshops over, in order; seats, presence, absence
            #expect(figures.workshops.map(\.workshopID) == [scenario.lille, scenario.douai])
            #expect(figures.workshops.map(\.registered) == [PeopleCount(6), PeopleCount(2)])
            #expect(figures.workshops.map(\.attended) == [PeopleCount(4), PeopleCount(2)])
            #expect(figures.workshops.map(\.noShows) == [PeopleCount(2), PeopleCount(0)])
            // check: the report, drafts counted for staff
            #expect(figures.recommendations == RecommendationIndicators(
                total: 3, citingContributions: 2, adopted: 2, milestones: 2, milestonesReached: 1, meanProgress: 30
            ))
        }
    }

    @Test func thePublicReadsSmallNumbersHiddenAndPublishedRecommendationsOnly() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            // setup
            let scenario = try await Self.scenario(on: service)

            // act
            let figures = try await service.rpc.request(GetProcessIndicators(processID: scenario.process.id, audience: .public))

            // check: 1 to 4 people hidden as small, 0 and 5 or more shown
            #expect(figures.audience == .public)
            #expect(figures.participants == PeopleCount(15))
            #expect(figures.byPhase.map(\.people.count) == [6, 10])
            #expect(Self.people(figures.byDepartement) == ["02": 0, "59": nil, "60": 0, "62": nil, "80": 0, "unknown": 12])
            #expect(figures.byDepartement.filter { $0.people.count == nil }.allSatisfy { $0.people.hidden == .small })
            #expect(Self.people(figures.byArrondissement) == ["Cambrai": nil, "Douai": nil, "Lille": 6, "unknown": 5])
            #expect(Self.people(figures.byAgeBand) == ["25-34": nil, "65-et-plus": nil, "unknown": 13])
            // Lille: 6 seats shown, 4 present and 2 absent hidden together; Douai: 2 seats, all hidden
            #expect(figures.workshops[0].registered == PeopleCount(6))
            #expect(figures.workshops[0].attended.hidden == .small && figures.workshops[0].noShows.hidden == .small)
            #expect(figures.workshops[1].registered.hidden == .small && figures.workshops[1].attended.count == nil && figures.workshops[1].noShows.count == nil)
            // contributions are not people: shown whole; the draft recommendation is not counted
            #expect(figures.contributions.inPerson == 2 && figures.contributions.retained == 1)
            #expect(figures.recommendations == RecommendationIndicators(
                total: 2, citingContributions: 1, adopted: 2, milestones: 2, milestonesReached: 1, meanProgress: 30
            ))
        }
    }

    @Test func anEmptyProcessCountsZeroEverywhereAndAnUnknownOneIsNotFound() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            // setup
            let process = try await service.rpc.request(CreateProcess(
                draft: ProcessHarness.draft(phases: [ProcessPhaseDraft(kind: .callForContributions, startsOn: ProcessHarness.day(1), endsOn: ProcessHarness.day(20))]),
                staffID: staff.id, staffName: staff.name
            ))

            // act
            let figures = try await service.rpc.request(GetProcessIndicators(processID: process.id, audience: .public))
            let unknown = await refusal { try await service.rpc.request(GetProcessIndicators(processID: UUID(), audience: .staff)) }

            // check
            #expect(figures.participants == PeopleCount(0) && figures.byPhase.map(\.people) == [PeopleCount(0)])
            #expect(Self.people(figures.byDepartement) == ["02": 0, "59": 0, "60": 0, "62": 0, "80": 0, "unknown": 0])
            #expect(Self.people(figures.byArrondissement) == ["unknown": 0] && Self.people(figures.byAgeBand) == ["unknown": 0])
            #expect(!figures.knowsAgeBands)
            #expect(figures.contributions == ContributionIndicators(total: 0, online: 0, inPerson: 0, answered: 0, retained: 0, medianDaysToAnswer: nil))
            #expect(figures.workshops.isEmpty)
            #expect(figures.recommendations == RecommendationIndicators(total: 0, citingContributions: 0, adopted: 0, milestones: 0, milestonesReached: 0, meanProgress: nil))
            #expect(unknown?.code == .notFound)
        }
    }

    /// The protection alone: a lone small cell takes the smallest other non-zero cell of its
    /// table with it (else the total gives it back); two small cells need no more; zero stays.
    @Test func aLoneSmallCellHidesItsComplement() {
        // setup
        func cells(_ counts: [(String?, Int)]) -> [PeopleCell] { counts.map { PeopleCell(key: $0.0, people: PeopleCount($0.1)) } }
        let exact = ProcessIndicators(
            processID: UUID(), processTitle: "Démarche", audience: .staff, computedAt: Date(), participants: PeopleCount(31), byPhase: [],
            byDepartement: cells([("02", 0), ("59", 20), ("62", 8), (nil, 3)]),
            byArrondissement: cells([("Douai", 2), ("Lille", 25), (nil, 4)]),
            byAgeBand: cells([(nil, 31)]),
            contributions: ContributionIndicators(total: 3, online: 2, inPerson: 1, answered: 0, retained: 0, medianDaysToAnswer: nil),
            workshops: [WorkshopAttendance(
                workshopID: UUID(), arrondissement: "Lille", themes: ["Mobilité"], startsAt: Date(), registered: PeopleCount(12),
                attended: PeopleCount(9), noShows: PeopleCount(3)
            )],
            recommendations: RecommendationIndicators(total: 0, citingContributions: 0, adopted: 0, milestones: 0, milestonesReached: 0, meanProgress: nil)
        )

        // act
        let shown = exact.protectingSmallNumbers()

        // check
        #expect(shown.byDepartement.map(\.people.count) == [0, 20, nil, nil])
        #expect(shown.byDepartement.map(\.people.hidden) == [nil, nil, .complement, .small])
        #expect(shown.byArrondissement.map(\.people.count) == [nil, 25, nil])
        #expect(shown.byAgeBand.map(\.people.count) == [31])
        #expect(shown.workshops[0].registered.count == 12)
        #expect(shown.workshops[0].attended.hidden == .complement && shown.workshops[0].noShows.hidden == .small)
        #expect(shown.contributions.inPerson == 1)
    }
}
