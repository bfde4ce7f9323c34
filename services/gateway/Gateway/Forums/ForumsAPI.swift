import DialogueContracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import ServiceKit

/// `/api/v1/forums`: reading forums and threads (anyone; a bearer token adds one's own posts
/// waiting for moderation), opening threads, replying, editing one's post and reacting (a
/// bearer token whose account has a confirmed address). The same `ForumWriter` as the pages.
struct ForumsAPI: Sendable {
    let web: WebDependencies

    private var call: ServiceCall { ServiceCall(web: web) }
    private var writer: ForumWriter { ForumWriter(call: call) }

    struct ThreadBody: Decodable {
        let title: String
        let body: String
    }

    struct PostBody: Decodable {
        let body: String
        let parentPostID: UUID?
        let quotedPostID: UUID?
    }

    struct EditBody: Decodable {
        let body: String
    }

    struct ReactionBody: Decodable {
        let reaction: String
    }

    func register(on routes: SecuredRoutes) {
        routes.get("", .everyone) { _, _ in try JSONResponse.make(try await call.ask(ListForums())) }
        routes.get("{id}", .everyone) { request, context in
            let order = try APIQuery(request).value("order", as: ForumThreadOrder.self) ?? .activity
            return try JSONResponse.make(try await call.ask(GetForum(forumID: try Self.id(context), order: order)))
        }
        routes.get("threads/{id}", .everyone) { request, context in
            let page = try APIQuery(request).integer("page", in: 1...100_000) ?? 1
            let thread = try await call.ask(GetForumThread(threadID: try Self.id(context), page: page, viewerAccountID: context.account?.id))
            return try JSONResponse.make(thread)
        }
        routes.post("{id}/threads", .signedIn) { request, context in
            let body = try await JSONBody.decode(ThreadBody.self, from: request, limit: web.settings.bodyLimit)
            let title = body.title.trimmingCharacters(in: .whitespacesAndNewlines)
            let text = body.body.trimmingCharacters(in: .whitespacesAndNewlines)
            if let problem = ForumPostRules.titleProblem(title) ?? ForumPostRules.bodyProblem(text) { throw APIError(problem) }
            let post = try await writer.openThread(in: try Self.id(context), title: title, body: text, by: try context.requireAccount())
            return try JSONResponse.make(post, status: .created, location: "/api/v1/forums/threads/\(post.threadID.uuidString.lowercased())")
        }
        routes.post("threads/{id}/posts", .signedIn) { request, context in
            let body = try await JSONBody.decode(PostBody.self, from: request, limit: web.settings.bodyLimit)
            let text = body.body.trimmingCharacters(in: .whitespacesAndNewlines)
            if let problem = ForumPostRules.bodyProblem(text) { throw APIError(problem) }
            let post = try await writer.reply(
                in: try Self.id(context), to: body.parentPostID, quoting: body.quotedPostID, body: text, by: try context.requireAccount()
            )
            return try JSONResponse.make(post, status: .created)
        }
        routes.on(.put, "posts/{id}", .signedIn) { request, context in
            let body = try await JSONBody.decode(EditBody.self, from: request, limit: web.settings.bodyLimit)
            let text = body.body.trimmingCharacters(in: .whitespacesAndNewlines)
            if let problem = ForumPostRules.bodyProblem(text) { throw APIError(problem) }
            return try JSONResponse.make(try await writer.edit(try Self.id(context), body: text, by: try context.requireAccount()))
        }
        routes.on(.put, "posts/{id}/reaction", .signedIn) { request, context in
            let body = try await JSONBody.decode(ReactionBody.self, from: request, limit: web.settings.bodyLimit)
            guard let reaction = ForumReaction(rawValue: body.reaction) else {
                throw APIError.invalid("reaction", "« \(body.reaction) » n'est pas une réaction : agree, disagree ou pass.")
            }
            return try JSONResponse.make(try await writer.react(to: try Self.id(context), with: reaction, by: try context.requireAccount()))
        }
    }

    /// The `{id}` of the path, or 404.
    private static func id(_ context: WebContext) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound }
        return id
    }
}
