import Foundation
public import PostgresNIO
import NIOSSL

/// How to reach PostgreSQL, read from one `DATABASE_URL`
/// (`postgres://role:password@host:port/database?sslmode=require`).
public struct DatabaseSettings: Sendable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var requireTLS: Bool
    public var maximumConnections: Int

    public init(url: String, maximumConnections: Int = 20) throws(StorageError) {
        guard let components = URLComponents(string: url),
              let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme),
              let host = components.host, !host.isEmpty,
              let user = components.user, !user.isEmpty
        else {
            throw StorageError.invalidSettings("DATABASE_URL must look like postgres://role:password@host:port/database")
        }
        let database = String(components.path.dropFirst())
        guard !database.isEmpty else {
            throw StorageError.invalidSettings("DATABASE_URL names no database")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = components.password.flatMap { $0.removingPercentEncoding }
        self.database = database
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        self.requireTLS = ["require", "verify-ca", "verify-full"].contains(sslMode)
        self.maximumConnections = maximumConnections
    }

    /// The same server and credentials, another database (tests, bootstrap).
    public func with(database: String) -> DatabaseSettings {
        var copy = self
        copy.database = database
        return copy
    }

    /// A client whose connections resolve unqualified names in `schema` first.
    public func makeClient(searchPath schema: String? = nil, logger: Logger) -> PostgresClient {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database,
            tls: requireTLS ? .require(.makeClientConfiguration()) : .disable
        )
        configuration.options.maximumConnections = maximumConnections
        if let schema {
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        return PostgresClient(configuration: configuration, backgroundLogger: logger)
    }
}

/// Failures of the storage layer.
public enum StorageError: Error, Sendable, CustomStringConvertible {
    case invalidSettings(String)
    case migrationFailed(name: String, statement: Int, underlying: String)
    case invalidIdentifier(String)

    public var description: String {
        switch self {
        case .invalidSettings(let text): "invalid database settings: \(text)"
        case .migrationFailed(let name, let statement, let underlying): "migration \(name) failed at statement \(statement): \(underlying)"
        case .invalidIdentifier(let text): "not a valid SQL identifier: \(text)"
        }
    }
}

/// SQL identifiers cannot be bound as parameters; the few built in code are checked instead.
public enum SQLIdentifier {
    public static func validated(_ name: String) throws(StorageError) -> String {
        let allowed = name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
        guard allowed, let first = name.utf8.first, !(first >= 48 && first <= 57), name.utf8.count <= 63 else {
            throw StorageError.invalidIdentifier(name)
        }
        return name
    }
}
