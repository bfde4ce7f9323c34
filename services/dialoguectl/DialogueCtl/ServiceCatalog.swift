import ConsultationService
public import DialogueContracts
import Gateway
public import Messaging
import ModerationWorker
import NotificationWorker
import PetitionsService
public import ServiceKit
import SurveyService
import SynthesisReporter

/// Every service of the platform, asked for the queues it consumes: each answers from the
/// handlers it registers (`DialogueService.routes`), so no list here can disagree with them.
public enum ServiceCatalog {
    /// The composition root of each service.
    public static func service(named name: ServiceName) -> any DialogueService.Type {
        switch name {
        case .gateway: Gateway.self
        case .petitions: PetitionsService.self
        case .surveys: SurveyService.self
        case .consultations: ConsultationService.self
        case .moderation: ModerationWorker.self
        case .notifications: NotificationWorker.self
        case .synthesis: SynthesisReporter.self
        }
    }

    /// The queues `service` consumes and the patterns its events queue is bound to.
    public static func endpoints(of service: ServiceName) -> ServiceEndpoints {
        self.service(named: service).endpoints
    }

    /// Every declaration of the platform, for `dialoguectl topology declare` and the definitions file.
    public static func allDeclarations(topology: MessagingTopology) -> [TopologyElement] {
        topology.exchanges + ServiceName.allCases.flatMap { service in
            topology.declarations(for: endpoints(of: service)).dropFirst(topology.exchanges.count)
        }
    }
}
