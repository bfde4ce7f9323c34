import DialogueContracts
import Foundation
import HTTPTypes
import Hummingbird
import Messaging
import NIOCore
import ServiceKit

/// `/api/v1/petitions`: create, read, sign.
struct PetitionsAPI: Sendable {
    let rpc: RPCClient
    let commands: CommandSender
    let cache: PetitionCache
    let settings: GatewaySettings

    struct CreateBody: Decodable {
        let title: String
        let text: String
    }

    struct SignBody: Decodable {
        let name: String
        let email: String
        let postcode: String
    }

    struct Accepted: Encodable {
        let status: String
        let requestId: UUID
    }

    func register<Context: RequestContext>(on group: RouterGroup<Context>) {
        group.post { request, _ in try await create(request) }
        group.get("{id}") { _, context in try await read(context.parameters.require("id")) }
        group.post("{id}/signatures") { request, context in try await sign(request, petition: context.parameters.require("id")) }
    }

    func create(_ request: Request) async throws -> Response {
        let body = try await JSONBody.decode(CreateBody.self, from: request, limit: settings.bodyLimit)
        let petition = try await ask(CreatePetition(title: body.title, text: body.text))
        return try json(petition, status: .created, location: "/api/v1/petitions/\(petition.id.uuidString.lowercased())")
    }

    func read(_ id: String) async throws -> Response {
        try json(try await petition(id))
    }

    func sign(_ request: Request, petition id: String) async throws -> Response {
        let body = try await JSONBody.decode(SignBody.self, from: request, limit: settings.bodyLimit)
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else {
            throw APIError.invalid("name", "Indiquez votre nom (100 caractères au plus).")
        }
        guard EmailAddress.isValid(body.email) else {
            throw APIError.invalid("email", "L'adresse électronique n'est pas valide.")
        }
        let postcode = body.postcode.trimmingCharacters(in: .whitespaces)
        guard Region.isValidPostcode(postcode) else {
            throw APIError.invalid("postcode", "Le code postal doit compter 5 chiffres.")
        }
        let petition = try await petition(id)
        guard petition.status == "open" || petition.status == "threshold_reached" else {
            throw APIError(status: .conflict, code: "petition_closed", message: "Cette pétition n'accepte plus de signatures.")
        }
        let requestID = try await commands.send(SignPetition(
            petitionID: petition.id, name: name, email: body.email.trimmingCharacters(in: .whitespaces),
            postcode: postcode, signedAt: Date()
        ))
        return try json(Accepted(status: "accepted", requestId: requestID), status: .accepted)
    }

    private func petition(_ id: String) async throws -> PetitionView {
        guard let uuid = UUID(uuidString: id) else { throw APIError.notFound }
        return try await cache.petition(uuid) { try await ask(GetPetition(petitionID: uuid)) }
    }

    /// Asks a service and maps its refusals to HTTP.
    private func ask<Request: DialogueRequest>(_ request: Request) async throws -> Request.Response {
        do {
            return try await rpc.request(request, timeout: settings.rpcTimeout)
        } catch let failure as RequestFailure {
            switch failure.code {
            case "not_found": throw APIError(status: .notFound, code: "not_found", message: failure.message)
            case "invalid": throw APIError.invalid(failure.field, failure.message)
            case "conflict": throw APIError(status: .conflict, code: "conflict", message: failure.message)
            default: throw APIError(status: .badGateway, code: "service_error", message: "Le service n'a pas pu répondre.")
            }
        } catch let error as AMQPError {
            // The broker or the service is away (an unroutable request means no service consumes): retry later.
            if error.isTransient { throw APIError.unavailable }
            if case .unroutable = error { throw APIError.unavailable }
            throw error
        }
    }

    private func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, location: String? = nil) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let location { headers[.location] = location }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
