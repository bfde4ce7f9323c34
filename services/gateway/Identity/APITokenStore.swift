public import Foundation
public import Logging
public import PostgresNIO
import Storage

/// What a bearer token may do.
public enum APITokenScope: String, Sendable, CaseIterable {
    /// Issued in the back-office (`/admin/jetons`): acts with its staff account's roles.
    case staff
    /// A personal token (`/compte/jetons`): acts as a citizen only (contribute, support,
    /// answer, vote), whatever the account's roles, so it never reaches a staff operation.
    case citizen
}

/// A bearer token as its owner sees it in their lists (never the secret itself).
public struct APITokenSummary: Sendable {
    public var id: UUID
    public var label: String
    public var createdAt: Date
    public var expiresAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?
}

/// Why a personal token was not issued.
public enum PersonalTokenRefusal: Error, Equatable, Sendable {
    /// Only a confirmed address may act through the API, as on the site.
    case unconfirmedAddress
    /// The account already holds this many live personal tokens.
    case tooManyLiveTokens(limit: Int)
    /// A lifetime outside `APITokenStore.personalLifetimeDays`.
    case lifetimeOutOfBounds
}

/// Bearer tokens for API clients: staff tokens and citizens' personal tokens; stored hashed
/// (SHA-256 of a 256-bit secret), shown once.
public struct APITokenStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Tokens start with this prefix, so a leaked one is recognisable by secret scanners.
    public static let prefix = "dlg_"
    /// A personal token lives between one day and a year: long enough for a small tool, short
    /// enough that a forgotten one dies.
    public static let personalLifetimeDays = 1...365
    /// At most this many live personal tokens per account: enough for a few tools, and a
    /// bound on what a stolen session could mint.
    public static let personalLiveLimit = 10

    /// Issues a staff token; the returned secret is shown once and never again.
    public func issue(to account: Account, label: String, lifetimeDays: Int) async throws -> String {
        try await client.transaction(logger: logger) { connection in
            try await insert(for: account, scope: .staff, label: label, lifetimeDays: lifetimeDays, on: connection)
        }
    }

    /// Issues a personal (citizen) token to an account with a confirmed address, within the
    /// live-token limit; the returned secret is shown once and never again.
    public func issuePersonal(to account: Account, label: String, lifetimeDays: Int) async throws -> String {
        guard Self.personalLifetimeDays.contains(lifetimeDays) else { throw PersonalTokenRefusal.lifetimeOutOfBounds }
        return try await client.transaction(logger: logger) { connection in
            // The account's row is locked, so two requests at once cannot both pass the limit.
            let rows = try await connection.query(
                """
                SELECT email_confirmed_at IS NOT NULL,
                    (SELECT count(*) FROM api_tokens WHERE account_id = accounts.id AND scope = 'citizen'
                        AND revoked_at IS NULL AND expires_at > now())
                FROM accounts WHERE id = \(account.id) AND erased_at IS NULL AND disabled_at IS NULL FOR UPDATE
                """,
                logger: logger
            )
            var state: (confirmed: Bool, live: Int64)?
            for try await row in rows.decode((Bool, Int64).self) { state = (row.0, row.1) }
            guard let state else { throw AccountError.notFound }
            guard state.confirmed else { throw PersonalTokenRefusal.unconfirmedAddress }
            guard state.live < Self.personalLiveLimit else { throw PersonalTokenRefusal.tooManyLiveTokens(limit: Self.personalLiveLimit) }
            return try await insert(for: account, scope: .citizen, label: label, lifetimeDays: lifetimeDays, on: connection)
        }
    }

    private func insert(for account: Account, scope: APITokenScope, label: String, lifetimeDays: Int, on connection: PostgresConnection) async throws -> String {
        let token = SecretToken.generate(prefix: Self.prefix)
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO api_tokens (id, account_id, label, token_hash, expires_at, scope)
            VALUES (\(id), \(account.id), \(label), \(SecretToken.hash(token)), now() + \(lifetimeDays) * interval '1 day', \(scope.rawValue))
            """,
            logger: logger
        )
        // Staff actions go to the audit log; a citizen's own tokens are theirs alone.
        if scope == .staff {
            try await AuditLog.record(
                actor: account, action: "api_token.issued", objectType: "api_token", objectID: id.uuidString.lowercased(),
                details: ["label": label, "days": String(lifetimeDays)], on: connection, logger: logger
            )
        }
        return token
    }

    /// The account a live token acts for: a staff token's staff account with its roles; a
    /// personal token's account with no role at all (so staff operations answer 403). Each
    /// operation still checks a confirmed address itself, as for a session.
    public func account(for token: String) async throws -> Account? {
        guard token.hasPrefix(Self.prefix) else { return nil }
        let rows = try await client.query(
            """
            WITH used AS (
                UPDATE api_tokens SET last_used_at = now()
                WHERE token_hash = \(SecretToken.hash(token)) AND revoked_at IS NULL AND expires_at > now()
                RETURNING account_id, scope
            )
            SELECT \(unescaped: AccountStore.columns), used.scope FROM accounts JOIN used ON used.account_id = accounts.id
            WHERE erased_at IS NULL AND disabled_at IS NULL
                AND (used.scope <> 'staff' OR cardinality(roles) > 0)
            """,
            logger: logger
        )
        for try await row in rows.decode((UUID, String?, String?, String?, String?, String?, String?, String?, Date?, [String], Date?, Date?, Date, String).self) {
            var account = AccountStore.account((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11, row.12))
            if APITokenScope(rawValue: row.13) != .staff { account.roles = [] }
            return account
        }
        return nil
    }

    /// The account's tokens of one scope, newest first, revoked and expired ones included.
    public func tokens(of accountID: UUID, scope: APITokenScope = .staff) async throws -> [APITokenSummary] {
        let rows = try await client.query(
            """
            SELECT id, label, created_at, expires_at, last_used_at, revoked_at FROM api_tokens
            WHERE account_id = \(accountID) AND scope = \(scope.rawValue) ORDER BY created_at DESC
            """,
            logger: logger
        )
        var tokens: [APITokenSummary] = []
        for try await row in rows.decode((UUID, String, Date, Date, Date?, Date?).self) {
            tokens.append(APITokenSummary(id: row.0, label: row.1, createdAt: row.2, expiresAt: row.3, lastUsedAt: row.4, revokedAt: row.5))
        }
        return tokens
    }

    /// Revokes one of the account's own tokens of this scope; false when it has no such live token.
    public func revoke(_ id: UUID, of account: Account, scope: APITokenScope = .staff) async throws -> Bool {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE api_tokens SET revoked_at = now()
                WHERE id = \(id) AND account_id = \(account.id) AND scope = \(scope.rawValue) AND revoked_at IS NULL
                RETURNING id
                """,
                logger: logger
            )
            var revoked = false
            for try await _ in rows { revoked = true }
            if revoked, scope == .staff {
                try await AuditLog.record(
                    actor: account, action: "api_token.revoked", objectType: "api_token", objectID: id.uuidString.lowercased(),
                    details: [:], on: connection, logger: logger
                )
            }
            return revoked
        }
    }

    /// Revokes every live token of an account (both scopes), in the caller's transaction: what
    /// ends its sessions (a new password, a disabled account) ends its tokens too.
    static func revokeAll(of accountID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "UPDATE api_tokens SET revoked_at = now() WHERE account_id = \(accountID) AND revoked_at IS NULL", logger: logger
        )
    }
}
