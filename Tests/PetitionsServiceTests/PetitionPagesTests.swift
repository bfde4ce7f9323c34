import DialogueContracts
import Foundation
import PetitionsService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// What the public pages read: one petition's figures, and the lists.
@Suite struct PetitionPagesTests {
    private func withPages(_ body: @Sendable (PetitionPages, Probe) async throws -> Void) async throws {
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        let platform = ServicePlatform.forTest(.petitions, database: database, topology: TestEnvironment.isolatedTopology())
        try await withRunningServices([platform.database]) {
            try await Probe.on(database) { probe in
                try await body(PetitionPages(client: platform.database, logger: TestEnvironment.logger), probe)
            }
        }
    }

    private func sign(_ petition: UUID, departement: String?, daysAgo: Int, _ probe: Probe) async throws {
        try await probe.execute(
            """
            INSERT INTO petitions.signatures (id, petition_id, name, email, email_normalized, postcode, departement, signed_at, confirmed_at)
            VALUES (gen_random_uuid(), \(petition), 'Camille', 'c@exemple.fr', gen_random_uuid()::text, '80000', \(departement),
                    now() - make_interval(days => \(Int32(daysAgo))), now())
            """
        )
    }

    @Test func aPetitionShowsItsSignaturesByDepartementAndByDay() async throws {
        try await withPages { pages, probe in
            let petition = try await probe.insertPetition(threshold: 100, title: "Des abris vélos dans les gares de la Somme")
            try await probe.execute("UPDATE petitions.petitions SET opened_at = now() - interval '3 days', signature_count = 4 WHERE id = \(petition)")
            try await sign(petition, departement: "80", daysAgo: 2, probe)
            try await sign(petition, departement: "80", daysAgo: 0, probe)
            try await sign(petition, departement: "59", daysAgo: 0, probe)
            try await sign(petition, departement: nil, daysAgo: 0, probe)

            let detail = try await pages.detail(petition)
            #expect(detail.byPlace.map(\.departement) == ["02", "59", "60", "62", "80", nil])
            #expect(detail.byPlace.map(\.count) == [0, 1, 0, 0, 2, 1])
            // Four days, from the opening to today, the quiet ones included.
            #expect(detail.byDay.map(\.count) == [0, 1, 0, 3])
            #expect(detail.petition.signatureCount == 4)
        }
    }

    @Test func aPetitionModerationHasNotPublishedIsNotFound() async throws {
        try await withPages { pages, probe in
            let petition = try await probe.insertPetition(threshold: 100)
            try await probe.execute("UPDATE petitions.petitions SET visible = false, status = 'in_moderation' WHERE id = \(petition)")
            await #expect(throws: RequestFailure.self) { try await pages.detail(petition) }
            #expect(try await pages.list(ListPetitions()).items.isEmpty)
        }
    }

    @Test func listsFindWordsInFrenchAndOrderAsAsked() async throws {
        try await withPages { pages, probe in
            let bikes = try await probe.insertPetition(threshold: 100, title: "Un abri vélo au lycée de Beauvais")
            let trains = try await probe.insertPetition(threshold: 100, title: "Plus de TER entre Lille et Amiens")
            let closed = try await probe.insertPetition(threshold: 100, title: "Des vélos en libre-service à Arras")
            try await probe.execute("UPDATE petitions.petitions SET signature_count = 50, opened_at = now() - interval '2 days' WHERE id = \(bikes)")
            try await probe.execute("UPDATE petitions.petitions SET signature_count = 80, opened_at = now() - interval '5 days' WHERE id = \(trains)")
            try await probe.execute("UPDATE petitions.petitions SET status = 'closed' WHERE id = \(closed)")

            #expect(try await pages.list(ListPetitions(order: .mostSigned)).items.map(\.id) == [trains, bikes])
            #expect(try await pages.list(ListPetitions(order: .newest)).items.map(\.id) == [bikes, trains])
            // « lycées » finds « lycée » (French stemming); the closed one only among the closed.
            let found = try await pages.list(ListPetitions(words: "lycées"))
            #expect(found.items.map(\.id) == [bikes])
            #expect(found.total == 1)
            #expect(try await pages.list(ListPetitions(selection: .closed, words: "libre-service Arras")).items.map(\.id) == [closed])
            // Past the last page: nothing, and the total still right.
            let beyond = try await pages.list(ListPetitions(offset: 40))
            #expect(beyond.items.isEmpty)
            #expect(beyond.total == 2)
        }
    }
}
