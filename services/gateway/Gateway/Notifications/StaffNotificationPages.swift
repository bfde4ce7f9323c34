import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// The staff inbox (`/admin/notifications`) and the log of mails sent (`/admin/envois`).
struct StaffNotificationPages: Sendable {
    let web: WebDependencies

    func register(on admin: SecuredRoutes) {
        admin.get("envois", .staff([.administrator])) { request, context in try await deliveries(request, context) }
        admin.get("notifications", .anyStaff) { request, context in try await inbox(request, context) }
        admin.post("notifications/{id}/lue", .anyStaff) { _, context in
            let id = try context.requiredID()
            let roles = try context.requireAccount().roles
            _ = try await ServiceCall(web: web).ask(MarkStaffNotificationRead(notificationID: id, topics: StaffInbox.topics(for: roles)))
            return PageRenderer.redirect(to: "/admin/notifications")
        }
    }


    /// The mails sent or not, for an administrator looking into "I never got the mail".
    private func deliveries(_ request: Request, _ context: WebContext) async throws -> Response {
        let address = request.uri.queryParameters.get("adresse").map { String($0.trimmingCharacters(in: .whitespaces).prefix(200)) }
            .flatMap { $0.isEmpty ? nil : $0 }
        let status = request.uri.queryParameters.get("etat").flatMap { Self.deliveryStates[$0] == nil ? nil : $0 }
        let before = request.uri.queryParameters.get("avant").flatMap(UUID.init(uuidString:))
        let page = try await ServiceCall(web: web).ask(SearchDeliveries(address: address, status: status, before: before, limit: 50))
        var filters = [URLQueryItem]()
        if let address { filters.append(URLQueryItem(name: "adresse", value: address)) }
        if let status { filters.append(URLQueryItem(name: "etat", value: status)) }
        var next = URLComponents()
        next.queryItems = filters + (page.next.map { [URLQueryItem(name: "avant", value: $0.uuidString.lowercased())] } ?? [])
        let model = DeliveryLogPage(
            address: address,
            stateChoices: Self.deliveryStates.sorted { $0.key < $1.key }.map { Choice(value: $0.key, label: $0.value, selected: $0.key == status) },
            entries: page.entries.map(DeliveryLogPage.Entry.init),
            next: page.next == nil ? nil : "?" + (next.percentEncodedQuery ?? "")
        )
        return web.render(Page("admin-deliveries", title: "Courriels envoyés", model: model), request, context)
    }

    static let deliveryStates = [
        "pending": "En attente", "sending": "En cours d'envoi", "sent": "Envoyé", "failed": "Non envoyé",
        "suppressed": "Retenu (limite d'envois par destinataire)",
    ]


    private func inbox(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let cursor = request.uri.queryParameters.get("avant").flatMap(UUID.init(uuidString:))
        let unreadOnly = request.uri.queryParameters.get("non-lues") == "1"
        let page = try await StaffInbox(web: web).page(for: account, unreadOnly: unreadOnly, before: cursor, limit: 30)
        let model = StaffInboxPage(
            items: page.items.map(StaffInboxPage.Item.init), unreadCount: page.unreadCount, unreadOnly: unreadOnly,
            next: page.next.map { "?avant=\($0.uuidString.lowercased())\(unreadOnly ? "&non-lues=1" : "")" }
        )
        return web.render(Page("admin-notifications", title: "Notifications", model: model), request, context)
    }
}

/// `/admin/envois`: the mails sent or not, searched by address and state.
struct DeliveryLogPage {
    struct Entry {
        let recipient: String
        let subject: String
        let state: String
        let attempts: Int
        let detail: String
        let at: String
        let isoAt: String
        let sentAt: String?

        init(_ entry: DeliveryLogEntry) {
            recipient = entry.recipient ?? "(compte supprimé)"
            subject = entry.subject ?? entry.template
            state = StaffNotificationPages.deliveryStates[entry.status] ?? entry.status
            attempts = entry.attempts
            detail = [entry.lastSMTPCode.map { "code \($0)" }, entry.lastError].compactMap { $0 }.joined(separator: " — ")
            at = FrenchDate.dateTime(entry.createdAt)
            isoAt = entry.createdAt.ISO8601Format()
            sentAt = entry.sentAt.map(FrenchDate.dateTime)
        }
    }

    let address: String?
    let stateChoices: [Choice]
    let entries: [Entry]
    let empty: Bool
    let next: String?

    init(address: String?, stateChoices: [Choice], entries: [Entry], next: String?) {
        self.address = address
        self.stateChoices = stateChoices
        self.entries = entries
        self.empty = entries.isEmpty
        self.next = next
    }
}

/// `/admin/notifications`: the staff inbox, newest first.
struct StaffInboxPage {
    struct Item {
        let id: String
        let title: String
        let body: String
        /// Only a back-office path: a notification never links elsewhere.
        let link: String?
        let at: String
        let isoAt: String
        let unread: Bool

        init(_ item: StaffNotificationView) {
            id = item.id.uuidString.lowercased()
            title = item.title
            body = item.body
            link = item.link.flatMap { $0.hasPrefix("/") ? $0 : nil }
            at = FrenchDate.dateTime(item.createdAt)
            isoAt = item.createdAt.ISO8601Format()
            unread = item.readAt == nil
        }
    }

    let items: [Item]
    let empty: Bool
    let unreadCount: Int
    let unreadOnly: Bool
    let next: String?

    init(items: [Item], unreadCount: Int, unreadOnly: Bool, next: String?) {
        self.items = items
        self.empty = items.isEmpty
        self.unreadCount = unreadCount
        self.unreadOnly = unreadOnly
        self.next = next
    }
}
