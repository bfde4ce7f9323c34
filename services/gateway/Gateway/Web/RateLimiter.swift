import Foundation
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

/// Fixed-window counters per (rule, client), in memory.
///
/// Each gateway replica counts on its own, so N replicas admit up to N times the limit: the
/// limits stop brute force and scripts, and stay off the database on the hot path of a peak.
public final class RateLimiter: Sendable {
    private struct Key: Hashable {
        let rule: String
        let client: String
    }
    private struct Window {
        var start: ContinuousClock.Instant
        var count: Int
    }
    private struct State {
        var windows: [Key: Window] = [:]
        var checksSincePrune = 0
    }
    private let state = Mutex(State())
    private let clock = ContinuousClock()

    public init() {}

    /// Counts one request; throws `RateLimitExceeded` when the client is over the rule's limit.
    public func check(_ rule: RateLimitRule, client: String) throws(RateLimitExceeded) {
        let now = clock.now
        let key = Key(rule: rule.name, client: client)
        let refusal: Duration? = state.withLock { state in
            state.checksSincePrune += 1
            if state.checksSincePrune >= 10_000 {
                // Forget windows that ended, so a scan by many addresses cannot grow memory forever.
                state.checksSincePrune = 0
                state.windows = state.windows.filter { now - $0.value.start < .seconds(3600) }
            }
            var window = state.windows[key] ?? Window(start: now, count: 0)
            if now - window.start >= rule.window {
                window = Window(start: now, count: 0)
            }
            guard window.count < rule.limit else {
                return rule.window - (now - window.start)
            }
            window.count += 1
            state.windows[key] = window
            return nil
        }
        if let refusal {
            let seconds = refusal.components.seconds + (refusal.components.attoseconds > 0 ? 1 : 0)
            throw RateLimitExceeded(rule: rule.name, retryAfter: max(1, Int(seconds)))
        }
    }
}
