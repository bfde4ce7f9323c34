import DialogueContracts
import Foundation
import Hummingbird
import Identity
import Wording

/// What a person is told and how often (`/compte/notifications`), and the page an
/// unsubscribe link opens (`/desabonnement`): it works without signing in, and only the
/// button's POST unsubscribes, so a mail scanner's GET changes nothing.
struct NotificationPreferencePages: Sendable {
    let web: WebDependencies

    func register(on pages: SecuredRoutes) {
        pages.get("compte/notifications", .signedIn) { request, context in try await preferences(request, context) }
        pages.post("compte/notifications", .signedIn) { request, context in try await savePreferences(request, context) }
        pages.get("desabonnement", .everyone) { request, context in
            let token = request.uri.queryParameters.get("jeton") ?? ""
            let target = try await call.ask(InspectUnsubscribeToken(token: token))
            return web.render(Page("unsubscribe", title: "Se désabonner", model: UnsubscribePage(target, token: token, done: false)), request, context)
        }
        pages.post("desabonnement", .everyone) { request, context in
            let token = context.form["jeton"] ?? ""
            let target = try await call.ask(UnsubscribeWithToken(token: token))
            return web.render(Page("unsubscribe", title: "Désabonnement enregistré", model: UnsubscribePage(target, token: token, done: true)), request, context)
        }
    }

    private var call: ServiceCall { ServiceCall(web: web) }


    private func preferences(_ request: Request, _ context: WebContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let account = try context.requireAccount()
        let current = try await call.ask(GetNotificationPreferences(accountID: account.id, staffRoles: account.roles.map(\.rawValue)))
        let model = NotificationChoicesPage(topics: current.choices.map(NotificationChoicesPage.Topic.init), unconfirmed: !account.isConfirmed)
        return web.render(Page("account-notifications", title: "Mes notifications", status: status, model: model), request, context)
    }

    private func savePreferences(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let roles = account.roles.map(\.rawValue)
        // Only the topics offered to this person, each with a known frequency; anything else is ignored.
        let choices = NotificationTopic.offered(toStaffRoles: Set(roles)).compactMap { topic -> NotificationPreferences.Choice? in
            guard let frequency = context.form[topic.rawValue].flatMap(NotificationFrequency.init(rawValue:)) else { return nil }
            return NotificationPreferences.Choice(topic: topic, frequency: frequency)
        }
        _ = try await call.ask(SaveNotificationPreferences(accountID: account.id, staffRoles: roles, choices: choices))
        return PageRenderer.redirect(to: "/compte/notifications", notice: NotificationNotice.preferencesSaved)
    }
}

/// `/compte/notifications`: each topic offered to the person, with how often it is mailed.
struct NotificationChoicesPage {
    struct Topic {
        struct Frequency {
            let value: String
            let label: String
            let checked: Bool
        }

        /// The form field's name (the topic's code).
        let topic: String
        let label: String
        /// The radio buttons' ids start with it.
        let id: String
        let choices: [Frequency]

        init(_ choice: NotificationPreferences.Choice) {
            topic = choice.topic.rawValue
            label = choice.topic.frenchLabel
            id = choice.topic.rawValue.replacingOccurrences(of: ".", with: "-")
            choices = NotificationFrequency.allCases.map { Frequency(value: $0.rawValue, label: $0.frenchLabel, checked: $0 == choice.frequency) }
        }
    }

    let topics: [Topic]
    let unconfirmed: Bool
}

/// The page an unsubscribe link opens, before and after its button.
struct UnsubscribePage {
    let topic: String
    let email: String
    let token: String
    let done: Bool

    init(_ target: UnsubscribeTarget, token: String, done: Bool) {
        topic = target.topic.frenchLabel.lowercased()
        email = target.maskedEmail
        self.token = token
        self.done = done
    }
}
