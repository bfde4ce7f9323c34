import DialogueContracts
import Foundation
import Messaging
import PetitionsService
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Testing
import TestSupport

/// `petition.create` and `petition.get` over RPC, against the real service.
@Suite struct PetitionRequestTests {
    let topology = TestEnvironment.isolatedTopology()

    /// Runs the petitions service under `threshold` with an RPC client, until `body` returns.
    private func withService<Result: Sendable>(
        _ database: TestDatabase, threshold: Int, _ body: @Sendable (RPCClient) async throws -> Result
    ) async throws -> Result {
        let platform = ServicePlatform.forTest(.petitions, database: database, topology: topology)
        let rpc = RPCClient(settings: TestEnvironment.amqp, topology: topology, logger: TestEnvironment.logger)
        return try await withRunningServices(petitionsProcess(platform, threshold: threshold) + [rpc]) {
            try await waitUntilReady([platform], [{ rpc.isConnected }])
            return try await body(rpc)
        }
    }

    @Test func createdPetitionKeepsTheThresholdOfItsCreation() async throws {
        // setup
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)

        // act: one petition under a threshold of 42, then the platform default changes to 7
        let first = try await withService(database, threshold: 42) { rpc in
            try await rpc.request(CreatePetition(
                title: "  Rouvrir la gare de Saint-Pol  ", text: "Nous demandons la réouverture de la gare aux voyageurs.",
                reasons: "Le territoire est isolé sans train."
            ))
        }
        let (again, second) = try await withService(database, threshold: 7) { rpc in
            let again = try await rpc.request(GetPetition(petitionID: first.id))
            let second = try await rpc.request(CreatePetition(title: "Un abri vélo au lycée", text: "Un abri couvert pour 50 vélos.", reasons: "Les habitants attendent une réponse depuis des années."))
            return (again, second)
        }

        // check
        #expect(first.threshold == 42)
        #expect(first.signatureCount == 0)
        #expect(first.status == .inModeration)
        #expect(first.title == "Rouvrir la gare de Saint-Pol")
        #expect(again == first)
        #expect(second.threshold == 7)
        #expect(second.id != first.id)
        let stored = try await Probe.on(database) { probe in
            try await probe.int("SELECT threshold::int8 FROM petitions.petitions WHERE id = \(first.id)")
        }
        #expect(stored == 42)
        await deleteQueues(of: topology, services: [.petitions])
    }

    @Test func createdPetitionWaitsForModerationAndIsSubmittedToIt() async throws {
        // setup
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        let author = UUID()

        // act
        let petition = try await withService(database, threshold: 100) { rpc in
            try await rpc.request(CreatePetition(
                title: "Des bus le dimanche", text: "Nous demandons des bus le dimanche entre Lens et Liévin.",
                reasons: "  Le dimanche, sans voiture, on ne peut pas aller voir sa famille.  ", theme: "transports-mobilites", authorAccountID: author,
                authorName: "  Jeanne Dubois "
            ))
        }

        // check: in moderation, hidden, and announced to moderation in the same transaction
        #expect(petition.status == .inModeration)
        #expect(petition.visible == false)
        let (stored, bodies) = try await Probe.on(database) { probe in
            (
                try await probe.texts(
                    "SELECT status || '/' || visible::text || '/' || author_account_id::text || '/' || author_name FROM petitions.petitions"
                ),
                try await probe.texts(
                    """
                    SELECT convert_from(body, 'UTF8') FROM petitions.outbox
                    WHERE message_type = \(PetitionSubmitted.messageType) AND routing_key = \(PetitionSubmitted.messageType)
                    """
                )
            )
        }
        #expect(stored == ["in_moderation/false/\(author.uuidString.lowercased())/Jeanne Dubois"])
        #expect(bodies.count == 1)
        let submitted = try MessageCoding.decode(PetitionSubmitted.self, from: Array(((bodies.first ?? nil) ?? "").utf8)).content
        #expect(submitted.contentID == petition.id)
        #expect(submitted.ownerService == .petitions)
        #expect(submitted.title == "Des bus le dimanche")
        #expect(submitted.text == "Nous demandons des bus le dimanche entre Lens et Liévin.\n\nPourquoi :\nLe dimanche, sans voiture, on ne peut pas aller voir sa famille.")
        #expect(petition.reasons == "Le dimanche, sans voiture, on ne peut pas aller voir sa famille.")
        #expect(petition.theme == "transports-mobilites")
        #expect(submitted.authorAccountID == author)
        #expect(submitted.authorName == "Jeanne Dubois")
        #expect(submitted.publicPath == "/petitions/\(petition.id.uuidString.lowercased())")
        #expect(abs(submitted.submittedAt.timeIntervalSince(petition.createdAt)) < 1)
        await deleteQueues(of: topology, services: [.petitions])
    }

    @Test func invalidPetitionsAreRefusedNamingTheField() async throws {
        // setup
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        let text = "Un texte assez long pour être accepté."

        // act
        let failures = try await withService(database, threshold: 10) { rpc in
            var failures: [String: RequestFailure] = [:]
            let cases: [(String, CreatePetition)] = [
                ("short title", CreatePetition(title: "  ab  ", text: text, reasons: text)),
                ("long title", CreatePetition(title: String(repeating: "t", count: 201), text: text, reasons: text)),
                ("short text", CreatePetition(title: "Un titre", text: " court   ", reasons: text)),
                ("long text", CreatePetition(title: "Un titre", text: String(repeating: "x", count: 10_001), reasons: text)),
                ("no reasons", CreatePetition(title: "Un titre", text: text, reasons: "   ")),
                ("short reasons", CreatePetition(title: "Un titre", text: text, reasons: "Parce que")),
                ("long reasons", CreatePetition(title: "Un titre", text: text, reasons: String(repeating: "r", count: 10_001))),
                ("unknown theme", CreatePetition(title: "Un titre", text: text, reasons: text, theme: "football")),
            ]
            for (name, request) in cases {
                do {
                    _ = try await rpc.request(request)
                } catch let failure as RequestFailure {
                    failures[name] = failure
                }
            }
            return failures
        }

        // check
        #expect(failures["short title"]?.code == .invalid)
        #expect(failures["short title"]?.field == "title")
        #expect(failures["long title"]?.field == "title")
        #expect(failures["short text"]?.code == .invalid)
        #expect(failures["short text"]?.field == "text")
        #expect(failures["long text"]?.field == "text")
        for name in ["no reasons", "short reasons", "long reasons"] {
            #expect(failures[name]?.code == .invalid, "\(name)")
            #expect(failures[name]?.field == "reasons", "\(name)")
        }
        #expect(failures["unknown theme"]?.field == "theme")
        #expect(failures.count == 8)
        #expect(failures.values.allSatisfy { !$0.message.isEmpty })
        let (stored, announced) = try await Probe.on(database) { probe in
            (try await probe.int("SELECT count(*)::int8 FROM petitions.petitions"), try await probe.int("SELECT count(*)::int8 FROM petitions.outbox"))
        }
        #expect(stored == 0)
        #expect(announced == 0)
        await deleteQueues(of: topology, services: [.petitions])
    }

    @Test func unknownPetitionIsNotFound() async throws {
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        try await withService(database, threshold: 10) { rpc in
            let error = await #expect(throws: RequestFailure.self) {
                try await rpc.request(GetPetition(petitionID: UUID()))
            }
            #expect(error?.code == .notFound)
        }
        await deleteQueues(of: topology, services: [.petitions])
    }

    @Test func unknownRequestTypeIsAnsweredInvalid() async throws {
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        try await withService(database, threshold: 10) { rpc in
            let reply = try await rpc.call(service: ServiceName.petitions.rawValue, type: "petition.delete", body: Array("{}".utf8))
            #expect(reply.headers[RPCHeader.status]?.stringValue == RPCStatus.invalid.rawValue)
            let failure = try MessageCoding.decode(RequestFailure.self, from: reply.body)
            #expect(failure.code == .invalid)
            #expect(failure.message.contains("petition.delete"))
        }
        await deleteQueues(of: topology, services: [.petitions])
    }
}
