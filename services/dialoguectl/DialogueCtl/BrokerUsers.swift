import Crypto
public import DialogueContracts
import Foundation
public import Messaging
import ServiceKit

/// One broker user per service, named like its database role (`dialogue_petitions`), whose
/// permissions come from what the service consumes and sends (`BrokerPermissions`): a service
/// cannot publish a command it does not send, nor read another's queue.
public enum BrokerUsers {
    /// The broker user of `service`.
    public static func name(of service: ServiceName) -> String { service.databaseRole }

    /// The variable holding the password of a service's broker user: `AMQP_PASSWORD_PETITIONS`.
    public static func passwordVariable(for service: ServiceName) -> String {
        "AMQP_PASSWORD_\(service.schema.uppercased())"
    }

    /// The permissions of `service`'s user in `topology`.
    public static func permissions(of service: ServiceName, topology: MessagingTopology) -> BrokerPermissions {
        let app = ServiceCatalog.service(named: service)
        return topology.permissions(for: app.endpoints, sends: app.sends)
    }

    /// Every service's user for a definitions file; a user whose password is given gets its
    /// hash, the others none (they cannot sign in until `rabbitmqctl change_password`).
    public static func definitions(topology: MessagingTopology, passwords: [ServiceName: String]) -> [TopologyDefinitions.User] {
        ServiceName.allCases.map { service in
            TopologyDefinitions.User(
                name: name(of: service),
                passwordHash: passwords[service].map { passwordHash($0) } ?? "",
                permissions: permissions(of: service, topology: topology)
            )
        }
    }

    /// RabbitMQ's `rabbit_password_hashing_sha256`: base64(salt ‖ SHA-256(salt ‖ password)),
    /// with a 4-byte random salt.
    public static func passwordHash(_ password: String, salt: [UInt8] = (0..<4).map { _ in UInt8.random(in: .min ... .max) }) -> String {
        let digest = SHA256.hash(data: salt + Array(password.utf8))
        return Data(salt + Array(digest)).base64EncodedString()
    }
}

extension BrokerUsers {
    /// Each service's user and its permissions as resources of RabbitMQ's Messaging Topology
    /// Operator (`deploy/kubernetes/base/broker-users.yaml`): the password of `dialogue_<schema>` comes
    /// from Secret `dialogue-amqp-<schema>` (keys `username`, `password`), which its Deployment
    /// reads too; the operator reaches the broker with Secret `dialogue-rabbitmq-admin`.
    public static func kubernetesManifest(topology: MessagingTopology) -> String {
        var text = """
            # Made by `dialoguectl topology broker-users`: one RabbitMQ user per service, limited to its
            # exchanges and queues (RabbitMQ's Messaging Topology Operator). Do not edit by hand.

            """
        for service in ServiceName.allCases {
            let user = name(of: service)
            let resource = "dialogue-\(service.schema)"
            let permissions = permissions(of: service, topology: topology)
            text += """
                ---
                apiVersion: rabbitmq.com/v1beta1
                kind: User
                metadata:
                  name: \(resource)
                spec:
                  rabbitmqClusterReference: {connectionSecret: {name: dialogue-rabbitmq-admin}}
                  # username \(user), and its password
                  importCredentialsSecret: {name: dialogue-amqp-\(service.schema)}
                ---
                apiVersion: rabbitmq.com/v1beta1
                kind: Permission
                metadata:
                  name: \(resource)
                spec:
                  rabbitmqClusterReference: {connectionSecret: {name: dialogue-rabbitmq-admin}}
                  vhost: /
                  userReference: {name: \(resource)}
                  permissions:
                    configure: '\(permissions.configure)'
                    write: '\(permissions.write)'
                    read: '\(permissions.read)'

                """
        }
        return text
    }
}
