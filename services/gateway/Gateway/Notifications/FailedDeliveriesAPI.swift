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
            let query = APIQuery(request)
            let limit = try query.integer("limit", in: 1...100) ?? 50
            let before = try query.uuid("before")
            let template = try query.text("type", length: 1...100)
            let address = try query.text("address", length: 1...254)
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
