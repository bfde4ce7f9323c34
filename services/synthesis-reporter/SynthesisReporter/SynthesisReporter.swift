public import DialogueContracts
public import Foundation
import Messaging
public import ServiceKit
public import ServiceLifecycle

/// Reports, figures, trends and exports (schema `synthesis`).
///
/// Runs the platform's parts (migrations, outbox relay, operations endpoints) and serves
/// its RPC queue; its features arrive with their own issues.
public enum SynthesisReporter: DialogueService {
    public static let name = ServiceName.synthesis
    public static let defaultPort = 8186
    public static let migrationsDirectory: URL? = nil

    public static func services(on platform: ServicePlatform, operations: OperationsEndpoints) throws -> [any Service] {
        let router = RequestRouter(logger: platform.logger)
        return [platform.consumer(of: .rpc, handler: RPCServer(handler: router, logger: platform.logger))]
    }
}
