import DialogueContracts
import Foundation
import PetitionsService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Signatures collected on paper: entered in batches, counted toward the threshold, shown apart.
@Suite struct PaperSignatureTests {
    private func withPaper(_ body: @Sendable (PaperSignatures, Probe, PetitionPages) async throws -> Void) async throws {
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        let platform = ServicePlatform.forTest(.petitions, database: database, topology: TestEnvironment.isolatedTopology())
        try await withRunningServices([platform.database]) {
            try await Probe.on(database) { probe in
                try await body(
                    PaperSignatures(client: platform.database, logger: TestEnvironment.logger), probe,
                    PetitionPages(client: platform.database, logger: TestEnvironment.logger)
                )
            }
        }
    }

    private func batch(_ petition: UUID, _ count: Int, names: [String] = []) -> AddPaperSignatures {
        AddPaperSignatures(
            petitionID: petition, count: count, collectedOn: Date(), place: "Marché d'Abbeville", names: names, staffID: UUID(),
            staffName: "Claire Moreau"
        )
    }

    @Test func paperBatchesCountTowardTheThresholdWhichFiresOnce() async throws {
        try await withPaper { paper, probe, pages in
            let petition = try await probe.insertPetition(threshold: 10)
            _ = try await paper.add(batch(petition, 6, names: (1...6).map { "Signataire \($0)" }))
            #expect(try await probe.signatureCount(petition) == 6)
            #expect(try await probe.outboxRows(PetitionThresholdReached.messageType, petition: petition) == 0)
            // 6 of 10: past the 50 % milestone, announced once.
            #expect(try await probe.outboxRows(PetitionMilestoneReached.messageType, petition: petition) == 1)

            _ = try await paper.add(batch(petition, 5))
            _ = try await paper.add(batch(petition, 3))
            let view = try await paper.petition(petition)
            #expect(view.petition.signatureCount == 14)
            #expect(view.paperCount == 14)
            #expect(view.petition.status == .thresholdReached)
            #expect(view.batches.map(\.count) == [3, 5, 6])
            #expect(view.batches.last?.names.count == 6)
            // the public page tells them apart
            #expect(try await pages.detail(petition).paperCount == 14)
            #expect(try await probe.outboxRows(PetitionThresholdReached.messageType, petition: petition) == 1)
            #expect(try await probe.outboxRows(PetitionMilestoneReached.messageType, petition: petition) == 1)
        }
    }

    @Test func badBatchesAreRefusedAndChangeNothing() async throws {
        try await withPaper { paper, probe, pages in
            let petition = try await probe.insertPetition(threshold: 10)
            await #expect(throws: RequestFailure.self) { try await paper.add(batch(petition, 0)) }
            await #expect(throws: RequestFailure.self) { try await paper.add(batch(petition, 3, names: ["Une", "Deux"])) }
            var future = batch(petition, 2)
            future.collectedOn = Date().addingTimeInterval(10 * 86_400)
            await #expect(throws: RequestFailure.self) { try await paper.add(future) }
            try await probe.execute("UPDATE petitions.petitions SET status = 'closed' WHERE id = \(petition)")
            do {
                _ = try await paper.add(batch(petition, 2))
                Issue.record("a closed petition took paper signatures")
            } catch let failure as RequestFailure {
                #expect(failure.code == .conflict)
            }
            #expect(try await probe.signatureCount(petition) == 0)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.paper_batches") == 0)
            await #expect(throws: RequestFailure.self) { try await paper.petition(UUID()) }
        }
    }
}
