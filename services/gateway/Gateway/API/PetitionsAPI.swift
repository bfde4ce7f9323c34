import DialogueContracts
import Foundation
import HTTPTypes
import Hummingbird
import Messaging
import NIOCore
import ServiceKit

/// `/api/v1/petitions`: deposit, find similar ones, read, sign.
struct PetitionsAPI: Sendable {
    let rpc: RPCClient
    let commands: CommandSender
    let cache: ShortLivedCache<UUID, PetitionView>
    let settings: GatewaySettings
    let limiter: RateLimiter

    struct CreateBody: Decodable {
        let title: String
        let text: String
        let reasons: String
        let theme: String?
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

    func register(on routes: SecuredRoutes) {
        // Deposited petitions go through moderation before anyone sees them.
        routes.post("", .signedIn) { request, context in try await create(request, by: try context.requireAccount()) }
        routes.get("similaires", .everyone) { request, _ in try await similar(request) }
        routes.get("{id}", .everyone) { _, context in
            try await read(context.parameters.require("id"), staff: context.account?.isStaff ?? false)
        }
        routes.post("{id}/signatures", .everyone) { request, context in
            try limiter.check(settings.rateLimits.publicWrite, client: context.clientAddress)
            return try await sign(request, petition: context.parameters.require("id"))
        }
    }

    func create(_ request: Request, by account: Account) async throws -> Response {
        guard account.isConfirmed else { throw APIError.unconfirmedEmail }
        let body = try await JSONBody.decode(CreateBody.self, from: request, limit: settings.bodyLimit)
        let draft = PetitionDraft(title: body.title, text: body.text, reasons: body.reasons, theme: body.theme)
        let petition = try await depositor.deposit(draft, by: account)
        return try JSONResponse.make(petition, status: .created, location: "/api/v1/petitions/\(petition.id.uuidString.lowercased())")
    }

    /// A petition moderation has not published (or has hidden) exists only for staff.
    func read(_ id: String, staff: Bool) async throws -> Response {
        let petition = try await petition(id)
        guard petition.visible || staff else { throw APIError.notFound }
        return try JSONResponse.make(petition)
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
        guard petition.visible else { throw APIError.notFound }
        guard petition.status == "open" || petition.status == "threshold_reached" else {
            throw APIError(status: .conflict, code: "petition_closed", message: "Cette pétition n'accepte plus de signatures.")
        }
        let requestID = try await commands.send(SignPetition(
            petitionID: petition.id, name: name, email: body.email.trimmingCharacters(in: .whitespaces),
            postcode: postcode, signedAt: Date()
        ))
        return try JSONResponse.make(Accepted(status: "accepted", requestId: requestID), status: .accepted)
    }

    private func petition(_ id: String) async throws -> PetitionView {
        guard let uuid = UUID(uuidString: id) else { throw APIError.notFound }
        return try await cache.value(for: uuid) { try await ask(GetPetition(petitionID: uuid)) }
    }

    private func ask<Request: DialogueRequest>(_ request: Request) async throws -> Request.Response {
        try await ServiceCall(rpc: rpc, timeout: settings.rpcTimeout).ask(request)
    }
}
