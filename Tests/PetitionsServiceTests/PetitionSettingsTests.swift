import DialogueContracts
import Foundation
@testable import PetitionsService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The threshold and collection period a petition freezes when it opens, and the end of collections.
@Suite struct PetitionSettingsTests {
    private func withSettings(_ body: @Sendable (PetitionSettingsStore, PostgresClient, Probe) async throws -> Void) async throws {
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        let platform = ServicePlatform.forTest(.petitions, database: database, topology: TestEnvironment.isolatedTopology())
        try await withRunningServices([platform.database]) {
            try await Probe.on(database) { probe in
                let store = PetitionSettingsStore(client: platform.database, rules: PetitionRules(threshold: 1000), logger: TestEnvironment.logger)
                try await body(store, platform.database, probe)
            }
        }
    }

    private func publish(_ petition: UUID, revision: Int = 2, on client: PostgresClient) async throws {
        let decision = ModerationDecisionMade(
            itemID: UUID(), contentType: .petition, contentID: petition, ownerService: .petitions, status: .published, visible: true,
            reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: UUID(), rule: nil, decidedAt: Date(), revision: revision
        )
        try await client.withConnection { connection in
            try await PetitionStore.apply(decision, on: connection, logger: TestEnvironment.logger)
        }
    }

    private func waiting(_ probe: Probe, title: String = "Plus de TER entre Lille et Amiens") async throws -> UUID {
        let petition = try await probe.insertPetition(threshold: 1000, title: title)
        try await probe.execute("UPDATE petitions.petitions SET status = 'in_moderation', visible = false WHERE id = \(petition)")
        return petition
    }

    @Test func aPetitionFreezesTheSettingsInForceWhenItOpens() async throws {
        try await withSettings { store, client, probe in
            #expect(try await store.current() == PetitionSettings(defaultThreshold: 1000, collectionDays: 365))
            _ = try await store.save(SavePetitionSettings(settings: PetitionSettings(defaultThreshold: 50, collectionDays: 30), staffName: "Claire"))
            let petition = try await waiting(probe)
            try await publish(petition, on: client)
            #expect(try await probe.int("SELECT threshold FROM petitions.petitions WHERE id = \(petition)") == 50)
            #expect(try await probe.int(
                "SELECT count(*)::int8 FROM petitions.petitions WHERE id = \(petition) AND closes_at BETWEEN now() + interval '29 days' AND now() + interval '31 days'"
            ) == 1)

            // Later changes never move a running petition, even when it is published again.
            _ = try await store.save(SavePetitionSettings(settings: PetitionSettings(defaultThreshold: 80, collectionDays: 60), staffName: "Claire"))
            try await publish(petition, revision: 3, on: client)
            #expect(try await probe.int("SELECT threshold FROM petitions.petitions WHERE id = \(petition)") == 50)
            await #expect(throws: RequestFailure.self) {
                try await store.save(SavePetitionSettings(settings: PetitionSettings(defaultThreshold: 0, collectionDays: 30), staffName: "Claire"))
            }
            await #expect(throws: RequestFailure.self) {
                try await store.save(SavePetitionSettings(settings: PetitionSettings(defaultThreshold: 10, collectionDays: 3), staffName: "Claire"))
            }
        }
    }

    @Test func milestonesChosenByStaffAreToldOnceEachAndBadOnesRefused() async throws {
        try await withSettings { store, client, probe in
            #expect(try await store.current().milestones == [50])
            let saved = try await store.save(SavePetitionSettings(
                settings: PetitionSettings(defaultThreshold: 1000, collectionDays: 365, milestones: [75, 25, 25]), staffName: "Claire"
            ))
            #expect(saved.milestones == [25, 75])
            for wrong in [[0], [100], [10, 20, 30, 40, 50, 60]] {
                do {
                    _ = try await store.save(SavePetitionSettings(
                        settings: PetitionSettings(defaultThreshold: 1000, collectionDays: 365, milestones: wrong), staffName: "Claire"
                    ))
                    Issue.record("\(wrong) was not refused")
                } catch let failure as RequestFailure {
                    #expect(failure.field == "milestones")
                }
            }
            #expect(try await store.current().milestones == [25, 75])

            let petition = try await probe.insertPetition(threshold: 100)
            let paper = PaperSignatures(client: client, logger: TestEnvironment.logger)
            func batch(_ count: Int) -> AddPaperSignatures {
                AddPaperSignatures(petitionID: petition, count: count, collectedOn: Date(), place: "Mairie de Lens", names: [], staffID: UUID(), staffName: "Claire")
            }
            _ = try await paper.add(batch(30))
            #expect(try await probe.texts("SELECT percent::text FROM petitions.milestone_crossings WHERE petition_id = \(petition) ORDER BY percent") == ["25"])
            _ = try await paper.add(batch(50))
            #expect(try await probe.texts("SELECT percent::text FROM petitions.milestone_crossings WHERE petition_id = \(petition) ORDER BY percent") == ["25", "75"])
            #expect(try await probe.outboxRows(PetitionMilestoneReached.messageType, petition: petition) == 2)

            // none at all
            _ = try await store.save(SavePetitionSettings(
                settings: PetitionSettings(defaultThreshold: 1000, collectionDays: 365, milestones: []), staffName: "Claire"
            ))
            #expect(try await store.current().milestones == [])
        }
    }

    @Test func collectionsEndAndClosingSoonComesFirst() async throws {
        try await withSettings { store, client, probe in
            let ending = try await waiting(probe, title: "Une piste cyclable à Compiègne")
            let later = try await waiting(probe, title: "Des bus le dimanche à Laon")
            try await publish(ending, on: client)
            try await publish(later, on: client)
            try await probe.execute("UPDATE petitions.petitions SET closes_at = now() + interval '1 day' WHERE id = \(ending)")
            let pages = PetitionPages(client: client, logger: TestEnvironment.logger)
            #expect(try await pages.list(ListPetitions(order: .closingSoon)).items.map(\.id) == [ending, later])

            try await probe.execute("UPDATE petitions.petitions SET closes_at = now() - interval '1 minute' WHERE id = \(ending)")
            #expect(try await store.closeEnded() == 1)
            #expect(try await store.closeEnded() == 0)
            #expect(try await probe.texts("SELECT status FROM petitions.petitions WHERE id = \(ending)") == ["closed"])
            #expect(try await pages.list(ListPetitions(selection: .closed)).items.map(\.id) == [ending])
        }
    }
}
