import Foundation
public import Logging
public import PostgresNIO
import Synchronization

/// How many requests of one kind a client may make in a window.
public struct RateLimitRule: Sendable, Equatable {
    public var name: String
    public var limit: Int
    public var window: Duration

    public init(name: String, limit: Int, window: Duration) {
        self.name = name
        self.limit = limit
        self.window = window
    }
}

/// A request refused because its client went over a rate limit.
public struct RateLimitExceeded: Error, Sendable {
    public var rule: String
    /// Whole seconds until the window ends.
    public var retryAfter: Int
}

/// Fixed-window counters per (rule, client), kept in `identity.rate_limit_windows` so that
/// every gateway replica counts together.
///
/// A client's window starts with its first request and lives exactly as long as the rule's
/// period; only windows that have ended are ever deleted, so a 24-hour limit holds 24 hours.
/// A refused request writes nothing: it neither counts nor moves the window.
///
/// Two ways to count, one per kind of path:
/// - `check` (sign-in, registration, reset, deposit) is exact: one upsert per request, which
///   counts only when under the limit. These requests read or write accounts anyway, so one
///   more short statement costs little, and their limits guard against brute force.
/// - `admits` (signatures, the hot path of a campaign peak) is batched and approximate: each
///   replica decides from the shared count it last read plus what it admitted since, and
///   writes its admitted requests in one statement at most once per `syncInterval` (the
///   request that finds the interval passed carries the round trip). A replica may therefore
///   admit a few requests over the limit before it learns what the others counted (at most
///   what it admits in one interval). That is sound there because going over those limits
///   refuses nothing: the signature is held for staff review instead of counted.
public final class RateLimiter: Sendable {
    private struct Key: Hashable, Comparable {
        let rule: String
        let client: String

        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.rule, lhs.client) < (rhs.rule, rhs.client) }
    }

    /// A key of the batched path as this replica knows it.
    private struct Tally {
        var window: Duration
        /// The database's count as of this replica's last synchronisation (its own writes included).
        var shared: Int
        /// Admitted here and not written yet.
        var unsynced: Int
        var ends: ContinuousClock.Instant
    }

    private struct State {
        var tallies: [Key: Tally] = [:]
        var lastSync: ContinuousClock.Instant
        var syncing = false
        var lastCleanup: ContinuousClock.Instant
    }

    private let database: PostgresClient
    private let logger: Logger
    private let syncInterval: Duration
    private let cleanupInterval: Duration
    private let clock = ContinuousClock()
    private let state: Mutex<State>

    /// - Parameters:
    ///   - syncInterval: how often the batched path writes and reads the shared counts.
    ///   - cleanupInterval: how often this replica deletes the windows that have ended.
    public init(database: PostgresClient, logger: Logger, syncInterval: Duration = .seconds(1), cleanupInterval: Duration = .seconds(60)) {
        self.database = database
        self.logger = logger
        self.syncInterval = syncInterval
        self.cleanupInterval = cleanupInterval
        let now = clock.now
        state = Mutex(State(lastSync: now, lastCleanup: now))
    }

    // MARK: Exact

    /// Counts one request; throws `RateLimitExceeded` when the client is over the rule's limit.
    public func check(_ rule: RateLimitRule, client: String) async throws {
        let rows = try await database.query(
            """
            WITH attempt AS (
                INSERT INTO rate_limit_windows AS w (rule, client, window_start, window_end, count)
                VALUES (\(rule.name), \(client), now(), now() + make_interval(secs => \(Self.seconds(rule.window))), 1)
                ON CONFLICT (rule, client) DO UPDATE SET
                    window_start = CASE WHEN w.window_end <= now() THEN excluded.window_start ELSE w.window_start END,
                    window_end = CASE WHEN w.window_end <= now() THEN excluded.window_end ELSE w.window_end END,
                    count = CASE WHEN w.window_end <= now() THEN 1 ELSE w.count + 1 END
                WHERE w.window_end <= now() OR w.count < \(rule.limit)
                RETURNING 1
            )
            SELECT EXISTS (SELECT 1 FROM attempt),
                   (SELECT extract(epoch FROM window_end - now())::float8 FROM rate_limit_windows
                    WHERE rule = \(rule.name) AND client = \(client))
            """,
            logger: logger
        )
        var admitted = true
        var secondsLeft: Double?
        for try await (counted, left) in rows.decode((Bool, Double?).self) { (admitted, secondsLeft) = (counted, left) }
        guard admitted else {
            throw RateLimitExceeded(rule: rule.name, retryAfter: Self.retryAfter(secondsLeft ?? Self.seconds(rule.window)))
        }
        await cleanUpIfDue()
    }

    // MARK: Batched

    /// Counts one request if the client is within the rule's limit, as far as this replica
    /// knows; returns false (counting nothing) when it is over.
    public func admits(_ rule: RateLimitRule, client: String) async -> Bool {
        let now = clock.now
        let key = Key(rule: rule.name, client: client)
        let (admitted, syncDue) = state.withLock { state in
            var tally = state.tallies[key] ?? Tally(window: rule.window, shared: 0, unsynced: 0, ends: now + rule.window)
            if now >= tally.ends {
                // What was admitted in the ended window no longer matters to anyone.
                tally = Tally(window: rule.window, shared: 0, unsynced: 0, ends: now + rule.window)
            }
            let admitted = tally.shared + tally.unsynced < rule.limit
            if admitted { tally.unsynced += 1 }
            state.tallies[key] = tally
            let due = !state.syncing && now - state.lastSync >= syncInterval
            if due { state.syncing = true }
            return (admitted, due)
        }
        if syncDue {
            do {
                try await synchronize(claimed: true)
            } catch {
                // The counts stay here and go with the next synchronisation: signing never
                // waits on the database.
                logger.warning("rate-limit counts not synchronised", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
        if admitted { await cleanUpIfDue() }
        return admitted
    }

    /// Writes what this replica admitted on the batched path and reads back the shared
    /// counts of those keys (called by itself every `syncInterval`; tests call it directly).
    public func synchronize() async throws {
        try await synchronize(claimed: false)
    }

    private func synchronize(claimed: Bool) async throws {
        if !claimed {
            let claimedNow = state.withLock { state in
                guard !state.syncing else { return false }
                state.syncing = true
                return true
            }
            guard claimedNow else { return }
        }
        defer {
            let now = clock.now
            state.withLock { state in
                state.syncing = false
                state.lastSync = now
                // Forget keys whose window ended, once nothing of theirs is left to write.
                state.tallies = state.tallies.filter { now < $0.value.ends || $0.value.unsynced > 0 }
            }
        }
        // In key order, so that two replicas writing the same keys never deadlock.
        let batch = state.withLock { state in
            state.tallies.filter { $0.value.unsynced > 0 }.map { (key: $0.key, delta: $0.value.unsynced, window: $0.value.window) }
        }.sorted { $0.key < $1.key }
        guard !batch.isEmpty else { return }
        let rows = try await database.query(
            """
            INSERT INTO rate_limit_windows AS w (rule, client, window_start, window_end, count)
            SELECT rule, client, now(), now() + make_interval(secs => seconds), delta
            FROM unnest(\(batch.map { $0.key.rule })::text[], \(batch.map { $0.key.client })::text[],
                        \(batch.map { Self.seconds($0.window) })::float8[], \(batch.map { $0.delta })::int4[]) AS d(rule, client, seconds, delta)
            ON CONFLICT (rule, client) DO UPDATE SET
                window_start = CASE WHEN w.window_end <= now() THEN excluded.window_start ELSE w.window_start END,
                window_end = CASE WHEN w.window_end <= now() THEN excluded.window_end ELSE w.window_end END,
                count = CASE WHEN w.window_end <= now() THEN excluded.count ELSE w.count + excluded.count END
            RETURNING rule, client, count::int8, extract(epoch FROM window_end - now())::float8
            """,
            logger: logger
        )
        var shared: [Key: (count: Int, secondsLeft: Double)] = [:]
        for try await (rule, client, count, left) in rows.decode((String, String, Int, Double).self) {
            shared[Key(rule: rule, client: client)] = (count, left)
        }
        let now = clock.now
        state.withLock { state in
            for entry in batch {
                guard var tally = state.tallies[entry.key] else { continue }
                tally.unsynced = max(0, tally.unsynced - entry.delta)
                if let known = shared[entry.key] {
                    tally.shared = known.count
                    tally.ends = now + .milliseconds(Int64(known.secondsLeft * 1000))
                }
                state.tallies[entry.key] = tally
            }
        }
    }

    // MARK: Clean-up

    /// Deletes windows that have ended (a bounded number per call); returns how many.
    @discardableResult
    public func removeEndedWindows() async throws -> Int {
        let rows = try await database.query(
            """
            DELETE FROM rate_limit_windows
            WHERE (rule, client) IN (SELECT rule, client FROM rate_limit_windows WHERE window_end <= now() LIMIT 10000)
              AND window_end <= now()
            RETURNING 1
            """,
            logger: logger
        )
        var removed = 0
        for try await _ in rows { removed += 1 }
        return removed
    }

    /// Counted requests only drive the clean-up (at most once per interval), and it removes
    /// nothing but ended windows: a stream of refused requests can neither trigger it nor
    /// reset a window through it.
    private func cleanUpIfDue() async {
        let now = clock.now
        let due = state.withLock { state in
            guard now - state.lastCleanup >= cleanupInterval else { return false }
            state.lastCleanup = now
            return true
        }
        guard due else { return }
        do {
            try await removeEndedWindows()
        } catch {
            logger.warning("ended rate-limit windows not removed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func retryAfter(_ seconds: Double) -> Int {
        max(1, Int(seconds.rounded(.up)))
    }
}
