import DialogueContracts
import DialogueCtl
import Foundation
import Messaging
import ServiceKit
import Testing

/// The queues and bindings the catalogue declares are those the services' handlers need.
@Suite struct ServiceCatalogTests {
    @Test func catalogDeclaresEachServiceQueuesWithDeadLetters() {
        let topology = MessagingTopology()
        let elements = ServiceCatalog.allDeclarations(topology: topology)
        var queues: [String] = []
        for case .queue(let name, _, _, _, _) in elements { queues.append(name) }
        #expect(queues.contains("petitions.commands") && queues.contains("petitions.commands.dead"))
        #expect(queues.contains("notifications.events") && queues.contains("notifications.events.dead"))
        #expect(!queues.contains("gateway.rpc"))
        #expect(Set(queues).count == queues.count, "each queue declared once")
        var bindings: [(String, String, String)] = []
        for case .binding(let queue, let exchange, let key) in elements { bindings.append((queue, exchange, key)) }
        #expect(bindings.contains { $0 == ("notifications.events", "dialogue.events", "petition.threshold_reached") })
        #expect(bindings.contains { $0 == ("petitions.commands.dead", "dialogue.dlx", "petitions.commands") })
    }

    /// Each service's events queue is bound exactly to what it handles: every handled type
    /// arrives through a binding, every binding brings something handled; a command or
    /// request queue exists exactly when commands or requests are handled, and they are
    /// addressed to this service.
    @Test(arguments: ServiceName.allCases) func bindingsAreTheRegisteredHandlers(_ name: ServiceName) {
        // setup
        let service = ServiceCatalog.service(named: name)
        let registered = Registered(service)

        // act
        let endpoints = ServiceCatalog.endpoints(of: name)

        // check
        #expect(service.name == name)
        #expect(endpoints.name == name.rawValue)
        for type in registered.events {
            #expect(endpoints.eventPatterns.contains { TopicPattern.matches($0, type) }, "\(type) is handled but no binding brings it")
        }
        for pattern in endpoints.eventPatterns {
            #expect(registered.events.contains { TopicPattern.matches(pattern, $0) }, "\(pattern) is bound but nothing it brings is handled")
        }
        #expect(Set(endpoints.eventPatterns).count == endpoints.eventPatterns.count, "each binding once")
        #expect(endpoints.takesCommands == !registered.commands.isEmpty)
        #expect(endpoints.answersRPC == !registered.requests.isEmpty)
        #expect(registered.targets.isSubset(of: [name]), "commands and requests addressed to another service")
    }

    @Test func aFamilyBindingStandsForTheEventsItCovers() {
        #expect(ServiceCatalog.endpoints(of: .moderation).eventPatterns == ["*.submitted"])
        #expect(TopicPattern.matches("*.submitted", "forum_post.submitted"))
        #expect(!TopicPattern.matches("*.submitted", "petition.signature.submitted"))
        #expect(TopicPattern.matches("petition.#", "petition.signature.confirm"))
        #expect(TopicPattern.matches("#", "account.erased"))
        #expect(!TopicPattern.matches("petition.*", "account.erased"))
    }

    /// What each README says a service takes and answers is what it handles, and it names no
    /// queue the service does not consume.
    @Test(arguments: ServiceName.allCases) func readmeNamesWhatTheServiceHandles(_ name: ServiceName) throws {
        // setup
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = try #require(readmeFolders[name])
        let readme = try String(contentsOf: root.appending(path: "services/\(folder)/README.md"), encoding: .utf8)
        let registered = Registered(ServiceCatalog.service(named: name))
        let endpoints = ServiceCatalog.endpoints(of: name)

        // check
        for type in registered.events + registered.commands + registered.requests {
            #expect(readme.contains("`\(type)`"), "services/\(folder)/README.md does not name \(type)")
        }
        for pattern in endpoints.eventPatterns { #expect(readme.contains("`\(pattern)`")) }
        let topology = MessagingTopology()
        #expect(readme.contains("`\(topology.eventsQueue(name.rawValue))`") == !endpoints.eventPatterns.isEmpty)
        #expect(readme.contains("`\(topology.commandsQueue(name.rawValue))`") == endpoints.takesCommands)
        #expect(readme.contains("`\(topology.rpcQueue(name.rawValue))`") == endpoints.answersRPC)
    }

    private let readmeFolders: [ServiceName: String] = [
        .gateway: "gateway", .petitions: "petitions-service", .surveys: "survey-service", .consultations: "consultation-service",
        .moderation: "moderation-worker", .notifications: "notification-worker", .synthesis: "synthesis-reporter",
    ]
}

/// The message types a service registers handlers for, read from its routes.
private struct Registered {
    var events: [String]
    var commands: [String]
    var requests: [String]
    var targets: Set<ServiceName>

    init<Service: DialogueService>(_: Service.Type) {
        let routes = Service.routes
        events = routes.events.messageTypes
        commands = routes.commands.messageTypes
        requests = routes.requests.messageTypes
        targets = routes.commands.targetServices.union(routes.requests.targetServices)
    }
}
