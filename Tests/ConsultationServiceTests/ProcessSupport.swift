import ConsultationService
import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import TestSupport

/// What a process test works with: the service's RPC, its topology and database.
struct ProcessHarness: Sendable {
    let rpc: RPCClient
    let topology: MessagingTopology
    let database: TestDatabase

    static let staff = (id: UUID(), name: "Agnès Lefebvre")

    /// The day `offset` days from today, in the region.
    static func day(_ offset: Int) -> String {
        ProcessDay.day(offset, after: ProcessDay.day(of: Date())) ?? ""
    }

    static func draft(title: String = "Ateliers citoyens de la jeunesse", phases: [ProcessPhaseDraft]) -> ProcessDraft {
        ProcessDraft(
            title: title, policy: "Politique départementale de la jeunesse",
            purpose: "Associer les habitants du Nord à la politique jeunesse du Département.", phases: phases
        )
    }

    func create(_ draft: ProcessDraft) async throws -> ProcessView {
        try await rpc.request(CreateProcess(draft: draft, staffID: Self.staff.id, staffName: Self.staff.name))
    }

    func int(_ query: PostgresQuery) async throws -> Int {
        try await Probe.on(database) { probe in try await probe.int(query) }
    }

    func texts(_ query: PostgresQuery) async throws -> [String?] {
        try await Probe.on(database) { probe in try await probe.texts(query) }
    }

    /// The outbox messages of `type`, decoded, in the order they were queued.
    func outbox<Event: DialogueEvent>(_: Event.Type) async throws -> [Event] {
        let bodies = try await texts("SELECT convert_from(body, 'UTF8') FROM consultations.outbox WHERE message_type = \(Event.messageType) ORDER BY id")
        return try bodies.map { try MessageCoding.decode(Event.self, from: Array(($0 ?? "").utf8)) }
    }
}

/// Runs `replicas` consultation-service processes on one fresh database (their periodic jobs
/// every `jobInterval`) with an RPC client until `body` returns, then removes the test's queues.
func withProcesses<Result: Sendable>(
    replicas: Int = 1, jobInterval: Duration = .seconds(60), _ body: @Sendable (ProcessHarness) async throws -> Result
) async throws -> Result {
    let database = try await TestDatabase.make()
    try await migrate(.consultations, directory: ConsultationService.migrationsDirectory, on: database)
    let topology = TestEnvironment.isolatedTopology()
    let platforms = (0..<replicas).map { _ in ServicePlatform.forTest(.consultations, database: database, topology: topology) }
    let services: [any Service] = platforms.flatMap { platform -> [any Service] in
        [platform.database, platform.publisher, platform.outboxRelay()] + ConsultationService.parts(on: platform, openingInterval: jobInterval)
    }
    let rpc = RPCClient(settings: TestEnvironment.amqp, topology: topology, logger: TestEnvironment.logger)
    let result = try await withRunningServices(services + [rpc]) {
        try await eventually(timeout: .seconds(20), "consultation service ready") {
            for platform in platforms where !(await platform.readiness.failing().isEmpty) { return false }
            return rpc.isConnected
        }
        return try await body(ProcessHarness(rpc: rpc, topology: topology, database: database))
    }
    await deleteQueues(of: topology, services: [.consultations])
    return result
}
