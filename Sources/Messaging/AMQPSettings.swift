import Foundation

/// Where and how to reach the broker, read from `AMQP_URL`
/// (`amqp://user:password@host:port/vhost?heartbeat=30`, or `amqps://` for TLS): one URL, or
/// the URLs of a cluster's nodes separated by commas, which differ only by host and port.
/// A connection goes to one node and, when it is lost or refused, to the next.
public struct AMQPSettings: Sendable, Equatable {
    /// One node of the cluster.
    public struct Broker: Sendable, Equatable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        public var description: String { "\(host):\(port)" }
    }

    /// TLS options for `amqps://` URLs, from the query (`cacertfile`, `certfile`, `keyfile`, `verify`).
    public struct TLS: Sendable, Equatable {
        public var caCertificatePath: String?
        public var certificatePath: String?
        public var keyPath: String?
        public var verifyPeer: Bool

        public init(caCertificatePath: String? = nil, certificatePath: String? = nil, keyPath: String? = nil, verifyPeer: Bool = true) {
            self.caCertificatePath = caCertificatePath
            self.certificatePath = certificatePath
            self.keyPath = keyPath
            self.verifyPeer = verifyPeer
        }
    }

    /// The node a connection is opened to (the first of `brokers` unless `on(_:)` chose another).
    public var host: String
    public var port: Int
    /// Every node given, in the order given; one element for a single broker.
    public private(set) var brokers: [Broker]
    public var virtualHost: String
    public var user: String
    public var password: String
    public var heartbeatSeconds: Int
    public var connectTimeout: Duration
    public var tls: TLS?

    /// Parses an AMQP URI as RabbitMQ documents it (a missing path means vhost `/`), or a
    /// comma-separated list of them, one per node of a cluster.
    public init(url: String) throws(AMQPError) {
        let urls = url.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard urls.count > 1 else {
            try self.init(singleURL: url)
            return
        }
        guard !urls.contains(where: \.isEmpty) else {
            throw AMQPError.invalidSettings("AMQP_URL has an empty element in its list of broker URLs")
        }
        var first = try AMQPSettings(singleURL: urls[0])
        for other in urls.dropFirst() {
            let node = try AMQPSettings(singleURL: other)
            var alike = node.on(first.brokers[0])
            alike.brokers = first.brokers
            guard alike == first else {
                throw AMQPError.invalidSettings(
                    "AMQP_URL's broker URLs must differ only by host and port (same scheme, user, password, vhost and options)"
                )
            }
            guard !first.brokers.contains(node.brokers[0]) else {
                throw AMQPError.invalidSettings("AMQP_URL names broker \(node.brokers[0]) twice")
            }
            first.brokers.append(node.brokers[0])
        }
        self = first
    }

    /// These settings aimed at one of their brokers.
    public func on(_ broker: Broker) -> AMQPSettings {
        var settings = self
        settings.host = broker.host
        settings.port = broker.port
        return settings
    }

    private init(singleURL url: String) throws(AMQPError) {
        guard let components = URLComponents(string: url),
              let scheme = components.scheme?.lowercased(), scheme == "amqp" || scheme == "amqps",
              let host = components.host, !host.isEmpty
        else {
            throw AMQPError.invalidSettings("AMQP_URL must look like amqp://user:password@host:port/vhost")
        }
        let isTLS = scheme == "amqps"
        self.host = host
        self.port = components.port ?? (isTLS ? 5671 : 5672)
        self.brokers = [Broker(host: host, port: port)]
        self.user = components.user.flatMap { $0.removingPercentEncoding } ?? "guest"
        self.password = components.password.flatMap { $0.removingPercentEncoding } ?? "guest"
        let path = components.percentEncodedPath
        if path.isEmpty || path == "/" {
            self.virtualHost = "/"
        } else {
            self.virtualHost = String(path.dropFirst()).removingPercentEncoding ?? "/"
        }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") },
            uniquingKeysWith: { _, last in last }
        )
        if let heartbeat = query["heartbeat"] {
            guard let seconds = Int(heartbeat), seconds >= 0 else {
                throw AMQPError.invalidSettings("AMQP_URL heartbeat must be a number of seconds")
            }
            self.heartbeatSeconds = seconds
        } else {
            self.heartbeatSeconds = 20
        }
        if let timeout = query["connection_timeout"] {
            guard let milliseconds = Int(timeout), milliseconds > 0 else {
                throw AMQPError.invalidSettings("AMQP_URL connection_timeout must be a number of milliseconds")
            }
            self.connectTimeout = .milliseconds(milliseconds)
        } else {
            self.connectTimeout = .seconds(5)
        }
        self.tls = isTLS
            ? TLS(
                caCertificatePath: query["cacertfile"],
                certificatePath: query["certfile"],
                keyPath: query["keyfile"],
                verifyPeer: query["verify"] != "verify_none"
            )
            : nil
    }

    /// Throws `.tlsConfiguration` when a TLS file of the URL cannot be used (missing,
    /// unreadable, not PEM), without connecting: start-up reports it as a configuration problem.
    public func checkTLSFiles() throws(AMQPError) {
        try RabbitMQConnection.checkTLSFiles(of: self)
    }

    /// The URL of the current node without its password, for logs.
    public var redactedDescription: String {
        "\(tls == nil ? "amqp" : "amqps")://\(user)@\(host):\(port)/\(virtualHost == "/" ? "" : virtualHost)"
    }
}
