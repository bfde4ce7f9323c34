import DialogueContracts
import Foundation
import DialogueCtl
import Messaging
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import SurveyService
import TestSupport

/// What one survey-service process runs: its platform parts and its consumers.
func surveyProcess(_ platform: ServicePlatform) -> [any Service] {
    [platform.database, platform.publisher, platform.outboxRelay()] + SurveyService.parts(on: platform)
}

/// Runs the survey service on `database` with an RPC client until `body` returns.
func withSurveyService<Result: Sendable>(
    _ database: TestDatabase, topology: MessagingTopology, _ body: @Sendable (RPCClient) async throws -> Result
) async throws -> Result {
    let platform = ServicePlatform.forTest(.surveys, database: database, topology: topology)
    let rpc = RPCClient(settings: TestEnvironment.amqp, topology: topology, logger: TestEnvironment.logger)
    return try await withRunningServices(surveyProcess(platform) + [rpc]) {
        try await eventually(timeout: .seconds(20), "survey service ready") {
            await platform.readiness.failing().isEmpty && rpc.isConnected
        }
        return try await body(rpc)
    }
}

/// A fresh database with the `surveys` schema migrated.
func surveyDatabase() async throws -> TestDatabase {
    let database = try await TestDatabase.make()
    try await migrate(.surveys, directory: SurveyService.migrationsDirectory, on: database)
    return database
}

/// A small survey with a conditional question, ready to publish.
func sampleDefinition(title: String = "Les transports du quotidien") -> SurveyDefinition {
    SurveyDefinition(
        title: title, introduction: "Dites-nous comment vous vous déplacez.",
        purpose: "Les réponses guideront le plan régional des mobilités.",
        opensAt: Date(timeIntervalSinceNow: -60), closesAt: Date(timeIntervalSinceNow: 30 * 86_400),
        sections: [
            SurveySection(id: "trajets", title: "Vos trajets", questions: [
                SurveyQuestion(
                    id: "train", prompt: "Prenez-vous le train ?", required: true,
                    kind: .singleChoice(options: [SurveyOption(id: "oui", label: "Oui"), SurveyOption(id: "non", label: "Non")], allowsOther: false)
                ),
                SurveyQuestion(
                    id: "pourquoi", prompt: "Pourquoi pas ?", condition: .equals(question: "train", value: "non"), kind: .shortText(maximumLength: 200)
                ),
            ]),
        ]
    )
}

let staff = (id: UUID(), name: "Agnès Lefebvre")

/// A publisher of test commands that declares the surveys queues itself, so that what it
/// publishes waits in the queue even before a consumer runs.
func surveyCommandPublisher(_ topology: MessagingTopology) -> AMQPPublisher {
    AMQPPublisher(
        settings: TestEnvironment.amqp, name: "test-survey-publisher",
        declarations: topology.declarations(for: ServiceCatalog.endpoints(of: .surveys)), logger: TestEnvironment.logger
    )
}

/// What a response test works with: the service's RPC, a command publisher, the database.
struct SurveyHarness: Sendable {
    let rpc: RPCClient
    let publisher: AMQPPublisher
    let topology: MessagingTopology
    let database: TestDatabase

    /// Creates and publishes a survey (open now unless its definition's dates say otherwise).
    func openSurvey(_ definition: SurveyDefinition) async throws -> UUID {
        let draft = try await rpc.request(CreateSurvey(definition: definition, staffID: staff.id, staffName: staff.name))
        return try await rpc.request(PublishSurvey(surveyID: draft.id, staffID: staff.id, staffName: staff.name)).id
    }

    /// Sends a response command; returns its message id.
    @discardableResult
    func submit(_ command: SubmitSurveyResponse, messageID: UUID = UUID()) async throws -> String {
        try await publisher.publish(try OutgoingMessage(command: command, topology: topology, messageID: messageID))
        return messageID.uuidString.lowercased()
    }

    func publishEvent<Event: DialogueEvent>(_ event: Event, messageID: String = UUID().uuidString.lowercased()) async throws {
        try await publisher.publish(OutgoingMessage(
            exchange: topology.eventsExchange, routingKey: Event.messageType, body: try MessageCoding.encode(event), messageID: messageID,
            type: Event.messageType
        ))
    }

    var deadQueue: String { topology.deadLetterQueue(of: topology.commandsQueue("surveys")) }

    /// The refused commands, by message id, with the reason each was parked for.
    func refusals() async throws -> [String: String] {
        let dead = try await BrokerAdmin.peek(queue: deadQueue, limit: 100, settings: TestEnvironment.amqp)
        return Dictionary(dead.map { ($0.messageID ?? "-", $0.headers["dialogue-dead-letter-reason"]?.stringValue ?? "") }) { $1 }
    }

    func int(_ query: PostgresQuery) async throws -> Int {
        try await Probe.on(database) { probe in try await probe.int(query) }
    }
}

/// Runs `replicas` survey-service processes on `database` with an RPC client and a command
/// publisher until `body` returns, then removes the test's queues.
func withSurveyResponses<Result: Sendable>(
    _ database: TestDatabase, topology: MessagingTopology, replicas: Int = 1, _ body: @Sendable (SurveyHarness) async throws -> Result
) async throws -> Result {
    let platforms = (0..<replicas).map { _ in ServicePlatform.forTest(.surveys, database: database, topology: topology) }
    let rpc = RPCClient(settings: TestEnvironment.amqp, topology: topology, logger: TestEnvironment.logger)
    let publisher = surveyCommandPublisher(topology)
    let result = try await withRunningServices(platforms.flatMap(surveyProcess) + [rpc, publisher]) {
        try await eventually(timeout: .seconds(20), "survey service ready") {
            for platform in platforms where !(await platform.readiness.failing().isEmpty) { return false }
            return rpc.isConnected && publisher.isConnected
        }
        return try await body(SurveyHarness(rpc: rpc, publisher: publisher, topology: topology, database: database))
    }
    await deleteQueues(of: topology, services: [.surveys])
    return result
}

/// A survey with a question of every type that takes an answer, and a conditional one.
func everyTypeDefinition(opensAt: Date = Date(timeIntervalSinceNow: -60), closesAt: Date = Date(timeIntervalSinceNow: 30 * 86_400)) -> SurveyDefinition {
    let fivePoints = SurveyScale(minimum: 1, maximum: 5, minimumLabel: "Pas du tout", maximumLabel: "Tout à fait")
    return SurveyDefinition(
        title: "Se déplacer en Hauts-de-France", introduction: "Quelques questions sur vos trajets.",
        purpose: "Les réponses guideront le plan régional des mobilités.", opensAt: opensAt, closesAt: closesAt,
        sections: [
            SurveySection(id: "trajets", title: "Vos trajets", questions: [
                SurveyQuestion(
                    id: "mode", prompt: "Comment allez-vous au travail ?", required: true,
                    kind: .singleChoice(
                        options: [SurveyOption(id: "train", label: "Train"), SurveyOption(id: "bus", label: "Bus"), SurveyOption(id: "voiture", label: "Voiture")],
                        allowsOther: true
                    )
                ),
                SurveyQuestion(
                    id: "pourquoi", prompt: "Pourquoi la voiture ?", condition: .equals(question: "mode", value: "voiture"),
                    kind: .shortText(maximumLength: 200)
                ),
                SurveyQuestion(
                    id: "freins", prompt: "Qu'est-ce qui vous gêne ?",
                    kind: .multipleChoice(
                        options: [SurveyOption(id: "prix", label: "Le prix"), SurveyOption(id: "temps", label: "Le temps"), SurveyOption(id: "confort", label: "Le confort")],
                        allowsOther: false, minimumChoices: nil, maximumChoices: 2
                    )
                ),
                SurveyQuestion(id: "satisfaction", prompt: "Êtes-vous satisfait ?", kind: .scale(fivePoints)),
                SurveyQuestion(id: "km", prompt: "Combien de kilomètres par jour ?", kind: .number(minimum: 0, maximum: 500, unit: "km", wholeNumber: false)),
                SurveyQuestion(
                    id: "priorites", prompt: "Classez vos priorités",
                    kind: .ranking(
                        options: [SurveyOption(id: "securite", label: "Sécurité"), SurveyOption(id: "frequence", label: "Fréquence"), SurveyOption(id: "prix", label: "Prix")],
                        rankedCount: 2
                    )
                ),
                SurveyQuestion(
                    id: "qualite", prompt: "Notez la qualité",
                    kind: .matrix(rows: [SurveyOption(id: "proprete", label: "Propreté"), SurveyOption(id: "ponctualite", label: "Ponctualité")], scale: fivePoints)
                ),
                SurveyQuestion(id: "depuis", prompt: "Depuis quand ?", kind: .date(earliest: "1950-01-01", latest: nil)),
                SurveyQuestion(id: "commune", prompt: "Votre commune", kind: .place(.commune)),
                SurveyQuestion(id: "avis", prompt: "Votre avis", kind: .longText(maximumLength: 2_000)),
            ]),
        ]
    )
}
