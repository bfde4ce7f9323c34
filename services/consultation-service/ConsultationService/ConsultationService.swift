public import DialogueContracts
public import Foundation
public import ServiceKit
public import ServiceLifecycle

/// Consultations, forums, contributions and workshops (schema `consultations`).
///
/// Runs the platform's parts (migrations, outbox relay, operations endpoints); it handles no
/// message yet, so it consumes no queue: its features, and their handlers, arrive with their own issues.
public enum ConsultationService: DialogueService {
    public static let name = ServiceName.consultations
    public static let defaultPort = 8183
    public static let migrationsDirectory: URL? = nil

    public static func services(on platform: ServicePlatform, settings: NoSettings, operations: OperationsEndpoints) -> [any Service] {
        []
    }
}
