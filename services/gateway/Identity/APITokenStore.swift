public import Foundation
public import Logging
public import PostgresNIO
import Storage

/// A bearer token as its owner sees it in the back-office (never the secret itself).
public struct APITokenSummary: Sendable {
    public var id: UUID
    public var label: String
    public var createdAt: Date
    public var expiresAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?
}

/// Bearer tokens for API clients, issued to staff accounts; stored hashed, shown once.
public struct APITokenStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Tokens start with this prefix, so a leaked one is recognisable by secret scanners.
    public static let prefix = "dlg_"

    /// Issues a token to a staff account; the returned secret is shown once and never again.
    public func issue(to account: Account, label: String, lifetimeDays: Int) async throws -> String {
        let token = SecretToken.generate(prefix: Self.prefix)
        let id = UUID()
        try await client.transaction(logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO api_tokens (id, account_id, label, token_hash, expires_at)
                VALUES (\(id), \(account.id), \(label), \(SecretToken.hash(token)), now() + \(lifetimeDays) * interval '1 day')
                """,
                logger: logger
            )
            try await AuditLog.record(
                actor: account, action: "api_token.issued", objectType: "api_token", objectID: id.uuidString.lowercased(),
                details: ["label": label, "days": String(lifetimeDays)], on: connection, logger: logger
            )
        }
        return token
    }

    /// The staff account a live token belongs to.
    public func account(for token: String) async throws -> Account? {
        guard token.hasPrefix(Self.prefix) else { return nil }
        let rows = try await client.query(
            """
            WITH used AS (
                UPDATE api_tokens SET last_used_at = now()
                WHERE token_hash = \(SecretToken.hash(token)) AND revoked_at IS NULL AND expires_at > now()
                RETURNING account_id
            )
            SELECT \(unescaped: AccountStore.columns) FROM accounts
            WHERE id = (SELECT account_id FROM used) AND erased_at IS NULL AND disabled_at IS NULL AND cardinality(roles) > 0
            """,
            logger: logger
        )
        return try await AccountStore.first(rows)
    }

    public func tokens(of accountID: UUID) async throws -> [APITokenSummary] {
        let rows = try await client.query(
            """
            SELECT id, label, created_at, expires_at, last_used_at, revoked_at FROM api_tokens
            WHERE account_id = \(accountID) ORDER BY created_at DESC
            """,
            logger: logger
        )
        var tokens: [APITokenSummary] = []
        for try await row in rows.decode((UUID, String, Date, Date, Date?, Date?).self) {
            tokens.append(APITokenSummary(id: row.0, label: row.1, createdAt: row.2, expiresAt: row.3, lastUsedAt: row.4, revokedAt: row.5))
        }
        return tokens
    }

    /// Revokes one of the account's own tokens; false when it has no such live token.
    public func revoke(_ id: UUID, of account: Account) async throws -> Bool {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "UPDATE api_tokens SET revoked_at = now() WHERE id = \(id) AND account_id = \(account.id) AND revoked_at IS NULL RETURNING id",
                logger: logger
            )
            var revoked = false
            for try await _ in rows { revoked = true }
            if revoked {
                try await AuditLog.record(
                    actor: account, action: "api_token.revoked", objectType: "api_token", objectID: id.uuidString.lowercased(),
                    details: [:], on: connection, logger: logger
                )
            }
            return revoked
        }
    }
}
