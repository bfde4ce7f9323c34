import DialogueContracts
import Foundation
import NIOConcurrencyHelpers

/// Petitions read recently, kept for a few seconds.
///
/// At a peak, thousands of people refresh the same page: they are answered from here, and
/// only one read per petition and time-to-live reaches the petitions service.
final class PetitionCache: Sendable {
    private struct Entry {
        let petition: PetitionView
        let expires: ContinuousClock.Instant
    }

    private let timeToLive: Duration
    private let entries = NIOLockedValueBox<[UUID: Entry]>([:])
    private static var capacity: Int { 10_000 }

    init(timeToLive: Duration) {
        self.timeToLive = timeToLive
    }

    /// The cached petition, or the one `load` fetches (then cached).
    func petition(_ id: UUID, load: () async throws -> PetitionView) async throws -> PetitionView {
        let now = ContinuousClock.now
        if let entry = entries.withLockedValue({ $0[id] }), entry.expires > now {
            return entry.petition
        }
        let petition = try await load()
        guard timeToLive > .zero else { return petition }
        entries.withLockedValue { entries in
            if entries.count >= Self.capacity {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[id] = Entry(petition: petition, expires: now + timeToLive)
        }
        return petition
    }
}
