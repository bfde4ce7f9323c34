public import DialogueContracts
public import Foundation
public import ServiceKit
public import ServiceLifecycle

/// Questionnaires, questions, responses and results (schema `surveys`).
///
/// Runs the platform's parts (migrations, outbox relay, operations endpoints); it handles no
/// message yet, so it consumes no queue: its features, and their handlers, arrive with their own issues.
public enum SurveyService: DialogueService {
    public static let name = ServiceName.surveys
    public static let defaultPort = 8182
    public static let migrationsDirectory: URL? = nil

    public static func services(on platform: ServicePlatform, settings: NoSettings, operations: OperationsEndpoints) -> [any Service] {
        []
    }
}
