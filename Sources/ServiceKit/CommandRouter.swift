public import DialogueContracts
public import Messaging

/// Routes the commands of a service's command queue by type to the handlers that take them.
///
/// One handler may take several types, so that it can record them in one transaction per
/// batch (signatures and their confirmations). A command of a type nobody here takes is
/// dead-lettered with the reason, never handed to a handler that would guess at it.
public struct CommandRouter: MessageBatchHandler {
    private var handlers: [any MessageBatchHandler] = []
    /// The index in `handlers` of the handler that takes each command type.
    private var handlerOfType: [String: Int] = [:]

    public init() {}

    /// The command types routed, in no particular order.
    public var messageTypes: Set<String> { Set(handlerOfType.keys) }

    /// Hands the commands of `types` to `handler`, a batch at a time.
    public mutating func on(_ types: [any DialogueCommand.Type], handledBy handler: some MessageBatchHandler) {
        handlers.append(handler)
        for type in types { handlerOfType[type.messageType] = handlers.count - 1 }
    }

    public func handle(_ batch: [IncomingMessage], context: ConsumerContext) async -> [DeliveryOutcome] {
        var outcomes = [DeliveryOutcome](repeating: .ack, count: batch.count)
        // Each handler's share of the batch, in queue order, with where each message came from.
        var shares: [Int: [(index: Int, message: IncomingMessage)]] = [:]
        for (index, message) in batch.enumerated() {
            guard let handler = message.type.flatMap({ handlerOfType[$0] }) else {
                outcomes[index] = .deadLetter(reason: "no handler for command type \(message.type ?? "none")")
                continue
            }
            shares[handler, default: []].append((index, message))
        }
        for (handler, share) in shares.sorted(by: { $0.key < $1.key }) {
            let handled = await handlers[handler].handle(share.map(\.message), context: context)
            for (position, member) in share.enumerated() {
                // A handler owes one outcome per message; one it forgot is tried again, not lost.
                outcomes[member.index] = position < handled.count ? handled[position] : .retry(reason: "no outcome from the command handler")
            }
        }
        return outcomes
    }
}
