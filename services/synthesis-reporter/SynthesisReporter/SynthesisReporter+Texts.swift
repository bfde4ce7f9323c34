import DialogueContracts
import Logging
import ServiceKit

extension SynthesisReporter {
    /// The texts' read model (its events) and the questions on it: one call from the composition root.
    static func addTextRoutes(to routes: inout ServiceRoutes<Parts>) {
        routes.requests.on(GetTextTrends.self) { parts, request in try await parts.trends.trends(request) }
        routes.requests.on(GetTextGroups.self) { parts, request in try await parts.groups.groups(request) }
        routes.requests.on(ListTextScopes.self) { parts, request in try await parts.groups.scopes(request) }
        routes.requests.on(GetSynthesisReport.self) { parts, request in try await parts.reports.report(request) }
        TextEvents.register(on: &routes.events) { $0.logger }
    }
}

/// The events that keep the texts' read model, registered once for the broker's consumer and
/// once for a replay of exported events (`SynthesisRebuild`): the same handlers for both.
enum TextEvents {
    static func register<Parts: Sendable>(on events: inout EventRoutes<Parts>, logger: @escaping @Sendable (Parts) -> Logger) {
        events.on(PetitionSubmitted.self) { parts, event, connection in
            try await TextDocumentStore.keep(event, on: connection, logger: logger(parts))
        }
        events.on(ModerationDecisionMade.self) { parts, event, connection in
            try await TextDocumentStore.apply(event, on: connection, logger: logger(parts))
        }
        events.on(ContributionReceived.self) { parts, event, connection in
            try await TextDocumentStore.keep(event, on: connection, logger: logger(parts))
        }
        events.on(ContributionPublished.self) { parts, event, connection in
            try await TextDocumentStore.keep(event, on: connection, logger: logger(parts))
        }
        events.on(ForumPostSubmitted.self) { parts, event, connection in
            try await TextDocumentStore.keep(event, on: connection, logger: logger(parts))
        }
        events.on(ForumPostPublished.self) { parts, event, connection in
            try await TextDocumentStore.place(event, on: connection, logger: logger(parts))
        }
        events.on(ConsultationOpened.self) { parts, event, connection in
            try await TextDocumentStore.name(scope: event.consultationID, source: .contributions, title: event.title, on: connection, logger: logger(parts))
        }
        events.on(ForumOpened.self) { parts, event, connection in
            try await TextDocumentStore.name(scope: event.forumID, source: .forumPosts, title: event.title, on: connection, logger: logger(parts))
        }
        events.on(AccountErased.self) { parts, event, connection in
            try await TextDocumentStore.forget(event, on: connection, logger: logger(parts))
        }
    }
}
