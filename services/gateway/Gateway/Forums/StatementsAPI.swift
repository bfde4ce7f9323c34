import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// `/api/v1/forums/…/statements`: a forum's short statements with their answers (anyone; a
/// bearer token adds one's own answer), proposing one, the next one to answer, and answering
/// (a bearer token whose account has a confirmed address, as on the pages). Statements are
/// shown without their author: the answers, not who wrote them, make the opinion map.
struct StatementsAPI: Sendable {
    let web: WebDependencies

    private var call: ServiceCall { ServiceCall(web: web) }

    struct NewStatement: Decodable {
        let text: String
    }

    struct VoteChoice: Decodable {
        let vote: String
    }

    /// A shown statement as the API tells it: no author.
    struct Statement: Encodable {
        let id: UUID
        let forumID: UUID
        let text: String
        let createdAt: Date

        init(_ view: StatementView) {
            id = view.id
            forumID = view.forumID
            text = view.text
            createdAt = view.createdAt
        }
    }

    struct CountedItem: Encodable {
        let id: UUID
        let forumID: UUID
        let text: String
        let createdAt: Date
        let votes: ForumReactionCounts
    }

    struct StatementList: Encodable {
        let items: [CountedItem]
    }

    /// One's own statement just proposed: hidden until moderation lets it through.
    struct Submitted: Encodable {
        let id: UUID
        let forumID: UUID
        let text: String
        let createdAt: Date
        let visible: Bool
        let moderationStatus: String
    }

    struct Next: Encodable {
        /// Absent once nothing is left to answer.
        let statement: Statement?
        let answered: Int
        let remaining: Int
    }

    struct VoteOutcome: Encodable {
        let statementID: UUID
        let forumID: UUID
        let vote: ForumReaction
        /// False when this very answer had already been given (nothing changed).
        let recorded: Bool
    }

    func register(on routes: SecuredRoutes) {
        routes.get("{id}/statements", .everyone) { _, context in
            let list = try await call.ask(ListForumStatements(forumID: try Self.id(context), viewerAccountID: context.account?.id))
            return try JSONResponse.make(StatementList(items: list.items.map {
                CountedItem(id: $0.statement.id, forumID: $0.statement.forumID, text: $0.statement.text, createdAt: $0.statement.createdAt, votes: $0.votes)
            }))
        }
        routes.post("{id}/statements", .signedIn) { request, context in
            let account = try context.requireAccount()
            let forum = try Self.id(context)
            let body = try await JSONBody.decode(NewStatement.self, from: request, limit: web.settings.bodyLimit)
            let text = body.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let problem = StatementRules.problem(text) { throw APIError(problem) }
            let statement = try await call.ask(SubmitStatement(forumID: forum, text: text, author: try ForumWriter.author(account)))
            let submitted = Submitted(
                id: statement.id, forumID: statement.forumID, text: statement.text, createdAt: statement.createdAt, visible: statement.visible,
                moderationStatus: statement.moderationStatus
            )
            return try JSONResponse.make(submitted, status: .created, location: "/api/v1/forums/\(forum.uuidString.lowercased())/statements")
        }
        routes.get("{id}/statements/next", .signedIn) { _, context in
            let account = try context.requireAccount()
            let next = try await call.ask(GetNextStatement(forumID: try Self.id(context), accountID: account.id))
            return try JSONResponse.make(Next(statement: next.statement.map(Statement.init), answered: next.answered, remaining: next.remaining))
        }
        routes.on(.put, "statements/{id}/vote", .signedIn) { request, context in
            let account = try context.requireAccount()
            let statement = try Self.id(context)
            let body = try await JSONBody.decode(VoteChoice.self, from: request, limit: web.settings.bodyLimit)
            guard let vote = ForumReaction(rawValue: body.vote) else {
                throw APIError.invalid("vote", "« \(body.vote) » n'est pas une réponse : agree, disagree ou pass.")
            }
            guard account.isConfirmed else { throw ForumWriter.unconfirmed }
            let receipt = try await call.ask(VoteOnStatement(statementID: statement, accountID: account.id, vote: vote))
            return try JSONResponse.make(VoteOutcome(statementID: statement, forumID: receipt.forumID, vote: vote, recorded: receipt.recorded))
        }
    }

    /// The `{id}` of the path, or 404.
    private static func id(_ context: WebContext) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound }
        return id
    }
}
