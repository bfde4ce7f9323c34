/// What one service's broker user may do, as RabbitMQ's three permission patterns (regular
/// expressions over exchange and queue names, in one virtual host):
///
/// - `configure`: declare (and delete) — the four exchanges every part declares on connect,
///   its own queues and their dead-letter queues, and its private RPC reply queues;
/// - `write`: publish to an exchange, bind to a queue — the events exchange (its outbox), the
///   dead-letter exchange (a failed message, and its queues' dead-lettering), its own queues,
///   and only when it sends them, the commands and RPC exchanges; a service that answers RPC
///   writes its replies through the default exchange;
/// - `read`: consume from a queue, bind from an exchange — its own queues, its reply queues, and
///   only the exchanges its queues are bound to.
///
/// So a service that sends no command cannot publish one, and none can read another's queue
/// or bind its own to the commands or requests of another.
public struct BrokerPermissions: Sendable, Hashable {
    public var configure: String
    public var write: String
    public var read: String

    public init(configure: String, write: String, read: String) {
        self.configure = configure
        self.write = write
        self.read = read
    }
}

/// What a service sends beyond its events, for its broker permissions.
public struct BrokerSends: Sendable, Hashable {
    /// Commands on `dialogue.commands`.
    public var commands: Bool
    /// Requests on `dialogue.rpc`, with replies on private `rpc.reply.*` queues.
    public var requests: Bool

    public init(commands: Bool = false, requests: Bool = false) {
        self.commands = commands
        self.requests = requests
    }
}

extension MessagingTopology {
    /// The prefix of the private queues an RPC client receives its replies on.
    public var rpcReplyQueuePrefix: String { "\(prefix)rpc.reply." }

    /// The permissions of the broker user of the service consuming `endpoints` and sending `sends`.
    public func permissions(for endpoints: ServiceEndpoints, sends: BrokerSends) -> BrokerPermissions {
        var queues: [String] = []
        var boundFrom: [String] = []
        if !endpoints.eventPatterns.isEmpty {
            queues.append(eventsQueue(endpoints.name))
            boundFrom.append(eventsExchange)
        }
        if endpoints.takesCommands {
            queues.append(commandsQueue(endpoints.name))
            boundFrom.append(commandsExchange)
        }
        if endpoints.answersRPC {
            queues.append(rpcQueue(endpoints.name))
            boundFrom.append(rpcExchange)
        }
        if !queues.isEmpty { boundFrom.append(deadLetterExchange) }
        let ownQueues = queues + queues.map(deadLetterQueue(of:))
        let replyQueues = sends.requests ? [Self.escaped(rpcReplyQueuePrefix) + ".*"] : []
        let exchangeNames = [eventsExchange, commandsExchange, rpcExchange, deadLetterExchange]

        var written = [eventsExchange, deadLetterExchange] + ownQueues
        if sends.commands { written.append(commandsExchange) }
        if sends.requests { written.append(rpcExchange) }
        if endpoints.answersRPC { written.append("amq.default") }

        return BrokerPermissions(
            configure: Self.pattern(exact: exchangeNames + ownQueues, prefixed: replyQueues),
            write: Self.pattern(exact: written, prefixed: []),
            read: Self.pattern(exact: ownQueues + boundFrom, prefixed: replyQueues)
        )
    }

    /// `^(a|b|…)$` over the names taken literally, plus the given sub-patterns; `^$` (nothing) when empty.
    private static func pattern(exact names: [String], prefixed: [String]) -> String {
        let alternatives = names.map(escaped) + prefixed
        return alternatives.isEmpty ? "^$" : "^(\(alternatives.joined(separator: "|")))$"
    }

    /// `name` as a regular expression matching itself only.
    private static func escaped(_ name: String) -> String {
        var escaped = ""
        for character in name {
            if "\\.^$|?*+()[]{}".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
