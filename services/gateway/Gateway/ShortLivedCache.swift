import Foundation
import NIOConcurrencyHelpers

/// Answers read recently, kept for a few seconds.
///
/// At a peak, thousands of people refresh the same petition: they are answered from here,
/// and only one read per key and time-to-live reaches the petitions service.
final class ShortLivedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        let value: Value
        let expires: ContinuousClock.Instant
    }

    private let timeToLive: Duration
    private let capacity: Int
    private let entries = NIOLockedValueBox<[Key: Entry]>([:])

    init(timeToLive: Duration, capacity: Int = 10_000) {
        self.timeToLive = timeToLive
        self.capacity = capacity
    }

    /// The cached value, or the one `load` fetches (then cached).
    func value(for key: Key, load: () async throws -> Value) async throws -> Value {
        let now = ContinuousClock.now
        if let entry = entries.withLockedValue({ $0[key] }), entry.expires > now {
            return entry.value
        }
        let value = try await load()
        guard timeToLive > .zero else { return value }
        entries.withLockedValue { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[key] = Entry(value: value, expires: now + timeToLive)
        }
        return value
    }
}
