import DialogueContracts
import Foundation
import PetitionsService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The petitions service records the staff actions it does in its own `staff_audit` table,
/// in the transaction of the action, and announces each entry for the gateway's audit page.
@Suite struct StaffAuditTests {
    private func withService(
        _ body: @Sendable (PaperSignatures, PetitionLifecycleStore, FraudControls, Probe) async throws -> Void
    ) async throws {
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        let platform = ServicePlatform.forTest(.petitions, database: database, topology: TestEnvironment.isolatedTopology())
        let (client, logger) = (platform.database, TestEnvironment.logger)
        try await withRunningServices([platform.database]) {
            try await Probe.on(database) { probe in
                try await body(
                    PaperSignatures(client: client, logger: logger), PetitionLifecycleStore(client: client, logger: logger),
                    FraudControls(client: client, logger: logger), probe
                )
            }
        }
    }

    private let staffID = UUID()

    private func batch(_ petition: UUID, _ count: Int) -> AddPaperSignatures {
        AddPaperSignatures(
            petitionID: petition, count: count, collectedOn: Date(), place: "Marché d'Abbeville", names: [], staffID: staffID, staffName: "Claire Moreau"
        )
    }

    private func entries(_ probe: Probe) async throws -> [String?] {
        try await probe.texts("SELECT action || ' ' || staff_id || ' ' || (details ->> 'signatures') FROM petitions.staff_audit ORDER BY id")
    }

    private func announcements(_ probe: Probe) async throws -> Int {
        try await probe.int("SELECT count(*)::int8 FROM petitions.outbox WHERE message_type = \(StaffActionRecorded.messageType)")
    }

    @Test func aPaperBatchIsAuditedAndAnnouncedInItsTransaction() async throws {
        try await withService { paper, _, _, probe in
            let petition = try await probe.insertPetition(threshold: 100)

            // act
            let stored = try await paper.add(batch(petition, 6))

            // check: one entry, by the staff member, with the batch; one announcement of it
            #expect(try await entries(probe) == ["petition.paper_signatures_added \(staffID.uuidString.lowercased()) 6"])
            #expect(try await probe.texts("SELECT object_id || ' ' || (details ->> 'batch') || ' ' || staff_name FROM petitions.staff_audit") == [
                "\(petition.uuidString.lowercased()) \(stored.id.uuidString.lowercased()) Claire Moreau"
            ])
            #expect(try await announcements(probe) == 1)
            let announced = try await probe.texts(
                "SELECT convert_from(body, 'UTF8') FROM petitions.outbox WHERE message_type = \(StaffActionRecorded.messageType)"
            )
            let event = try MessageCoding.decode(StaffActionRecorded.self, from: Array(((announced.first ?? nil) ?? "").utf8))
            #expect(event.service == .petitions && event.action == "petition.paper_signatures_added" && event.staffID == staffID)
            #expect(event.entryID == (try await probe.int("SELECT id FROM petitions.staff_audit")))
        }
    }

    @Test func anActionThatFailsLeavesNoAuditEntry() async throws {
        try await withService { paper, lifecycle, fraud, probe in
            // setup: a closed petition takes no paper signatures, and cannot be referred
            let petition = try await probe.insertPetition(threshold: 100)
            try await probe.execute("UPDATE petitions.petitions SET status = 'closed' WHERE id = \(petition)")

            // act
            await #expect(throws: RequestFailure.self) { try await paper.add(batch(petition, 2)) }
            await #expect(throws: RequestFailure.self) {
                try await lifecycle.refer(ReferPetition(petitionID: petition, note: nil, staffID: staffID, staffName: "Claire Moreau"))
            }
            await #expect(throws: RequestFailure.self) {
                try await fraud.invalidate(InvalidateSignatures(
                    selection: SignatureSelection(petitionID: UUID(), emailDomain: "exemple.fr"), reason: "Vague de faux",
                    staffID: staffID, staffName: "Claire Moreau"
                ))
            }
            // removing what is not on the block list does nothing, so records nothing
            _ = try await fraud.unblock(RemoveFromBlockList(kind: .domain, value: "absent.example", staffID: staffID, staffName: "Claire Moreau"))

            // check
            #expect(try await entries(probe).isEmpty)
            #expect(try await announcements(probe) == 0)
        }
    }

    @Test func anActionWhoseAuditCannotBeWrittenDoesNotHappen() async throws {
        try await withService { paper, _, _, probe in
            // setup: the audit table refuses every new row, as a full disk or a broken constraint would
            let petition = try await probe.insertPetition(threshold: 100)
            try await probe.execute("ALTER TABLE petitions.staff_audit ADD CONSTRAINT refuse_all CHECK (false) NOT VALID")

            // act
            await #expect(throws: (any Error).self) { try await paper.add(batch(petition, 4)) }

            // check: the batch is not stored and counts for nothing: action and audit are one transaction
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.paper_batches") == 0)
            #expect(try await probe.signatureCount(petition) == 0)
            #expect(try await announcements(probe) == 0)
        }
    }
}
