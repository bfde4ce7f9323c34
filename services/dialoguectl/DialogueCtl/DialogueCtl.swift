public import ArgumentParser
import DialogueContracts
import Foundation
import Logging
import Messaging
import ServiceKit
import Storage

/// The administrator's command line.
public struct DialogueCtl: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dialoguectl",
        abstract: "Administer Dialogue: database, broker topology, dead letters, staff accounts.",
        subcommands: [Database.self, Topology.self, DeadLetters.self, Users.self, Synthesis.self]
    )

    public init() {}
}

/// Settings a subcommand reads from the environment, every problem named at once.
func settings<Value>(_ read: (inout SettingsReader) -> Value) throws -> Value {
    var reader = SettingsReader(environment: ProcessInfo.processInfo.environment)
    let value = read(&reader)
    try reader.validate()
    return value
}

private func amqpSettings() throws -> AMQPSettings {
    try settings { reader in
        reader.parse("AMQP_URL", reader.required("AMQP_URL", secret: true)) { try AMQPSettings(url: $0) }
    }!
}

let logger = Logger(label: "dialoguectl")

extension DialogueCtl {
    struct Database: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "db", abstract: "Prepare the database.", subcommands: [Bootstrap.self])

        struct Bootstrap: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create one schema and one role per service (DATABASE_ADMIN_URL, DB_PASSWORD_<SCHEMA>)."
            )

            func run() async throws {
                let (admin, passwords) = try settings { reader -> (DatabaseSettings?, [ServiceName: String]) in
                    let admin = reader.parse("DATABASE_ADMIN_URL", reader.required("DATABASE_ADMIN_URL", secret: true)) {
                        try DatabaseSettings(url: $0, maximumConnections: 2)
                    }
                    var passwords: [ServiceName: String] = [:]
                    for service in ServiceName.allCases {
                        passwords[service] = reader.required(DatabaseBootstrap.passwordVariable(for: service), secret: true)
                    }
                    return (admin, passwords)
                }
                try await DatabaseBootstrap(admin: admin!, passwords: passwords, logger: logger).run()
                print("schemas and roles ready: \(ServiceName.allCases.map(\.schema).joined(separator: ", "))")
            }
        }
    }

    struct Topology: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prepare the broker.", subcommands: [Declare.self, Definitions.self, BrokerUsersManifest.self]
        )

        struct BrokerUsersManifest: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "broker-users",
                abstract: "Print each service's broker user and permissions for Kubernetes (deploy/kubernetes/base/broker-users.yaml)."
            )

            func run() {
                print(BrokerUsers.kubernetesManifest(topology: MessagingTopology()), terminator: "")
            }
        }

        struct Declare: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Declare every exchange and queue of the platform (AMQP_URL).")

            func run() async throws {
                let elements = ServiceCatalog.allDeclarations(topology: MessagingTopology())
                try await BrokerAdmin.declare(elements, settings: try amqpSettings())
                print("topology declared: \(elements.count) exchanges, queues and bindings")
            }
        }

        struct Definitions: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print the topology and each service's broker user as a RabbitMQ definitions file (deploy/rabbitmq/definitions.json).",
                discussion: "A user whose AMQP_PASSWORD_<SCHEMA> is set gets its password's hash (keep that output secret); "
                    + "the others get none and cannot sign in until `rabbitmqctl change_password`."
            )

            func run() throws {
                let environment = ProcessInfo.processInfo.environment
                var passwords: [ServiceName: String] = [:]
                for service in ServiceName.allCases {
                    if let password = environment[BrokerUsers.passwordVariable(for: service)], !password.isEmpty {
                        passwords[service] = password
                    }
                }
                let topology = MessagingTopology()
                print(
                    try TopologyDefinitions.json(
                        for: ServiceCatalog.allDeclarations(topology: topology),
                        users: BrokerUsers.definitions(topology: topology, passwords: passwords)
                    ),
                    terminator: ""
                )
            }
        }
    }

    struct DeadLetters: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dead-letters", abstract: "Inspect and replay failed messages.", subcommands: [List.self, Replay.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show the messages waiting in QUEUE.dead, with why they died.")
            @Argument(help: "The queue whose dead letters to show, e.g. petitions.commands.") var queue: String
            @Option(help: "Most messages to show.") var limit = 20

            func run() async throws {
                let dead = MessagingTopology().deadLetterQueue(of: queue)
                let messages = try await BrokerAdmin.peek(queue: dead, limit: limit, settings: try amqpSettings())
                if messages.isEmpty { print("no dead letters in \(dead)") }
                for message in messages {
                    let reason = message.headers["dialogue-dead-letter-reason"]?.stringValue
                        ?? message.headers["x-death-reason"]?.stringValue ?? "unknown"
                    print("\(message.messageID ?? "-")  \(message.type ?? "-")  reason: \(reason)")
                    print("    \(String(decoding: message.body.prefix(300), as: UTF8.self))")
                }
            }
        }

        struct Replay: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Move messages from QUEUE.dead back to QUEUE.")
            @Argument(help: "The queue to replay into, e.g. petitions.commands.") var queue: String
            @Option(help: "Most messages to move.") var limit = 100

            func run() async throws {
                let dead = MessagingTopology().deadLetterQueue(of: queue)
                let moved = try await BrokerAdmin.replay(from: dead, to: queue, limit: limit, settings: try amqpSettings())
                print("replayed \(moved) message(s) from \(dead) to \(queue)")
            }
        }
    }
}

extension DialogueCtl {
    /// The executable's entry point: parses the command line and runs the chosen subcommand.
    public static func runFromCommandLine() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
