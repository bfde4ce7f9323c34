import DialogueContracts
import Foundation
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import NIOCore
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The statements' JSON API: listing with the answers' counts, proposing (140 characters,
/// moderated), the next statement to answer, answering once and changing one's answer;
/// every refusal a JSON error naming its field; every answer, success or refusal, of the
/// shape `openapi.json` documents for it.
@Suite struct StatementsAPITests {
    @Test func aTokenHolderProposesListsAndAnswersStatementsAsTheDocumentSays() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let document = try OpenAPIResponses.load()
            // setup: a forum; API tokens go to staff accounts, one confirmed, one not
            let forum = try await StatementPagesTests.openForum(stack, client, probe)
            let writer = try await stack.makeStaff([.staff])
            try await stack.gateway.database.query("UPDATE accounts SET email_confirmed_at = now() WHERE id = \(writer.id)", logger: TestEnvironment.logger)
            let token = try await stack.issueToken(for: writer)
            let unconfirmedAccount = try await stack.makeStaff([.staff])
            try await stack.gateway.database.query(
                "UPDATE accounts SET email_confirmed_at = NULL WHERE id = \(unconfirmedAccount.id)", logger: TestEnvironment.logger
            )
            let unconfirmed = try await stack.issueToken(for: unconfirmedAccount)
            var answers: [(operation: String, path: String, response: TestResponse)] = []
            func send(_ method: HTTPRequest.Method, _ path: String, _ uri: String, json: String? = nil, token: String? = nil) async throws -> TestResponse {
                var headers: HTTPFields = [:]
                if json != nil { headers[.contentType] = "application/json" }
                if let token { headers[.authorization] = "Bearer \(token)" }
                let response = try await client.anonymous.executeRequest(
                    uri: "/api/v1\(uri)", method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }
                )
                answers.append((method.rawValue.lowercased(), path, response))
                return response
            }
            let statements = "/forums/{id}/statements"
            let next = "/forums/{id}/statements/next"
            let vote = "/forums/statements/{id}/vote"

            // act: bad proposals, then a good one that moderation shows
            let empty = try await send(.post, statements, "/forums/\(forum)/statements", json: #"{"text": "   "}"#, token: token)
            let tooLong = try await send(.post, statements, "/forums/\(forum)/statements", json: #"{"text": "\#(String(repeating: "é", count: 141))"}"#, token: token)
            let missing = try await send(.post, statements, "/forums/\(forum)/statements", json: #"{"texte": "Bonjour"}"#, token: token)
            let notConfirmed = try await send(.post, statements, "/forums/\(forum)/statements", json: #"{"text": "Plus de trains"}"#, token: unconfirmed)
            let anonymous = try await send(.post, statements, "/forums/\(forum)/statements", json: #"{"text": "Plus de trains"}"#)
            let submitted = try await send(.post, statements, "/forums/\(forum)/statements", json: #"{"text": "  Il faut plus de trains le soir  "}"#, token: token)
            let statement = try #require(try await probe.texts("SELECT id::text FROM consultations.forum_statements").first.flatMap { $0 })
            let listedWhileHidden = try await send(.get, statements, "/forums/\(forum)/statements")
            try await StatementPagesTests.moderate(try #require(UUID(uuidString: statement)), stack: stack, probe: probe)
            // answering: the next statement, a forged answer, an answer, a change, the same again
            let proposed = try await send(.get, next, "/forums/\(forum)/statements/next", token: token)
            let forged = try await send(.put, vote, "/forums/statements/\(statement)/vote", json: #"{"vote": "maybe"}"#, token: token)
            let agreed = try await send(.put, vote, "/forums/statements/\(statement)/vote", json: #"{"vote": "agree"}"#, token: token)
            let changed = try await send(.put, vote, "/forums/statements/\(statement)/vote", json: #"{"vote": "disagree"}"#, token: token)
            let repeated = try await send(.put, vote, "/forums/statements/\(statement)/vote", json: #"{"vote": "disagree"}"#, token: token)
            let unconfirmedVote = try await send(.put, vote, "/forums/statements/\(statement)/vote", json: #"{"vote": "agree"}"#, token: unconfirmed)
            let unknownStatement = try await send(.put, vote, "/forums/statements/\(UUID())/vote", json: #"{"vote": "agree"}"#, token: token)
            let listedPublicly = try await send(.get, statements, "/forums/\(forum)/statements")
            let listedForWriter = try await send(.get, statements, "/forums/\(forum)/statements", token: token)
            let nothingLeft = try await send(.get, next, "/forums/\(forum)/statements/next", token: token)
            let nextAnonymously = try await send(.get, next, "/forums/\(forum)/statements/next")
            let unknownForum = try await send(.get, statements, "/forums/\(UUID())/statements")

            // check: refusals name their field, and nothing refused was stored
            #expect(empty.status == .badRequest && empty.apiError?.field == "text" && empty.apiError?.message == "Écrivez votre affirmation.")
            #expect(tooLong.status == .badRequest && tooLong.apiError?.field == "text")
            #expect(tooLong.apiError?.message == "Une affirmation compte au plus 140 caractères : la vôtre en compte 141, raccourcissez-la.")
            #expect(missing.status == .badRequest && missing.apiError?.field == "text")
            #expect(notConfirmed.status == .forbidden && notConfirmed.apiError?.code == "email_unconfirmed")
            #expect(anonymous.status == .unauthorized)
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.forum_statements") == 1)
            // the statement proposed: trimmed, hidden until moderation, listed only once shown, and without its author
            #expect(submitted.status == .created)
            let mine = try submitted.decode(SubmittedStatement.self)
            #expect(mine.text == "Il faut plus de trains le soir" && !mine.visible && mine.id.uuidString.lowercased() == statement)
            #expect(try listedWhileHidden.decode(StatementList.self).items.isEmpty)
            #expect(!listedPublicly.text.contains(writer.id.uuidString.lowercased()) && !listedPublicly.text.contains("author"))
            // answering
            #expect(proposed.status == .ok)
            #expect(try proposed.decode(NextStatement.self).statement?.id.uuidString.lowercased() == statement)
            #expect(forged.status == .badRequest && forged.apiError?.field == "vote")
            #expect([agreed.status, changed.status, repeated.status] == [.ok, .ok, .ok])
            #expect(try agreed.decode(VoteOutcome.self) == VoteOutcome(vote: "agree", recorded: true))
            #expect(try changed.decode(VoteOutcome.self) == VoteOutcome(vote: "disagree", recorded: true))
            #expect(try repeated.decode(VoteOutcome.self) == VoteOutcome(vote: "disagree", recorded: false))
            #expect(unconfirmedVote.status == .forbidden && unconfirmedVote.apiError?.code == "email_unconfirmed")
            #expect(unknownStatement.status == .notFound)
            #expect(unknownStatement.apiError?.message == "Cette affirmation n'existe pas ou n'est pas encore publiée.")
            #expect(try await probe.texts("SELECT vote FROM consultations.forum_statement_votes") == ["disagree"])
            // the counts, for everyone, and one's own answer with a token
            #expect(try listedPublicly.decode(StatementList.self).items.map(\.votes) == [Votes(agree: 0, disagree: 1, pass: 0, mine: nil)])
            #expect(try listedForWriter.decode(StatementList.self).items.map(\.votes) == [Votes(agree: 0, disagree: 1, pass: 0, mine: "disagree")])
            #expect(nothingLeft.status == .ok)
            let left = try nothingLeft.decode(NextStatement.self)
            #expect(left.statement == nil && left.answered == 1 && left.remaining == 0)
            #expect(nextAnonymously.status == .unauthorized)
            #expect(unknownForum.status == .notFound && unknownForum.isJSON)

            // check: every answer is one the document lists for its operation, of the documented shape
            for answer in answers {
                let problems = try document.problems(of: answer.response, operation: answer.operation, path: answer.path)
                #expect(problems.isEmpty, "\(answer.operation) \(answer.path) \(answer.response.status.code): \(problems)")
            }
        }
    }

    struct SubmittedStatement: Decodable {
        let id: UUID
        let text: String
        let visible: Bool
    }

    struct Votes: Decodable, Equatable {
        let agree: Int
        let disagree: Int
        let pass: Int
        let mine: String?
    }

    struct StatementList: Decodable {
        struct Item: Decodable {
            let id: UUID
            let votes: Votes
        }
        let items: [Item]
    }

    struct NextStatement: Decodable {
        struct Statement: Decodable {
            let id: UUID
        }
        let statement: Statement?
        let answered: Int
        let remaining: Int
    }

    struct VoteOutcome: Decodable, Equatable {
        let vote: String
        let recorded: Bool
    }
}

/// Checks answers of the API against `openapi.json`: the status is one the operation
/// documents, and the JSON body has the documented shape (types, required and no
/// undocumented properties, enums, formats, lengths), following `$ref`s.
struct OpenAPIResponses {
    let document: [String: Any]

    static func load() throws -> OpenAPIResponses {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../services/gateway/Gateway/openapi.json").standardized
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return OpenAPIResponses(document: document)
    }

    /// A JSON value that keeps booleans apart from numbers.
    indirect enum JSONValue: Decodable {
        case null, bool(Bool), integer(Int), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode(Int.self) { self = .integer(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else if let value = try? container.decode(String.self) { self = .string(value) }
            else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
            else { self = .object(try container.decode([String: JSONValue].self)) }
        }
    }

    func problems(of response: TestResponse, operation: String, path: String) throws -> [String] {
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        guard let described = paths[path]?[operation] as? [String: Any] else { return ["undocumented operation"] }
        let responses = described["responses"] as? [String: Any] ?? [:]
        guard var answer = responses[String(response.status.code)] as? [String: Any] else { return ["undocumented status"] }
        if let reference = answer["$ref"] as? String { answer = resolve(reference) }
        let content = answer["content"] as? [String: [String: Any]]
        guard let schema = content?["application/json"]?["schema"] as? [String: Any] else { return ["no JSON schema documented"] }
        guard response.isJSON else { return ["not JSON"] }
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(response.text.utf8))
        return problems(of: value, against: schema, at: "$")
    }

    private func resolve(_ reference: String) -> [String: Any] {
        var node: Any = document
        for key in reference.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(key)] ?? [:] }
        return node as? [String: Any] ?? [:]
    }

    private func problems(of value: JSONValue, against schema: [String: Any], at location: String) -> [String] {
        if let reference = schema["$ref"] as? String { return problems(of: value, against: resolve(reference), at: location) }
        let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []
        var found: [String] = []
        switch value {
        case .null:
            if !types.contains("null") { found.append("\(location) is null") }
        case .bool:
            if !types.isEmpty && !types.contains("boolean") { found.append("\(location) is a boolean, not \(types)") }
        case .integer(let number):
            if !types.isEmpty && !types.contains("integer") && !types.contains("number") { found.append("\(location) is a number, not \(types)") }
            if let minimum = schema["minimum"] as? Int, number < minimum { found.append("\(location) is below \(minimum)") }
        case .number:
            if !types.isEmpty && !types.contains("number") { found.append("\(location) is a decimal number, not \(types)") }
        case .string(let text):
            if !types.isEmpty && !types.contains("string") { found.append("\(location) is a string, not \(types)") }
            if let choices = schema["enum"] as? [String], !choices.contains(text) { found.append("\(location) « \(text) » is not in \(choices)") }
            if schema["format"] as? String == "uuid", UUID(uuidString: text) == nil { found.append("\(location) is not a UUID") }
            if schema["format"] as? String == "date-time", (try? Date.ISO8601FormatStyle().parse(text)) == nil {
                found.append("\(location) is not a date-time")
            }
            if let longest = schema["maxLength"] as? Int, text.count > longest { found.append("\(location) is longer than \(longest)") }
        case .array(let items):
            if !types.isEmpty && !types.contains("array") { found.append("\(location) is an array, not \(types)") }
            if let itemSchema = schema["items"] as? [String: Any] {
                for (index, item) in items.enumerated() { found += problems(of: item, against: itemSchema, at: "\(location)[\(index)]") }
            }
        case .object(let members):
            if !types.isEmpty && !types.contains("object") { found.append("\(location) is an object, not \(types)") }
            for key in schema["required"] as? [String] ?? [] where members[key] == nil { found.append("\(location).\(key) is missing") }
            if let properties = schema["properties"] as? [String: [String: Any]] {
                for (key, member) in members {
                    guard let property = properties[key] else {
                        found.append("\(location).\(key) is not documented")
                        continue
                    }
                    found += problems(of: member, against: property, at: "\(location).\(key)")
                }
            }
        }
        return found
    }
}
