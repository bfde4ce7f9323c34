import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import Storage
import Testing
import TestSupport

/// Outbox rows keep the trace context their messages will carry.
@Suite struct OutboxTraceTests {
    private func traceparents(on client: PostgresClient) async throws -> [String?] {
        let rows = try await client.query("SELECT traceparent FROM outbox ORDER BY id", logger: TestEnvironment.logger)
        var found: [String?] = []
        for try await traceparent in rows.decode(String?.self) { found.append(traceparent) }
        return found
    }

    @Test func rowsTakeTheCurrentContextOrTheOneGivenPerEvent() async throws {
        // setup
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        let current = TraceContext.make(), first = TraceContext.make(), second = TraceContext.make()
        try await asService(.petitions, in: database) { client in
            // act: one event in the current context, then a batch of three whose first two
            // stem from other messages, then one event outside any context
            try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await TraceContext.$current.withValue(current) {
                    try await Outbox.enqueue(PetitionThresholdReached.sample(), on: connection, logger: TestEnvironment.logger)
                    try await Outbox.enqueue(
                        all: [PetitionThresholdReached.sample(), .sample(), .sample()], traces: [first, second],
                        on: connection, logger: TestEnvironment.logger
                    )
                }
                try await Outbox.enqueue(PetitionThresholdReached.sample(), on: connection, logger: TestEnvironment.logger)
            }
            // check
            let stored = try await traceparents(on: client)
            #expect(stored.count == 5)
            #expect(Array(stored.prefix(4)) == [current.traceparent, first.traceparent, second.traceparent, current.traceparent])
            // Outside any context: a trace of its own, never none.
            let own = try #require(stored.last.flatMap { $0 }.flatMap(TraceContext.init(traceparent:)))
            #expect(![current, first, second].map(\.traceID).contains(own.traceID))
        }
    }
}
