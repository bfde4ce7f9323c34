import Foundation
@testable import Gateway
import Synchronization
import Testing

/// The gateway's short-lived cache: one read per key and lifetime, even when many requests
/// miss at once.
@Suite struct ShortLivedCacheTests {
    final class Reads: Sendable {
        let count = Atomic<Int>(0)
        func read(_ value: Int, after delay: Duration = .milliseconds(200)) async throws -> Int {
            count.add(1, ordering: .relaxed)
            try await Task.sleep(for: delay)
            return value
        }
    }

    @Test func requestsThatMissTogetherShareOneRead() async throws {
        let cache = ShortLivedCache<String, Int>(timeToLive: .milliseconds(300))
        let reads = Reads()
        let values = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<50 { group.addTask { try await cache.value(for: "petition") { try await reads.read(7) } } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values == Array(repeating: 7, count: 50))
        #expect(reads.count.load(ordering: .relaxed) == 1)
        // Within the lifetime: still no read; after it: one more.
        #expect(try await cache.value(for: "petition") { try await reads.read(8) } == 7)
        #expect(reads.count.load(ordering: .relaxed) == 1)
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await cache.value(for: "petition") { try await reads.read(9) } == 9)
        #expect(reads.count.load(ordering: .relaxed) == 2)
        // Another key has its own read.
        #expect(try await cache.value(for: "autre") { try await reads.read(1, after: .zero) } == 1)
        #expect(reads.count.load(ordering: .relaxed) == 3)
    }

    @Test func aFailedReadIsNotKept() async throws {
        struct Away: Error {}
        let cache = ShortLivedCache<String, Int>(timeToLive: .seconds(60))
        await #expect(throws: Away.self) { try await cache.value(for: "petition") { throw Away() } }
        #expect(try await cache.value(for: "petition") { 5 } == 5)
        #expect(try await cache.value(for: "petition") { 6 } == 5)
    }

    @Test func withoutALifetimeEveryRequestAfterARepliedOneReadsAgain() async throws {
        let cache = ShortLivedCache<String, Int>(timeToLive: .zero)
        #expect(try await cache.value(for: "petition") { 1 } == 1)
        #expect(try await cache.value(for: "petition") { 2 } == 2)
    }

    @Test func anExpiredEntryIsAnsweredAtOnceWhileOneReadRefreshesIt() async throws {
        let cache = ShortLivedCache<String, Int>(timeToLive: .milliseconds(100), serveStaleFor: .seconds(60))
        let reads = Reads()
        #expect(try await cache.value(for: "petition") { try await reads.read(1, after: .zero) } == 1)
        try await Task.sleep(for: .milliseconds(150))
        // Expired: the old value comes back without waiting for the slow read, which is shared.
        let start = ContinuousClock.now
        #expect(try await cache.value(for: "petition") { try await reads.read(2, after: .milliseconds(500)) } == 1)
        #expect(try await cache.value(for: "petition") { try await reads.read(3, after: .milliseconds(500)) } == 1)
        #expect(ContinuousClock.now - start < .milliseconds(400))
        // Once that one read is back, its value is the answer.
        try await Task.sleep(for: .milliseconds(700))
        #expect(try await cache.value(for: "petition") { try await reads.read(4) } == 2)
        #expect(reads.count.load(ordering: .relaxed) == 2)
    }

    @Test func whileTheSourceFailsTheLastValueIsAnsweredUntilTheStaleLimit() async throws {
        struct Away: Error {}
        let cache = ShortLivedCache<String, Int>(timeToLive: .milliseconds(100), serveStaleFor: .milliseconds(400))
        #expect(try await cache.value(for: "petition") { 1 } == 1)
        try await Task.sleep(for: .milliseconds(150))
        #expect(try await cache.value(for: "petition") { throw Away() } == 1)
        try await Task.sleep(for: .milliseconds(50))
        #expect(try await cache.value(for: "petition") { throw Away() } == 1)
        // Past the limit, the failure reaches the requester.
        try await Task.sleep(for: .milliseconds(450))
        await #expect(throws: Away.self) { try await cache.value(for: "petition") { throw Away() } }
    }
}
