/// The exchange and queue names of ARCHITECTURE.md, and the declarations that make them.
///
/// Production uses no prefix; tests give each test a prefix of its own so that tests never
/// share exchanges or queues.
public struct MessagingTopology: Sendable, Hashable {
    public var prefix: String
    /// Deliveries before a failing message is dead-lettered (quorum `x-delivery-limit`).
    public var deliveryLimit: Int

    public init(prefix: String = "", deliveryLimit: Int = 10) {
        self.prefix = prefix
        self.deliveryLimit = deliveryLimit
    }

    public var eventsExchange: String { "\(prefix)dialogue.events" }
    public var commandsExchange: String { "\(prefix)dialogue.commands" }
    public var rpcExchange: String { "\(prefix)dialogue.rpc" }
    public var deadLetterExchange: String { "\(prefix)dialogue.dlx" }

    public func eventsQueue(_ service: String) -> String { "\(prefix)\(service).events" }
    public func commandsQueue(_ service: String) -> String { "\(prefix)\(service).commands" }
    public func rpcQueue(_ service: String) -> String { "\(prefix)\(service).rpc" }
    public func deadLetterQueue(of queue: String) -> String { "\(queue).dead" }

    /// The four exchanges every part relies on.
    public var exchanges: [TopologyElement] {
        [
            .exchange(name: eventsExchange, type: "topic"),
            .exchange(name: commandsExchange, type: "direct"),
            .exchange(name: rpcExchange, type: "direct"),
            .exchange(name: deadLetterExchange, type: "direct"),
        ]
    }

    /// A durable quorum queue with its dead-letter queue, bound as given.
    ///
    /// Dead letters are routed by the queue's own name, so that an event read by several
    /// services lands in the dead-letter queue of the one that failed it.
    public func workQueue(_ name: String, bindings: [(exchange: String, routingKey: String)]) -> [TopologyElement] {
        let dead = deadLetterQueue(of: name)
        return [
            .queue(name: dead, arguments: ["x-queue-type": .string("quorum")]),
            .binding(queue: dead, exchange: deadLetterExchange, routingKey: name),
            .queue(name: name, arguments: [
                "x-queue-type": .string("quorum"),
                "x-dead-letter-exchange": .string(deadLetterExchange),
                "x-dead-letter-routing-key": .string(name),
                // One more than the consumer's own limit: the consumer dead-letters with a
                // reason first; the broker's limit catches a consumer that crashes instead.
                "x-delivery-limit": .int(Int64(deliveryLimit + 1)),
            ]),
        ] + bindings.map { .binding(queue: name, exchange: $0.exchange, routingKey: $0.routingKey) }
    }

    /// Everything one service consumes: its events queue (bound to the patterns it needs),
    /// its command queue and its RPC queue, each only when it has them.
    public func declarations(for endpoints: ServiceEndpoints) -> [TopologyElement] {
        var elements = exchanges
        if !endpoints.eventPatterns.isEmpty {
            elements += workQueue(
                eventsQueue(endpoints.name),
                bindings: endpoints.eventPatterns.map { (eventsExchange, $0) }
            )
        }
        if endpoints.takesCommands {
            elements += workQueue(commandsQueue(endpoints.name), bindings: [(commandsExchange, endpoints.name)])
        }
        if endpoints.answersRPC {
            elements += workQueue(rpcQueue(endpoints.name), bindings: [(rpcExchange, endpoints.name)])
        }
        return elements
    }
}

/// Which queues a service consumes.
public struct ServiceEndpoints: Sendable, Hashable {
    /// The service's short name: queue names derive from it (`petitions.events`).
    public var name: String
    /// Routing-key patterns of the events it reacts to (`petition.*`).
    public var eventPatterns: [String]
    public var takesCommands: Bool
    public var answersRPC: Bool

    public init(name: String, eventPatterns: [String] = [], takesCommands: Bool = false, answersRPC: Bool = false) {
        self.name = name
        self.eventPatterns = eventPatterns
        self.takesCommands = takesCommands
        self.answersRPC = answersRPC
    }
}
