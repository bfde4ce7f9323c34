import DialogueContracts
import Foundation
import Hummingbird
import Identity

/// The failed deliveries in the JSON API, for administrators (bearer token): the same list
/// and resend action as `/admin/envois-en-echec`.
struct FailedDeliveriesAPI: Sendable {
    let web: WebDependencies

    func register(on api: SecuredRoutes) {
        api.get("deliveries/failed", .staff([.administrator])) { request, _ in
            let query = request.uri.queryParameters
            let limit = try query.get("limit").map { text in
                guard let limit = Int(text), (1...100).contains(limit) else {
                    throw APIError.invalid("limit", "`limit` must be an integer from 1 to 100.")
                }
                return limit
            } ?? 50
            let before = try query.get("before").map { text in
                guard let id = UUID(uuidString: text) else {
                    throw APIError.invalid("before", "`before` must be the `next` of a page (a UUID).")
                }
                return id
            }
            let template = try query.get("type").map { text in
                guard (1...100).contains(text.count) else { throw APIError.invalid("type", "`type` must have 1 to 100 characters.") }
                return String(text)
            }
            let address = try query.get("address").map { text in
                guard (1...254).contains(text.count) else { throw APIError.invalid("address", "`address` must have 1 to 254 characters.") }
                return String(text)
            }
            let page = try await ServiceCall(web: web).ask(ListFailedDeliveries(template: template, address: address, before: before, limit: limit))
            return try JSONResponse.make(page)
        }
        api.post("deliveries/{id}/resend", .staff([.administrator])) { _, context in
            let account = try context.requireAccount()
            let resent = try await ServiceCall(web: web).ask(
                ResendFailedDelivery(deliveryID: try context.requiredID(), staffID: account.id, staffName: account.shownName)
            )
            return try JSONResponse.make(resent, status: .accepted)
        }
    }
}
