import Foundation
public import Logging
import Messaging
public import PostgresNIO
import ServiceKit
import Storage

/// Rebuilds the reporter's text tables from exported events (`dialoguectl synthesis rebuild`):
/// in one transaction, empties them and runs each event through the very handlers that keep
/// them from the broker. The same events give the same tables however often it runs; an
/// unreadable line or event stops it with its line number, leaving the tables as they were.
///
/// An export holds one event per line, as JSON: `{"type": "contribution.published",
/// "schemaVersion": 1, "body": {…}}` (`schemaVersion` optional), in the order they were
/// published. A service's outbox gives it for the events it still keeps (see the README).
/// Events of a type the reporter does not handle are counted and skipped.
public enum SynthesisRebuild {
    /// The tables rebuilt: those the text handlers keep (not other read models of the schema).
    static let tables = ["text_documents", "text_moderation", "text_scopes", "scope_titles"]

    public struct Summary: Sendable, Equatable {
        public var applied: Int
        public var skippedTypes: [String: Int]
    }

    public struct Failure: Error, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    private struct ExportedEvent: Decodable {
        let type: String
        let schemaVersion: Int?
    }

    /// Reads `lines` (blank ones ignored) and rebuilds the tables on `client` (the synthesis schema).
    public static func rebuild(lines: [String], client: PostgresClient, logger: Logger) async throws -> Summary {
        var events = EventRoutes<Logger>()
        TextEvents.register(on: &events) { $0 }
        let router = events.router(with: logger, client: client, logger: logger)
        var messages: [(line: Int, message: IncomingMessage)] = []
        for (index, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            messages.append((index + 1, try message(from: line, number: index + 1)))
        }
        return try await client.transaction(logger: logger) { connection in
            for table in tables {
                try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM \(table)"), logger: logger)
            }
            var summary = Summary(applied: 0, skippedTypes: [:])
            for (line, message) in messages {
                do {
                    if try await router.replay(message, on: connection) {
                        summary.applied += 1
                    } else {
                        summary.skippedTypes[message.type ?? "", default: 0] += 1
                    }
                } catch let error as EnvelopeError {
                    throw Failure(line: line, reason: error.description)
                } catch let error as DecodingError {
                    throw Failure(line: line, reason: "unreadable \(message.type ?? "") body: \(error)")
                }
            }
            return summary
        }
    }

    /// The event of one exported line, as the broker would have delivered it.
    static func message(from line: String, number: Int) throws -> IncomingMessage {
        let bytes = Array(line.utf8)
        let envelope: ExportedEvent
        let body: [UInt8]
        do {
            envelope = try JSONDecoder().decode(ExportedEvent.self, from: Data(bytes))
            guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any], let inner = object["body"],
                JSONSerialization.isValidJSONObject(inner)
            else { throw Failure(line: number, reason: "no \"body\" object") }
            body = Array(try JSONSerialization.data(withJSONObject: inner))
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(line: number, reason: "not an exported event (a JSON object with \"type\" and \"body\"): \(error.localizedDescription)")
        }
        return IncomingMessage(
            body: body, messageID: "replay-\(number)", type: envelope.type,
            headers: [EnvelopeHeader.schemaVersion: .int(Int64(envelope.schemaVersion ?? 1))]
        )
    }
}
