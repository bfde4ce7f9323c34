public import DialogueContracts
import DialogueCtl
public import Messaging
import ServiceKit

/// Removes the queues (and their dead-letter queues) and exchanges a test's services
/// declared on the test broker: best effort, each test having its own topology.
public func deleteQueues(of topology: MessagingTopology, services: [ServiceName]) async {
    var queues: [String] = []
    for service in services {
        let endpoints = ServiceCatalog.endpoints(of: service)
        var own: [String] = []
        if !endpoints.eventPatterns.isEmpty { own.append(topology.eventsQueue(endpoints.name)) }
        if endpoints.takesCommands { own.append(topology.commandsQueue(endpoints.name)) }
        if endpoints.answersRPC { own.append(topology.rpcQueue(endpoints.name)) }
        queues += own.flatMap { [$0, topology.deadLetterQueue(of: $0)] }
    }
    try? await BrokerAdmin.deleteQueues(
        queues, exchanges: [topology.eventsExchange, topology.commandsExchange, topology.rpcExchange, topology.deadLetterExchange],
        settings: TestEnvironment.amqp
    )
}
