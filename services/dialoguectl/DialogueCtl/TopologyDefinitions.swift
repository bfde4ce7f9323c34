import Foundation
public import Messaging

/// The platform's topology as a RabbitMQ definitions file, so that a broker can be
/// prepared by `rabbitmqctl import_definitions` or the `load_definitions` setting; made
/// from the same declarations the services apply, so the two never drift apart.
public enum TopologyDefinitions {
    public static func json(for elements: [TopologyElement], virtualHost: String = "/") throws -> String {
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
        let definitions: [String: Any] = ["exchanges": exchanges, "queues": queues, "bindings": bindings]
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
