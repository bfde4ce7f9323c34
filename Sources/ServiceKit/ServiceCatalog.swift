public import DialogueContracts
public import Messaging

/// Which queues each service consumes: one table for the services and `dialoguectl`.
public enum ServiceCatalog {
    public static func endpoints(of service: ServiceName) -> ServiceEndpoints {
        switch service {
        case .gateway:
            ServiceEndpoints(name: service.rawValue)
        case .petitions:
            ServiceEndpoints(
                name: service.rawValue, eventPatterns: [AccountErased.messageType, ModerationDecisionMade.messageType],
                takesCommands: true, answersRPC: true
            )
        case .moderation:
            // Every kind of submission, present and future: a kind nobody handles yet is
            // dead-lettered with its type, not lost.
            ServiceEndpoints(name: service.rawValue, eventPatterns: ["*.submitted"], answersRPC: true)
        case .notifications:
            ServiceEndpoints(
                name: service.rawValue,
                eventPatterns: [
                    PetitionThresholdReached.messageType, AccountEmailConfirmationRequested.messageType,
                    AccountPasswordResetRequested.messageType, AccountErased.messageType, ModerationQueueWaiting.messageType,
                    AccountContactChanged.messageType, ModerationDecisionMade.messageType, PetitionMilestoneReached.messageType,
                    PetitionSignatureConfirmationRequested.messageType, PetitionSignedAgain.messageType,
                    PetitionStatusChanged.messageType, PetitionSignatoryNoticeRequested.messageType,
                ],
                answersRPC: true
            )
        case .surveys, .consultations, .synthesis:
            ServiceEndpoints(name: service.rawValue, takesCommands: true, answersRPC: true)
        }
    }

    /// Every declaration of the platform, for `dialoguectl topology declare`.
    public static func allDeclarations(topology: MessagingTopology) -> [TopologyElement] {
        topology.exchanges + ServiceName.allCases.flatMap { service in
            topology.declarations(for: endpoints(of: service)).dropFirst(topology.exchanges.count)
        }
    }
}
