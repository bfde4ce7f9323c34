import DialogueContracts
import Foundation
import Messaging
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
