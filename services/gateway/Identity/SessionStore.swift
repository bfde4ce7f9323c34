public import Foundation
public import Logging
public import PostgresNIO

/// Server-side sessions in PostgreSQL: the cookie holds a random token, the table its hash.
public struct SessionStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// A session unused this long ends.
    let idleTimeout: Duration
    /// A session ends this long after sign-in, however active.
    let maximumAge: Duration

    public init(client: PostgresClient, logger: Logger, idleTimeout: Duration, maximumAge: Duration) {
        self.client = client
        self.logger = logger
        self.idleTimeout = idleTimeout
        self.maximumAge = maximumAge
    }

    /// Opens a new session (a new token at every sign-in: a token known before it is worth nothing).
    public func open(for accountID: UUID) async throws -> String {
        let token = SecretToken.generate()
        try await client.query(
            """
            INSERT INTO sessions (token_hash, account_id, expires_at, absolute_expires_at)
            VALUES (\(SecretToken.hash(token)), \(accountID), now() + \(Self.seconds(idleTimeout)) * interval '1 second',
                    now() + \(Self.seconds(maximumAge)) * interval '1 second')
            """,
            logger: logger
        )
        return token
    }

    /// The account of a live session, extending its idle expiry (written at most once a minute,
    /// so a page full of requests does not rewrite the row each time).
    public func account(for token: String) async throws -> Account? {
        let rows = try await client.query(
            """
            WITH live AS (
                SELECT token_hash FROM sessions
                WHERE token_hash = \(SecretToken.hash(token)) AND expires_at > now() AND absolute_expires_at > now()
            ), touched AS (
                UPDATE sessions SET last_seen_at = now(),
                    expires_at = least(absolute_expires_at, now() + \(Self.seconds(idleTimeout)) * interval '1 second')
                WHERE token_hash IN (SELECT token_hash FROM live) AND last_seen_at < now() - interval '1 minute'
            )
            SELECT \(unescaped: AccountStore.columns) FROM accounts
            WHERE id = (SELECT account_id FROM sessions WHERE token_hash IN (SELECT token_hash FROM live))
              AND erased_at IS NULL AND disabled_at IS NULL
            """,
            logger: logger
        )
        return try await AccountStore.first(rows)
    }

    public func close(_ token: String) async throws {
        try await client.query("DELETE FROM sessions WHERE token_hash = \(SecretToken.hash(token))", logger: logger)
    }

    /// Removes expired sessions (run by the retention schedule).
    public func deleteExpired() async throws {
        try await client.query("DELETE FROM sessions WHERE expires_at < now() OR absolute_expires_at < now()", logger: logger)
    }

    private static func seconds(_ duration: Duration) -> Int { Int(duration.components.seconds) }
}
