import Foundation
import Metrics
import NIOConcurrencyHelpers

/// Answers read recently, kept for a few seconds.
///
/// At a peak, thousands of people refresh the same petition: they are answered from here,
/// and only one read per key and time-to-live reaches the petitions service. When an entry
/// expires, the requests that arrive while it is read again wait for that one read instead
/// of each starting their own.
///
/// With `serveStaleFor`, an expired entry is still answered for that long while one read in
/// the background refreshes it: a service that stops answering for a while (restarted,
/// frozen, its queue backed up) then costs neither a 503 nor a wait of the RPC deadline to
/// people reading or signing a petition read before. What acts on the value must check it
/// again at its source (the petitions service refuses a signature to a closed petition).
final class ShortLivedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        let value: Value
        let expires: ContinuousClock.Instant
        /// Until then, answered while a refresh is read.
        let usableUntil: ContinuousClock.Instant
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// The reads under way, which later requests for the same key join.
        var loading: [Key: Task<Value, any Error>] = [:]
    }

    private enum Lookup {
        case cached(Value)
        case stale(Value)
        case loading(Task<Value, any Error>)
    }

    private let timeToLive: Duration
    private let serveStaleFor: Duration
    private let capacity: Int
    private let state = NIOLockedValueBox(State())
    private let staleAnswers = Counter(label: "dialogue_gateway_stale_answers_total")

    init(timeToLive: Duration, serveStaleFor: Duration = .zero, capacity: Int = 10_000) {
        self.timeToLive = timeToLive
        self.serveStaleFor = serveStaleFor
        self.capacity = capacity
    }

    /// The cached value, or the one `load` fetches (then cached); a read already under way
    /// for the key is joined. A failed read is not cached: the next request tries again.
    /// An expired entry still within `serveStaleFor` is answered at once, and the read that
    /// refreshes it goes on without the requester.
    func value(for key: Key, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let lookup = state.withLockedValue { current -> Lookup in
            let now = ContinuousClock.now
            let entry = current.entries[key]
            if let entry, entry.expires > now { return .cached(entry.value) }
            let stale = entry.flatMap { $0.usableUntil > now ? $0.value : nil }
            if let task = current.loading[key] { return stale.map(Lookup.stale) ?? .loading(task) }
            // The read runs on its own, so a requester that goes away never cancels it for the others.
            let task = Task { [self] in
                defer { state.withLockedValue { _ = $0.loading.removeValue(forKey: key) } }
                let value = try await load()
                store(value, for: key)
                return value
            }
            current.loading[key] = task
            return stale.map(Lookup.stale) ?? .loading(task)
        }
        switch lookup {
        case .cached(let value): return value
        case .stale(let value):
            staleAnswers.increment()
            return value
        case .loading(let task): return try await task.value
        }
    }

    private func store(_ value: Value, for key: Key) {
        guard timeToLive > .zero else { return }
        let now = ContinuousClock.now
        state.withLockedValue { state in
            if state.entries.count >= capacity {
                state.entries = state.entries.filter { $0.value.usableUntil > now }
                if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            }
            state.entries[key] = Entry(value: value, expires: now + timeToLive, usableUntil: now + timeToLive + serveStaleFor)
        }
    }
}
