public import DialogueContracts
public import Foundation
import Logging
import Messaging
public import ServiceKit
public import ServiceLifecycle

/// E-mail and the staff inbox (schema `notifications`).
public enum NotificationWorker: DialogueService {
    public static let name = ServiceName.notifications
    public static let defaultPort = 8185
    public static var migrationsDirectory: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public static func services(on platform: ServicePlatform, operations: OperationsEndpoints) throws -> [any Service] {
        var reader = SettingsReader(environment: ProcessInfo.processInfo.environment)
        let smtp = SMTPSettings(reader: &reader)
        try reader.validate()
        return parts(on: platform, smtp: smtp)
    }

    /// The consumers of the worker, for the runner and for tests.
    public static func parts(on platform: ServicePlatform, smtp: SMTPSettings) -> [any Service] {
        var recorded = EventRouter(client: platform.database, logger: platform.logger, produces: "notification")
        recorded.on(PetitionThresholdReached.self) { event, messageID, connection in
            try await StaffNotifications.record(event, messageID: messageID, on: connection, logger: platform.logger)
        }
        recorded.on(AccountErased.self) { event, connection in
            try await EmailDeliveryHandler.forget(event, on: connection, logger: platform.logger)
        }
        let events = NotificationEventHandler(
            mail: EmailDeliveryHandler(client: platform.database, mailer: SMTPMailer(settings: smtp), logger: platform.logger),
            recorded: recorded
        )
        let inbox = StaffInboxStore(client: platform.database, logger: platform.logger)
        var requests = RequestRouter(logger: platform.logger)
        requests.on(ListStaffNotifications.self) { request in try await inbox.page(request) }
        requests.on(MarkStaffNotificationRead.self) { request in try await inbox.markRead(request.notificationID) }
        return [
            platform.consumer(of: .events, handler: events),
            platform.consumer(of: .rpc, handler: RPCServer(handler: requests, logger: platform.logger)),
        ]
    }
}

extension SMTPSettings {
    /// Reads `SMTP_URL`, `SMTP_STARTTLS` (none, optional, required), `SMTP_USERNAME`,
    /// `SMTP_PASSWORD`, `MAIL_FROM`, `MAIL_FROM_NAME`, `SMTP_TIMEOUT_MS`.
    public init(reader: inout SettingsReader) {
        let url = reader.optional("SMTP_URL", default: "smtp://127.0.0.1:25")
        if !(url.hasPrefix("smtp://") || url.hasPrefix("smtps://")) {
            reader.report("SMTP_URL must start with smtp:// or smtps://, not \"\(url)\"")
        }
        let from = reader.optional("MAIL_FROM", default: "ne-pas-repondre@dialogue.localhost")
        if !EmailAddress.isValid(from) { reader.report("MAIL_FROM must be an e-mail address, not \"\(from)\"") }
        let username = reader.optional("SMTP_USERNAME", default: "")
        let password = reader.optional("SMTP_PASSWORD", default: "")
        self.init(
            url: url,
            tls: reader.choice("SMTP_STARTTLS", default: TLSPolicy.optional),
            username: username.isEmpty ? nil : username,
            password: password.isEmpty ? nil : password,
            fromAddress: from,
            fromName: reader.optional("MAIL_FROM_NAME", default: "Dialogue — CESER Hauts-de-France"),
            timeout: .milliseconds(reader.integer("SMTP_TIMEOUT_MS", default: 30_000, in: 1000...300_000))
        )
    }
}

/// Sends each event either to the mail path (which talks to the SMTP server outside any
/// transaction) or to the router of what is only recorded (staff inbox, erasure), which
/// dead-letters the types nobody handles.
struct NotificationEventHandler: MessageBatchHandler {
    let mail: EmailDeliveryHandler
    let recorded: EventRouter

    func handle(_ batch: [IncomingMessage], context: ConsumerContext) async -> [DeliveryOutcome] {
        var outcomes: [DeliveryOutcome] = []
        for message in batch {
            outcomes.append(await handle(message, context: context))
        }
        return outcomes
    }

    private func handle(_ message: IncomingMessage, context: ConsumerContext) async -> DeliveryOutcome {
        let requested: (template: String, mail: OutgoingMail)?
        do {
            requested = try EmailDeliveryHandler.mail(for: message)
        } catch {
            return .deadLetter(reason: "\(error)")
        }
        guard let requested else {
            return await recorded.handle([message], context: context).first ?? .retry(reason: "no outcome")
        }
        guard let messageID = message.messageID else { return .deadLetter(reason: "message without message_id") }
        return await mail.deliver(requested.mail, template: requested.template, messageID: messageID)
    }
}
