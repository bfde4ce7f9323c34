public import DialogueContracts
public import Foundation
public import PostgresNIO
import ServiceKit
import Synchronization

/// Applies a service's migrations on a short-lived client of the service's own role,
/// before any of its consumers starts.
public func migrate(_ service: ServiceName, directory: URL?, on database: TestDatabase) async throws {
    let platform = ServicePlatform.forTest(service, database: database, topology: TestEnvironment.isolatedTopology())
    try await withRunningServices([platform.database]) {
        try await platform.migrate(directory: directory)
    }
}

/// Reads the test database as the administrator (every schema, fully qualified names).
public struct Probe: Sendable {
    public let client: PostgresClient

    /// Runs `body` with a probe on `database`.
    public static func on<Result: Sendable>(_ database: TestDatabase, _ body: @Sendable (Probe) async throws -> Result) async throws -> Result {
        try await TestDatabase.withClient(database.adminSettings) { client in try await body(Probe(client: client)) }
    }

    /// The single integer a query returns (a count).
    public func int(_ query: PostgresQuery) async throws -> Int {
        var result = 0
        for try await value in try await client.query(query, logger: TestEnvironment.logger).decode(Int.self) { result = value }
        return result
    }

    /// Runs a statement whose rows do not matter (a test's setup).
    public func execute(_ query: PostgresQuery) async throws {
        _ = try await client.query(query, logger: TestEnvironment.logger)
    }

    /// The first column of every row, as text (NULL as nil).
    public func texts(_ query: PostgresQuery) async throws -> [String?] {
        var result: [String?] = []
        for try await value in try await client.query(query, logger: TestEnvironment.logger).decode(String?.self) { result.append(value) }
        return result
    }

    public func signatureCount(_ petition: UUID) async throws -> Int {
        try await int("SELECT signature_count FROM petitions.petitions WHERE id = \(petition)")
    }

    /// The secret of the newest signature confirmation link mailed to `email` for a signature
    /// of this database, read from the mail the test SMTP server received (the outbox keeps
    /// no token once it is published): the notification worker must run beside the petitions
    /// service. Other tests may mail the same address: only a link this database knows counts.
    public func signatureToken(to email: String) async throws -> String {
        let found = Mutex<String?>(nil)
        try await eventually("the confirmation link mailed to \(email)") {
            for token in try TestEnvironment.mailTexts(to: email).compactMap(Self.signatureToken(in:)).reversed() {
                let known = try await int(
                    """
                    SELECT count(*)::int8 FROM petitions.signatures WHERE confirmation_hash = sha256(convert_to(\(token), 'UTF8'))
                    """
                ) + int(
                    """
                    SELECT count(*)::int8 FROM petitions.earlier_signature_links WHERE token_hash = sha256(convert_to(\(token), 'UTF8'))
                    """
                )
                if known > 0 {
                    found.withLock { $0 = token }
                    return true
                }
            }
            return false
        }
        return found.withLock { $0 } ?? ""
    }

    /// The token of the signature confirmation link in a mail's text, if it has one.
    public static func signatureToken(in text: String) -> String? {
        guard let link = text.range(of: SitePath.signatureConfirmation(token: "").path) else { return nil }
        let token = text[link.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return token.isEmpty ? nil : String(token)
    }

    public func signatureRows(_ petition: UUID) async throws -> Int {
        try await int("SELECT count(*)::int8 FROM petitions.signatures WHERE petition_id = \(petition)")
    }

    /// Outbox rows of a type about one petition (the event bodies name it).
    public func outboxRows(_ type: String, petition: UUID) async throws -> Int {
        try await int(
            """
            SELECT count(*)::int8 FROM petitions.outbox
            WHERE message_type = \(type) AND (convert_from(body, 'UTF8')::jsonb ->> 'petitionID')::uuid = \(petition)
            """
        )
    }

    public func inboxRows(_ messageID: UUID) async throws -> Int {
        try await int("SELECT count(*)::int8 FROM petitions.inbox WHERE message_id = \(messageID.uuidString.lowercased())")
    }

    public func staffNotifications() async throws -> Int {
        try await int("SELECT count(*)::int8 FROM notifications.staff_notifications")
    }

    /// Inserts an open petition directly (for tests about signatures, not creation).
    public func insertPetition(threshold: Int, title: String = "Plus de TER entre Lille et Amiens") async throws -> UUID {
        let id = UUID()
        try await client.query(
            """
            INSERT INTO petitions.petitions (id, title, body, threshold)
            VALUES (\(id), \(title), 'Nous demandons davantage de trains régionaux.', \(threshold))
            """,
            logger: TestEnvironment.logger
        )
        return id
    }
}
