public import DialogueContracts
public import Foundation
public import Logging
public import PostgresNIO
import Storage

/// Reads and writes the `petitions` schema.
public struct PetitionStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func create(_ request: CreatePetition, rules: PetitionRules) async throws -> PetitionView {
        let title = request.title.trimmingCharacters(in: .whitespacesAndNewlines)
        let text = request.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (3...200).contains(title.count) else {
            throw RequestFailure(code: "invalid", message: "Le titre doit compter entre 3 et 200 caractères.", field: "title")
        }
        guard (10...10_000).contains(text.count) else {
            throw RequestFailure(code: "invalid", message: "Le texte doit compter entre 10 et 10 000 caractères.", field: "text")
        }
        let id = UUID()
        let rows = try await client.query(
            """
            INSERT INTO petitions (id, title, body, threshold) VALUES (\(id), \(title), \(text), \(rules.threshold))
            RETURNING id, title, body, status, signature_count, threshold, created_at
            """,
            logger: logger
        )
        for try await row in rows.decode((UUID, String, String, String, Int, Int, Date).self) {
            return PetitionView(row)
        }
        throw RequestFailure(code: "internal", message: "the petition was not stored")
    }

    public func petition(_ id: UUID) async throws -> PetitionView {
        let rows = try await client.query(
            "SELECT id, title, body, status, signature_count, threshold, created_at FROM petitions WHERE id = \(id)",
            logger: logger
        )
        for try await row in rows.decode((UUID, String, String, String, Int, Int, Date).self) {
            return PetitionView(row)
        }
        throw RequestFailure(code: "not_found", message: "Cette pétition n'existe pas.")
    }
}

extension PetitionStore {
    /// A person erased their account: their signatures keep counting (and their département
    /// in the figures) but lose name, address and postcode. The placeholder address stays
    /// unique per signature, so the one-signature-per-person rule still holds for others.
    static func anonymiseSignatures(of event: AccountErased, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            UPDATE signatures SET name = \(AccountErased.anonymousAuthorName), email = '', postcode = '',
                email_normalized = 'erased:' || id::text
            WHERE email_normalized = ANY(\(event.normalizedEmails))
            """,
            logger: logger
        )
    }
}

extension PetitionView {
    init(_ row: (UUID, String, String, String, Int, Int, Date)) {
        self.init(id: row.0, title: row.1, text: row.2, status: row.3, signatureCount: row.4, threshold: row.5, createdAt: row.6)
    }
}
