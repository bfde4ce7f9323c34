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
        let generated = try TopologyDefinitions.json(for: ServiceCatalog.allDeclarations(topology: MessagingTopology()))
        #expect(committed == generated, "run `dialoguectl topology definitions > deploy/rabbitmq/definitions.json`")
    }

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
