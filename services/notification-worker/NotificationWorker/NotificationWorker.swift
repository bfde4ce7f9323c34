public import DialogueContracts
public import Foundation
public import ServiceKit
public import ServiceLifecycle

/// E-mail and the staff inbox (schema `notifications`).
public enum NotificationWorker: DialogueService {
    public static let name = ServiceName.notifications
    public static let defaultPort = 8185
    public static var migrationsDirectory: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public static func services(on platform: ServicePlatform, operations: OperationsEndpoints) throws -> [any Service] {
        [platform.consumer(of: .events, handler: StaffNotificationHandler(client: platform.database, logger: platform.logger))]
    }
}
