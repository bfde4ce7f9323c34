import DialogueContracts
import Foundation
public import Logging
public import PostgresNIO

/// Slows down repeated wrong passwords without ever locking anyone out.
///
/// Failures are counted over a window per typed address (normalised, whether or not an
/// account has it) and per client address. Past a few free failures, each new attempt waits
/// before its password is checked, twice as long per further failure but never more than
/// `Policy.maximumDelay`: a guesser is slowed, while the owner — from any client, even while
/// someone hammers their account — gets in with the right password after a few seconds at
/// most. Known and unknown addresses are counted, delayed and answered alike, so neither the
/// answer nor its timing tells who has an account.
public struct SignInThrottle: Sendable {
    /// How failures slow down the next attempts.
    public struct Policy: Sendable, Equatable {
        /// Failures within `window` that cost nothing.
        public var freeFailures: Int
        /// The wait after the first failure past the free ones; it doubles with each further one.
        public var firstDelay: Duration
        /// The longest wait, whatever the number of failures.
        public var maximumDelay: Duration
        /// How long a failure counts.
        public var window: Duration

        public init(freeFailures: Int = 3, firstDelay: Duration = .milliseconds(250), maximumDelay: Duration = .seconds(3), window: Duration = .seconds(900)) {
            self.freeFailures = freeFailures
            self.firstDelay = firstDelay
            self.maximumDelay = maximumDelay
            self.window = window
        }

        /// The wait before an attempt, after `failures` recent failures of its subject.
        public func delay(afterFailures failures: Int) -> Duration {
            let excess = failures - freeFailures
            guard excess > 0 else { return .zero }
            // 2^(excess-1) grows past any cap quickly; stop doubling long before it overflows.
            let factor = 1 << min(excess - 1, 20)
            return min(firstDelay * factor, maximumDelay)
        }
    }

    let client: PostgresClient
    let policy: Policy
    let logger: Logger

    public init(client: PostgresClient, policy: Policy, logger: Logger) {
        self.client = client
        self.policy = policy
        self.logger = logger
    }

    /// The subjects an attempt is counted under: the typed address, and the client when known.
    static func subjects(email: String, client: String?) -> [ByteBuffer] {
        [SecretToken.hash("account:" + EmailAddress.normalized(email))] + (client.map { [SecretToken.hash("client:" + $0)] } ?? [])
    }

    /// How long this attempt waits before its password is checked.
    public func delay(email: String, client clientAddress: String?) async throws -> Duration {
        let rows = try await client.query(
            """
            SELECT count(*)::int8 FROM sign_in_failures
            WHERE subject_hash = ANY(\(Self.subjects(email: email, client: clientAddress)))
              AND failed_at > now() - make_interval(secs => \(Double(policy.window.components.seconds)))
            GROUP BY subject_hash
            """,
            logger: logger
        )
        var most = 0
        for try await count in rows.decode(Int.self) { most = max(most, count) }
        return policy.delay(afterFailures: most)
    }

    /// Waits as long as `delay` says, then returns.
    public func wait(email: String, client clientAddress: String?) async throws {
        let delay = try await delay(email: email, client: clientAddress)
        if delay > .zero { try await Task.sleep(for: delay) }
    }

    /// Counts a wrong password (or an unknown address) against both subjects.
    public func recordFailure(email: String, client clientAddress: String?) async throws {
        let subjects = Self.subjects(email: email, client: clientAddress)
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                "INSERT INTO sign_in_failures (subject_hash) SELECT unnest(\(subjects)::bytea[])", logger: logger
            )
            // Failures past the window count for nothing: the table stays small.
            try await connection.query(
                """
                DELETE FROM sign_in_failures
                WHERE failed_at < now() - make_interval(secs => \(Double(policy.window.components.seconds)))
                """,
                logger: logger
            )
        }
    }

    /// A right password: the typed address's failures are forgotten, and the client's.
    public func recordSuccess(email: String, client clientAddress: String?) async throws {
        try await client.query(
            "DELETE FROM sign_in_failures WHERE subject_hash = ANY(\(Self.subjects(email: email, client: clientAddress)))", logger: logger
        )
    }
}
