import DialogueContracts
import Foundation
import Logging
import Messaging
import ServiceKit
import Synchronization
import Testing

/// Logs and commands carry the current trace context.
@Suite struct TraceLoggingTests {
    /// A JSON log handler that collects its lines.
    private final class Lines: Sendable {
        private let texts = Mutex<[String]>([])

        func logger() -> Logger {
            Logger(label: "test") { label in
                JSONLogHandler(label: label, level: .info) { data in
                    let text = String(decoding: data, as: UTF8.self)
                    self.texts.withLock { $0.append(text) }
                }
            }
        }

        /// The lines logged so far, parsed.
        func objects() -> [[String: Any]] {
            texts.withLock { $0 }.map { text in
                (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            }
        }
    }

    @Test func everyLineWithinATraceCarriesItsIds() throws {
        // setup
        let lines = Lines()
        let logger = lines.logger()
        let trace = try #require(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        // act
        TraceContext.$current.withValue(trace) { logger.info("signature reçue", metadata: ["petition": "p1"]) }
        logger.info("hors de toute trace")
        // check
        let logged = lines.objects()
        #expect(logged.count == 2)
        #expect(logged.first?["trace_id"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(logged.first?["span_id"] as? String == "00f067aa0ba902b7")
        #expect(logged.first?["petition"] as? String == "p1")
        #expect(logged.last?["trace_id"] == nil)
    }

    @Test func commandCarriesTheCurrentTraceContext() throws {
        let trace = TraceContext.make()
        let command = SignPetition(petitionID: UUID(), name: "Camille", email: "c@example.fr", postcode: "80000", signedAt: Date())
        let message = try TraceContext.$current.withValue(trace) {
            try OutgoingMessage(command: command, topology: MessagingTopology(prefix: "x."))
        }
        #expect(message.headers["traceparent"] == .string(trace.traceparent))
    }
}
