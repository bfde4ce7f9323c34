import DialogueContracts
import Foundation
import Hummingbird
import Identity

/// The identity operations of the JSON API (who am I, the audit log), authenticated by bearer token.
struct IdentityAPI: Sendable {
    let web: WebDependencies

    struct Me: Encodable {
        let id: String
        let email: String
        let displayName: String?
        let roles: [String]
    }

    struct AuditPage: Encodable {
        let entries: [AuditEntry]
        /// Pass as `before` for the next page; absent on the last one.
        let nextBefore: Int?
    }

    func register(on api: SecuredRoutes) {
        api.get("me", .anyStaff) { _, context in
            let account = try context.requireAccount()
            return try JSONResponse.make(Me(
                id: account.id.uuidString.lowercased(), email: account.email, displayName: account.displayName,
                roles: account.roles.sorted().map(\.rawValue)
            ))
        }
        api.get("audit-log", .staff([.administrator])) { request, _ in
            let query = APIQuery(request)
            let limit = try query.integer("limit", in: 1...200) ?? 50
            let before = try query.integer("before", in: Int.min...Int.max)
            let entries = try await AuditLog.entries(before: before, limit: limit, client: web.database, logger: web.logger)
            return try JSONResponse.make(AuditPage(entries: entries, nextBefore: entries.count == limit ? entries.last?.id : nil))
        }
    }
}
