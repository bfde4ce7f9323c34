import DialogueCtl
import Foundation
import Messaging
import ServiceKit
import Testing

@Suite struct TopologyDefinitionsTests {
    /// The committed definitions file is made from the code's declarations; this keeps it current.
    @Test func committedDefinitionsMatchTheDeclarations() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let committed = try String(contentsOf: root.appending(path: "deploy/rabbitmq/definitions.json"), encoding: .utf8)
        let topology = MessagingTopology()
        let generated = try TopologyDefinitions.json(
            for: ServiceCatalog.allDeclarations(topology: topology), users: BrokerUsers.definitions(topology: topology, passwords: [:])
        )
        #expect(committed == generated, "run `dialoguectl topology definitions > deploy/rabbitmq/definitions.json`")
        // one user per service, without a password in the committed file
        #expect(committed.contains("\"name\" : \"dialogue_petitions\""))
        #expect(committed.contains("\"password_hash\" : \"\""))
    }

    /// The Kubernetes users and permissions come from the same permissions as the definitions file.
    @Test func committedKubernetesBrokerUsersMatchThePermissions() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let committed = try String(contentsOf: root.appending(path: "deploy/kubernetes/base/broker-users.yaml"), encoding: .utf8)
        #expect(committed == BrokerUsers.kubernetesManifest(topology: MessagingTopology()), "run `dialoguectl topology broker-users > deploy/kubernetes/base/broker-users.yaml`")
        #expect(committed.contains("importCredentialsSecret: {name: dialogue-amqp-petitions}"))
    }

    /// RabbitMQ's salted SHA-256, checked against a hash computed apart (Python's hashlib) from its definition.
    @Test func passwordHashIsRabbitMQsSaltedSHA256() {
        // base64(00 01 02 03 ‖ SHA-256(00 01 02 03 ‖ "secret"))
        #expect(BrokerUsers.passwordHash("secret", salt: [0, 1, 2, 3]) == Self.expectedHash)
    }

    static let expectedHash = "AAECAygv0e1JvWmb/yuFkkS4o6/ym7l2VIDl94ohKiVGBwMk"


    @Test func queuesAreQuorumWithDeadLettering() throws {
        let json = try TopologyDefinitions.json(for: MessagingTopology().workQueue("a.commands", bindings: [("dialogue.commands", "a")]))
        let definitions = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let queues = try #require(definitions["queues"] as? [[String: Any]])
        let work = try #require(queues.first { $0["name"] as? String == "a.commands" })
        let arguments = try #require(work["arguments"] as? [String: Any])
        #expect(arguments["x-queue-type"] as? String == "quorum")
        #expect(arguments["x-dead-letter-exchange"] as? String == "dialogue.dlx")
        #expect(arguments["x-dead-letter-routing-key"] as? String == "a.commands")
        #expect(arguments["x-delivery-limit"] as? Int == 11)
    }
}
