import DialogueContracts
import Foundation
import Messaging
import ServiceKit

/// Publishes commands and returns only once the broker has confirmed them.
struct CommandSender: Sendable {
    let publisher: AMQPPublisher
    let topology: MessagingTopology

    /// Returns the message id; throws `APIError.unavailable` when the broker did not take it.
    func send<Command: DialogueCommand>(_ command: Command) async throws -> UUID {
        let id = UUID()
        do {
            try await publisher.publish(try OutgoingMessage(command: command, topology: topology, messageID: id))
        } catch is AMQPError {
            // Whatever the cause, the message is not known to be safe: say so, never 202.
            throw APIError.unavailable
        }
        return id
    }
}
