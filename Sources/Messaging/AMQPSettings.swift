import Foundation

/// Where and how to reach the broker, read from one `AMQP_URL`
/// (`amqp://user:password@host:port/vhost?heartbeat=30`, or `amqps://` for TLS).
public struct AMQPSettings: Sendable, Equatable {
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

    public var host: String
    public var port: Int
    public var virtualHost: String
    public var user: String
    public var password: String
    public var heartbeatSeconds: Int
    public var connectTimeout: Duration
    public var tls: TLS?

    /// Parses an AMQP URI as RabbitMQ documents it; a missing path means vhost `/`.
    public init(url: String) throws(AMQPError) {
        guard let components = URLComponents(string: url),
              let scheme = components.scheme?.lowercased(), scheme == "amqp" || scheme == "amqps",
              let host = components.host, !host.isEmpty
        else {
            throw AMQPError.invalidSettings("AMQP_URL must look like amqp://user:password@host:port/vhost")
        }
        let isTLS = scheme == "amqps"
        self.host = host
        self.port = components.port ?? (isTLS ? 5671 : 5672)
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

    /// The URL without its password, for logs.
    public var redactedDescription: String {
        "\(tls == nil ? "amqp" : "amqps")://\(user)@\(host):\(port)/\(virtualHost == "/" ? "" : virtualHost)"
    }
}
