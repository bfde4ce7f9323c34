import DialogueContracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import Messaging
import NIOCore
import ServiceKit

/// `/api/v1/petitions`: deposit, find similar ones, read, sign, confirm a signature.
struct PetitionsAPI: Sendable {
    let web: WebDependencies
    let caches: PetitionCaches

    var rpc: RPCClient { web.rpc }
    var settings: GatewaySettings { web.settings }
    var limiter: RateLimiter { web.limiter }
    private var desk: SignatureDesk { SignatureDesk(web: web, petitions: caches.views) }

    struct CreateBody: Decodable {
        let title: String
        let text: String
        let reasons: String
        let theme: String?
    }

    struct SignBody: Decodable {
        let name: String?
        let email: String?
        let postcode: String?
        /// The signatory's agreement that their data is kept for the petition (required).
        let consent: Bool?
        let showName: Bool?
        let wantsAnswer: Bool?
    }

    struct ConfirmationBody: Decodable {
        let token: String
    }

    struct Accepted: Encodable {
        /// `confirmation_sent` (a mail asks to confirm the address) or `signed` (counted shortly).
        let status: String
    }

    func register(on routes: SecuredRoutes) {
        // Deposited petitions go through moderation before anyone sees them.
        routes.post("", .signedIn) { request, context in try await create(request, by: try context.requireAccount()) }
        routes.get("similaires", .everyone) { request, _ in try await similar(request) }
        routes.get("{id}", .everyone) { _, context in
            try await read(context.parameters.require("id"), staff: context.account?.isStaff ?? false)
        }
        routes.post("{id}/signatures", .everyone) { request, context in
            try await sign(request, petition: context.parameters.require("id"), context: context)
        }
        routes.post("signatures/confirmation", .everyone) { request, _ in try await confirm(request) }
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
        guard let uuid = UUID(uuidString: id) else { throw APIError.notFound }
        let petition = try await caches.views.value(for: uuid) { try await ask(GetPetition(petitionID: uuid)) }
        guard petition.visible || staff else { throw APIError.notFound }
        return try JSONResponse.make(petition)
    }

    func sign(_ request: Request, petition id: String, context: WebContext) async throws -> Response {
        let body = try await JSONBody.decode(SignBody.self, from: request, limit: settings.bodyLimit)
        guard let petitionID = UUID(uuidString: id) else { throw APIError.notFound }
        let account = context.account.flatMap { $0.isConfirmed ? $0 : nil }
        let form = SignatureDesk.Form(
            name: body.name ?? account?.publicName ?? "", email: account?.email ?? body.email ?? "",
            postcode: body.postcode ?? account?.postcode ?? "", consent: body.consent ?? false,
            showName: body.showName ?? false, wantsAnswer: body.wantsAnswer ?? false
        )
        if let error = form.errors.first { throw APIError.invalid(error.field, error.message) }
        switch try await desk.sign(form, petition: petitionID, account: account, clientAddress: context.clientAddress, agent: .api) {
        case .confirmationMailed:
            return try JSONResponse.make(Accepted(status: "confirmation_sent"), status: .accepted)
        case .signed:
            return try JSONResponse.make(Accepted(status: "signed"), status: .accepted)
        case .alreadySigned(let signedAt):
            throw APIError(status: .conflict, code: "already_signed", message: "Vous avez déjà signé cette pétition, le \(FrenchDate.day(signedAt)). Merci !")
        }
    }

    /// The button of a mailed link, for applications: 202 while pending, otherwise why not.
    func confirm(_ request: Request) async throws -> Response {
        let body = try await JSONBody.decode(ConfirmationBody.self, from: request, limit: settings.bodyLimit)
        let status = try await desk.confirm(body.token)
        switch status.state {
        case .pending: return try JSONResponse.make(Accepted(status: "signed"), status: .accepted)
        case .confirmed: throw APIError(status: .conflict, code: "already_confirmed", message: "Cette signature est déjà confirmée.")
        case .expired: throw APIError(status: .gone, code: "expired", message: "Ce lien a expiré : signez à nouveau la pétition.")
        case .closed: throw SignatureDesk.closedPetition
        case .unknown: throw APIError(status: .notFound, code: "not_found", message: "Ce lien de confirmation n'existe pas.")
        }
    }

    private func ask<Request: DialogueRequest>(_ request: Request) async throws -> Request.Response {
        try await ServiceCall(rpc: rpc, timeout: settings.rpcTimeout).ask(request)
    }
}
