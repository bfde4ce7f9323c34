import DialogueContracts
import Foundation
import Hummingbird

/// The staff operations of the JSON API, authenticated by bearer token.
struct StaffAPI: Sendable {
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
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 50, 1), 200)
            let before = request.uri.queryParameters.get("before", as: Int.self)
            let entries = try await AuditLog.entries(before: before, limit: limit, client: web.database, logger: web.logger)
            return try JSONResponse.make(AuditPage(entries: entries, nextBefore: entries.count == limit ? entries.last?.id : nil))
        }
        api.get("staff-notifications", .anyStaff) { request, context in
            let account = try context.requireAccount()
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 50, 1), 100)
            let before = try request.uri.queryParameters.get("before").map { text in
                guard let id = UUID(uuidString: text) else {
                    throw APIError(status: .badRequest, code: "invalid_parameter", message: "`before` must be the `next` of a page (a UUID).")
                }
                return id
            }
            let unreadOnly = request.uri.queryParameters.get("unread") == "true"
            let page = try await StaffInbox(web: web).page(for: account, unreadOnly: unreadOnly, before: before, limit: limit)
            return try JSONResponse.make(page)
        }
    }
}

extension WebContext {
    /// The signed-in account of a route whose access already required one.
    func requireAccount() throws -> Account {
        guard let account else { throw AccessDenied(signedIn: false) }
        return account
    }
}

/// The staff inbox, read from the notification worker: each role sees its topics.
struct StaffInbox: Sendable {
    let web: WebDependencies

    static func topics(for roles: Set<StaffRole>) -> [String] {
        var topics: Set<String> = []
        for role in roles {
            switch role {
            case .administrator: topics.formUnion(["petition.threshold", "moderation.waiting"])
            case .moderator: topics.insert("moderation.waiting")
            case .staff, .analyst: topics.insert("petition.threshold")
            }
        }
        return topics.sorted()
    }

    func page(for account: Account, unreadOnly: Bool, before: UUID?, limit: Int) async throws -> StaffNotificationPage {
        try await ServiceCall(web: web).ask(ListStaffNotifications(topics: Self.topics(for: account.roles), unreadOnly: unreadOnly, before: before, limit: limit))
    }
}
