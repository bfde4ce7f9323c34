import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import Storage

/// A person the worker may mail: a confirmed, enabled address.
struct Recipient: Sendable, Equatable {
    let accountID: UUID
    let email: String
    let displayName: String?
}

/// The worker's copy of the accounts' contacts, fed by `account.contact_changed`.
enum Recipients {
    /// Applies a change unless a newer one is already applied or the account was erased.
    static func apply(_ event: AccountContactChanged, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO recipients (account_id, email, display_name, email_confirmed, disabled, staff_roles, changed_at)
            SELECT \(event.accountID), \(event.email), \(event.displayName), \(event.emailConfirmed), \(event.disabled),
                   \(event.staffRoles), \(event.changedAt)
            WHERE NOT EXISTS (SELECT 1 FROM erased_accounts WHERE account_id = \(event.accountID))
            ON CONFLICT (account_id) DO UPDATE SET
                email = excluded.email, display_name = excluded.display_name, email_confirmed = excluded.email_confirmed,
                disabled = excluded.disabled, staff_roles = excluded.staff_roles, changed_at = excluded.changed_at
            WHERE recipients.changed_at < excluded.changed_at
            """,
            logger: logger
        )
    }

    /// `account.erased`: the contact, the choices and the waiting digest lines go.
    static func forget(_ accountID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("DELETE FROM recipients WHERE account_id = \(accountID)", logger: logger)
        try await connection.query("DELETE FROM preferences WHERE account_id = \(accountID)", logger: logger)
        try await connection.query("DELETE FROM digest_items WHERE account_id = \(accountID)", logger: logger)
    }

    /// The account's contact when it may be mailed: confirmed and not disabled.
    static func mailable(_ accountID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Recipient? {
        let rows = try await connection.query(
            """
            SELECT account_id, email, display_name FROM recipients
            WHERE account_id = \(accountID) AND email_confirmed AND NOT disabled
            """,
            logger: logger
        )
        for try await (id, email, name) in rows.decode((UUID, String, String?).self) {
            return Recipient(accountID: id, email: email, displayName: name)
        }
        return nil
    }

    /// The staff a staff topic is for (by role), who may be mailed.
    static func staff(for topic: NotificationTopic, on connection: PostgresConnection, logger: Logger) async throws -> [Recipient] {
        let roles = topic.staffRoles.sorted()
        guard !roles.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT account_id, email, display_name FROM recipients
            WHERE staff_roles && \(roles) AND email_confirmed AND NOT disabled
            ORDER BY account_id
            """,
            logger: logger
        )
        var recipients: [Recipient] = []
        for try await (id, email, name) in rows.decode((UUID, String, String?).self) {
            recipients.append(Recipient(accountID: id, email: email, displayName: name))
        }
        return recipients
    }

    /// "ca•••@exemple.fr": enough for a person to recognise their address, not to read it.
    static func masked(_ email: String) -> String {
        let parts = email.split(separator: "@", maxSplits: 1)
        guard parts.count == 2 else { return "•••" }
        return "\(parts[0].prefix(2))•••@\(parts[1])"
    }
}

/// People's choices of topics and frequencies.
struct PreferenceStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    static func frequency(of accountID: UUID, for topic: NotificationTopic, on connection: PostgresConnection, logger: Logger) async throws -> NotificationFrequency {
        let rows = try await connection.query(
            "SELECT frequency FROM preferences WHERE account_id = \(accountID) AND topic = \(topic.rawValue)", logger: logger
        )
        for try await value in rows.decode(String.self) { return NotificationFrequency(rawValue: value) ?? topic.defaultFrequency }
        return topic.defaultFrequency
    }

    func view(_ request: GetNotificationPreferences) async throws -> NotificationPreferences {
        let rows = try await client.query("SELECT topic, frequency FROM preferences WHERE account_id = \(request.accountID)", logger: logger)
        var chosen: [String: String] = [:]
        for try await (topic, frequency) in rows.decode((String, String).self) { chosen[topic] = frequency }
        return NotificationPreferences(choices: NotificationTopic.offered(toStaffRoles: Set(request.staffRoles)).map { topic in
            .init(topic: topic, frequency: chosen[topic.rawValue].flatMap(NotificationFrequency.init(rawValue:)) ?? topic.defaultFrequency)
        })
    }

    func save(_ request: SaveNotificationPreferences) async throws -> NotificationPreferences {
        let offered = Set(NotificationTopic.offered(toStaffRoles: Set(request.staffRoles)))
        if let refused = request.choices.first(where: { !offered.contains($0.topic) }) {
            throw RequestFailure(code: .invalid, message: "Ce sujet ne vous est pas proposé.", field: refused.topic.rawValue)
        }
        try await client.transaction(logger: logger) { connection in
            for choice in request.choices {
                try await Self.set(choice.frequency, of: request.accountID, for: choice.topic, on: connection, logger: logger)
            }
        }
        return try await view(GetNotificationPreferences(accountID: request.accountID, staffRoles: request.staffRoles))
    }

    static func set(
        _ frequency: NotificationFrequency, of accountID: UUID, for topic: NotificationTopic, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO preferences (account_id, topic, frequency) VALUES (\(accountID), \(topic.rawValue), \(frequency.rawValue))
            ON CONFLICT (account_id, topic) DO UPDATE SET frequency = excluded.frequency, updated_at = now()
            """,
            logger: logger
        )
    }
}
