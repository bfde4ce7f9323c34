import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// `/admin/envois-en-echec`: the mails that could not be sent, for an administrator to see
/// what failed and why, and send one again. The worker answers with the recipients masked.
struct FailedDeliveryPages: Sendable {
    let web: WebDependencies

    static let path = "/admin/envois-en-echec"

    func register(on admin: SecuredRoutes) {
        admin.get("envois-en-echec", .staff([.administrator])) { request, context in try await list(request, context) }
        admin.post("envois-en-echec/{id}/renvoyer", .staff([.administrator])) { _, context in
            let account = try context.requireAccount()
            // Audited by the worker, in the transaction that queues the mail again.
            _ = try await ServiceCall(web: web).ask(
                ResendFailedDelivery(deliveryID: try context.requiredID(), staffID: account.id, staffName: account.shownName)
            )
            // Back to the list (first page, the same filters), which no longer shows the mail.
            let back = context.form["retour"].flatMap { $0.hasPrefix(Self.path) && !$0.contains("//") ? $0 : nil } ?? Self.path
            return PageRenderer.redirect(to: back, notice: NotificationNotice.mailResent)
        }
    }

    private func list(_ request: Request, _ context: WebContext) async throws -> Response {
        let query = request.uri.queryParameters
        let address = query.get("adresse").map { String($0.trimmingCharacters(in: .whitespaces).prefix(200)) }.flatMap { $0.isEmpty ? nil : $0 }
        let template = query.get("type").map { String($0.prefix(100)) }.flatMap { $0.isEmpty ? nil : $0 }
        let before = query.get("avant").flatMap(UUID.init(uuidString:))
        let page = try await ServiceCall(web: web).ask(ListFailedDeliveries(template: template, address: address, before: before, limit: 30))
        var filters = [URLQueryItem]()
        if let address { filters.append(URLQueryItem(name: "adresse", value: address)) }
        if let template { filters.append(URLQueryItem(name: "type", value: template)) }
        func queryString(_ items: [URLQueryItem]) -> String {
            var components = URLComponents()
            components.queryItems = items
            return items.isEmpty ? "" : "?" + (components.percentEncodedQuery ?? "")
        }
        let next = page.next.map { queryString(filters + [URLQueryItem(name: "avant", value: $0.uuidString.lowercased())]) }
        let model = FailedDeliveryListPage(
            total: page.total,
            address: address,
            typeChoices: page.templates.map { Choice(value: $0, label: Self.label(of: $0), selected: $0 == template) },
            entries: page.entries.map { FailedDeliveryListPage.Entry($0, returnTo: Self.path + queryString(filters)) },
            filtered: address != nil || template != nil,
            next: next
        )
        return web.render(Page("admin-failed-deliveries", title: "Courriels en échec", model: model), request, context)
    }

    /// The kinds of mail, as staff know them; a kind added later shows its technical name until it gets one here.
    static func label(of template: String) -> String {
        switch template {
        case "account.email_confirmation": "Confirmation d'adresse"
        case "account.password_reset": "Nouveau mot de passe ou invitation"
        case "account.registration_attempt": "Tentative d'inscription avec une adresse déjà inscrite"
        case "petition.signature_confirmation": "Confirmation de signature"
        case "petition.signed_again": "Signature déjà enregistrée"
        case "petition.answer_to_signatory": "Réponse de l'assemblée à un signataire"
        case "survey.answer_link": "Lien pour répondre à une enquête"
        case "digest.daily": "Résumé quotidien"
        case "digest.weekly": "Résumé hebdomadaire"
        default: NotificationTopic(rawValue: template).map { _ in "Notification (\(template))" } ?? template
        }
    }
}

/// `/admin/envois-en-echec`.
struct FailedDeliveryListPage {
    struct Entry {
        let id: String
        let type: String
        let recipient: String
        let subject: String
        let reason: String
        let attempts: Int
        /// "(renvoyé 2 fois)", or nil when staff never sent it again.
        let resentNote: String?
        let at: String
        let isoAt: String
        let resendable: Bool
        let notResendableBecause: String?
        /// Where the resend comes back to (the list with its filters).
        let returnTo: String

        init(_ delivery: FailedDelivery, returnTo: String) {
            id = delivery.id.uuidString.lowercased()
            type = FailedDeliveryPages.label(of: delivery.template)
            recipient = delivery.maskedRecipient ?? "(compte supprimé)"
            subject = delivery.subject ?? ""
            reason = [delivery.lastSMTPCode.map { "code \($0)" }, delivery.reason].compactMap { $0 }.joined(separator: " — ")
            attempts = delivery.attempts
            resentNote = delivery.resends > 0 ? "(renvoyé \(delivery.resends) fois)" : nil
            at = FrenchDate.dateTime(delivery.failedAt)
            isoAt = delivery.failedAt.ISO8601Format()
            resendable = delivery.resendable
            notResendableBecause = delivery.notResendableBecause
            self.returnTo = returnTo
        }
    }

    let total: Int
    let address: String?
    let typeChoices: [Choice]
    let entries: [Entry]
    let empty: Bool
    let filtered: Bool
    let next: String?

    init(total: Int, address: String?, typeChoices: [Choice], entries: [Entry], filtered: Bool, next: String?) {
        self.total = total
        self.address = address
        self.typeChoices = typeChoices
        self.entries = entries
        self.empty = entries.isEmpty
        self.filtered = filtered
        self.next = next
    }
}
