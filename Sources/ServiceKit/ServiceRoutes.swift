public import DialogueContracts
public import Logging
public import Messaging
public import PostgresNIO
public import ServiceLifecycle

/// Every message a service handles, registered by type before any of its parts exist.
///
/// The handlers receive the service's `Parts` (its stores, settings, logger) when they run,
/// so the routes are a plain value: the runner builds the routers from them, and the
/// catalogue reads from the same registrations which queues the service consumes and what
/// its events queue is bound to (`endpoints(of:)`). Nothing else lists them.
public struct ServiceRoutes<Parts: Sendable>: Sendable {
    public var events = EventRoutes<Parts>()
    public var commands = CommandRoutes<Parts>()
    public var requests = RequestRoutes<Parts>()

    public init() {}

    /// The queues these routes need: an events queue bound to the registered events (a
    /// family's pattern standing for its members), a command queue if commands are taken,
    /// an RPC queue if requests are answered.
    public func endpoints(of service: ServiceName) -> ServiceEndpoints {
        ServiceEndpoints(
            name: service.rawValue, eventPatterns: events.bindings,
            takesCommands: !commands.messageTypes.isEmpty, answersRPC: !requests.messageTypes.isEmpty
        )
    }
}

/// The events a service handles, and the families of events its queue is bound to as a whole.
public struct EventRoutes<Parts: Sendable>: Sendable {
    typealias Registration = @Sendable (inout EventRouter, Parts) -> Void
    private var registrations: [Registration] = []
    /// The registered event types, in registration order.
    public private(set) var messageTypes: [String] = []
    /// Routing-key patterns bound as a whole (`*.submitted`).
    public private(set) var families: [String] = []

    public init() {}

    /// Handles `Event` inside the transaction that claims the message.
    public mutating func on<Event: DialogueEvent>(
        _: Event.Type, _ handler: @escaping @Sendable (Parts, Event, PostgresConnection) async throws -> Void
    ) {
        on(Event.self) { parts, event, _, connection in try await handler(parts, event, connection) }
    }

    /// Handles `Event` with a handler that also records the message's id.
    public mutating func on<Event: DialogueEvent>(
        _: Event.Type, _ handler: @escaping @Sendable (Parts, Event, _ messageID: String, PostgresConnection) async throws -> Void
    ) {
        messageTypes.append(Event.messageType)
        registrations.append { router, parts in
            router.on(Event.self) { event, messageID, connection in try await handler(parts, event, messageID, connection) }
        }
    }

    /// Binds the queue to a whole family of events (`*.submitted`), so that a member nobody
    /// handles yet arrives and is dead-lettered with its type instead of being dropped by
    /// the broker. The members handled are registered with `on` as usual.
    public mutating func family(_ pattern: String) {
        families.append(pattern)
    }

    /// The routing keys the events queue is bound to: each family, and each registered type
    /// that no family covers.
    public var bindings: [String] {
        families + messageTypes.filter { type in !families.contains { TopicPattern.matches($0, type) } }
    }

    /// The router serving these routes with `parts`.
    public func router(with parts: Parts, client: PostgresClient, logger: Logger, produces: String = "handler") -> EventRouter {
        var router = EventRouter(client: client, logger: logger, produces: produces)
        for register in registrations { register(&router, parts) }
        return router
    }
}

/// The commands a service takes, by type, each set of types with its batch handler.
public struct CommandRoutes<Parts: Sendable>: Sendable {
    typealias Registration = @Sendable (inout CommandRouter, Parts) -> Void
    private var registrations: [Registration] = []
    /// The registered command types, in registration order.
    public private(set) var messageTypes: [String] = []
    /// The services the registered commands are addressed to (the one registering them, unless a mistake).
    public private(set) var targetServices: Set<ServiceName> = []

    public init() {}

    /// Hands the commands of `types` to the batch handler made from the parts.
    public mutating func on<Handler: MessageBatchHandler>(
        _ types: [any DialogueCommand.Type], handledBy makeHandler: @escaping @Sendable (Parts) -> Handler
    ) {
        messageTypes += types.map { $0.messageType }
        targetServices.formUnion(types.map { $0.targetService })
        registrations.append { router, parts in router.on(types, handledBy: makeHandler(parts)) }
    }

    /// The router serving these routes with `parts`.
    public func router(with parts: Parts) -> CommandRouter {
        var router = CommandRouter()
        for register in registrations { register(&router, parts) }
        return router
    }
}

/// The requests a service answers, by type.
public struct RequestRoutes<Parts: Sendable>: Sendable {
    typealias Registration = @Sendable (inout RequestRouter, Parts) -> Void
    private var registrations: [Registration] = []
    /// The registered request types, in registration order.
    public private(set) var messageTypes: [String] = []
    /// The services the registered requests are addressed to (the one registering them, unless a mistake).
    public private(set) var targetServices: Set<ServiceName> = []

    public init() {}

    /// Answers `Request` with `handler`; a thrown `RequestFailure` becomes a failed reply with its code.
    public mutating func on<Request: DialogueRequest>(
        _: Request.Type, _ handler: @escaping @Sendable (Parts, Request) async throws -> Request.Response
    ) {
        messageTypes.append(Request.messageType)
        targetServices.insert(Request.targetService)
        registrations.append { router, parts in
            router.on(Request.self) { request in try await handler(parts, request) }
        }
    }

    /// The router serving these routes with `parts`.
    public func router(with parts: Parts, logger: Logger) -> RequestRouter {
        var router = RequestRouter(logger: logger)
        for register in registrations { register(&router, parts) }
        return router
    }
}

/// AMQP topic matching: `*` stands for one word, `#` for any number of words.
public enum TopicPattern {
    public static func matches(_ pattern: String, _ routingKey: String) -> Bool {
        matches(pattern.split(separator: ".", omittingEmptySubsequences: false)[...], routingKey.split(separator: ".", omittingEmptySubsequences: false)[...])
    }

    private static func matches(_ pattern: ArraySlice<Substring>, _ words: ArraySlice<Substring>) -> Bool {
        guard let first = pattern.first else { return words.isEmpty }
        if first == "#" {
            return words.indices.contains { matches(pattern.dropFirst(), words[$0...]) } || matches(pattern.dropFirst(), words[words.endIndex...])
        }
        guard let word = words.first, first == "*" || first == word else { return false }
        return matches(pattern.dropFirst(), words.dropFirst())
    }
}

extension ServicePlatform {
    /// A consumer for each queue the routes need (events, commands, RPC), serving them with `parts`.
    /// - Parameters:
    ///   - produces: what the event handlers make of an event, named in the reason an event of a
    ///     type nobody handles is dead-lettered with.
    ///   - largestRequestBytes: the largest request body the RPC queue takes, when a service's
    ///     requests may carry more than the consumers' usual limit (a file); others keep it.
    public func consumers<Parts>(
        serving routes: ServiceRoutes<Parts>, with parts: Parts, produces: String = "handler", largestRequestBytes: Int? = nil
    ) -> [any Service] {
        var consumers: [any Service] = []
        if !routes.events.bindings.isEmpty {
            consumers.append(consumer(of: .events, handler: routes.events.router(with: parts, client: database, logger: logger, produces: produces)))
        }
        if !routes.commands.messageTypes.isEmpty {
            consumers.append(consumer(of: .commands, handler: routes.commands.router(with: parts)))
        }
        if !routes.requests.messageTypes.isEmpty {
            let retry = largestRequestBytes.map { RetryPolicy(deliveryLimit: topology.deliveryLimit, maximumBodyBytes: $0) }
            consumers.append(consumer(
                of: .rpc, handler: RPCServer(handler: routes.requests.router(with: parts, logger: logger), logger: logger), retry: retry
            ))
        }
        return consumers
    }
}
