import Foundation
public import Messaging

/// The platform's topology as a RabbitMQ definitions file, so that a broker can be
/// prepared by `rabbitmqctl import_definitions` or the `load_definitions` setting; made
/// from the same declarations the services apply, so the two never drift apart. With
/// users, it also holds each service's broker user and its permissions (`BrokerUsers`).
public enum TopologyDefinitions {
    /// A broker user and its permissions in the definitions' virtual host.
    public struct User: Sendable {
        public var name: String
        /// RabbitMQ's salted SHA-256 of the password; empty for a user that cannot sign in yet.
        public var passwordHash: String
        public var permissions: BrokerPermissions

        public init(name: String, passwordHash: String, permissions: BrokerPermissions) {
            self.name = name
            self.passwordHash = passwordHash
            self.permissions = permissions
        }
    }

    public static func json(for elements: [TopologyElement], users: [User] = [], virtualHost: String = "/") throws -> String {
        var exchanges: [[String: Any]] = []
        var queues: [[String: Any]] = []
        var bindings: [[String: Any]] = []
        for element in elements {
            switch element {
            case .exchange(let name, let type):
                exchanges.append([
                    "name": name, "vhost": virtualHost, "type": type, "durable": true, "auto_delete": false,
                    "internal": false, "arguments": [String: Any](),
                ])
            case .queue(let name, let arguments, let durable, _, let autoDelete):
                queues.append([
                    "name": name, "vhost": virtualHost, "durable": durable, "auto_delete": autoDelete,
                    "arguments": arguments.mapValues(jsonValue),
                ])
            case .binding(let queue, let exchange, let routingKey):
                bindings.append([
                    "source": exchange, "vhost": virtualHost, "destination": queue, "destination_type": "queue",
                    "routing_key": routingKey, "arguments": [String: Any](),
                ])
            }
        }
        var definitions: [String: Any] = ["exchanges": exchanges, "queues": queues, "bindings": bindings]
        if !users.isEmpty {
            definitions["users"] = users.map { user in
                [
                    "name": user.name, "password_hash": user.passwordHash,
                    "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": [String](),
                ] as [String: Any]
            }
            definitions["permissions"] = users.map { user in
                [
                    "user": user.name, "vhost": virtualHost, "configure": user.permissions.configure,
                    "write": user.permissions.write, "read": user.permissions.read,
                ]
            }
        }
        let data = try JSONSerialization.data(withJSONObject: definitions, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func jsonValue(_ value: HeaderValue) -> Any {
        switch value {
        case .string(let text): text
        case .int(let number): number
        case .bool(let flag): flag
        }
    }
}
