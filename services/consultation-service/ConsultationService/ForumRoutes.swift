import DialogueContracts
import ServiceKit

extension ConsultationService {
    /// The requests of forums, threads, posts and statements; the opinion map's extremities.
    static func addForumRoutes(to routes: inout ServiceRoutes<Parts>) {
        routes.requests.on(OpenForum.self) { parts, request in try await parts.forums.open(request) }
        routes.requests.on(ListForums.self) { parts, request in try await parts.forums.list(request) }
        routes.requests.on(GetForum.self) { parts, request in try await parts.forums.page(request) }
        routes.requests.on(OpenForumThread.self) { parts, request in try await parts.threads.open(request) }
        routes.requests.on(ReplyInForumThread.self) { parts, request in try await parts.threads.reply(request) }
        routes.requests.on(EditForumPost.self) { parts, request in try await parts.threads.edit(request) }
        routes.requests.on(GetForumThread.self) { parts, request in try await parts.threads.page(request) }
        routes.requests.on(LocateForumPost.self) { parts, request in try await parts.threads.locate(request) }
        routes.requests.on(ReactToForumPost.self) { parts, request in try await parts.reactions.react(request) }
        routes.requests.on(PinForumPost.self) { parts, request in try await parts.staffActions.pin(request) }
        routes.requests.on(CloseForumThread.self) { parts, request in try await parts.staffActions.close(request) }
        routes.requests.on(MergeForumThreads.self) { parts, request in try await parts.staffActions.merge(request) }
        routes.requests.on(ConcludeForum.self) { parts, request in try await parts.staffActions.conclude(request) }
        routes.requests.on(SubmitStatement.self) { parts, request in try await parts.statements.submit(request) }
        routes.requests.on(GetNextStatement.self) { parts, request in try await parts.statements.next(request) }
        routes.requests.on(VoteOnStatement.self) { parts, request in try await parts.statements.vote(request) }
        routes.requests.on(ListForumStatements.self) { parts, request in try await parts.statements.list(request) }
        routes.events.on(ForumOpinionMapUpdated.self) { parts, update, connection in
            try await StatementStore.apply(update, on: connection, logger: parts.logger)
        }
    }
}

extension ConsultationService.Parts {
    var forums: ForumStore { ForumStore(client: client, logger: logger) }
    var threads: ForumThreadStore { ForumThreadStore(client: client, logger: logger) }
    var reactions: ForumReactionStore { ForumReactionStore(client: client, logger: logger) }
    var staffActions: ForumStaffStore { ForumStaffStore(client: client, logger: logger) }
    var statements: StatementStore { StatementStore(client: client, logger: logger) }
}
