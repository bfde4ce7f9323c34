import DialogueContracts
import Foundation
import Hummingbird
import Identity

/// The staff inbox in the JSON API, authenticated by bearer token.
struct StaffInboxAPI: Sendable {
    let web: WebDependencies

    func register(on api: SecuredRoutes) {
        api.get("staff-notifications", .anyStaff) { request, context in
            let account = try context.requireAccount()
            let query = APIQuery(request)
            let limit = try query.integer("limit", in: 1...100) ?? 50
            let before = try query.uuid("before")
            let unreadOnly = try query.boolean("unread") ?? false
            let page = try await StaffInbox(web: web).page(for: account, unreadOnly: unreadOnly, before: before, limit: limit)
            return try JSONResponse.make(page)
        }
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
