public import DialogueContracts
public import Foundation
import Messaging
public import ServiceKit
public import ServiceLifecycle

/// Consultations, forums, contributions and workshops (schema `consultations`).
///
/// Runs the platform's parts (migrations, outbox relay, operations endpoints) and serves
/// its RPC queue; its features arrive with their own issues.
public enum ConsultationService: DialogueService {
    public static let name = ServiceName.consultations
    public static let defaultPort = 8183
    public static let migrationsDirectory: URL? = nil

    public static func services(on platform: ServicePlatform, operations: OperationsEndpoints) throws -> [any Service] {
        let router = RequestRouter(logger: platform.logger)
        return [platform.consumer(of: .rpc, handler: RPCServer(handler: router, logger: platform.logger))]
    }
}
