public import Foundation

/// A page of the public site that something outside the gateway links to (a mail, a
/// service's event), as a path with its query: the one table of those paths.
///
/// Ids are written lowercased and tokens percent-encoded here, once, so no caller spells a
/// path or encodes a token of its own.
public struct SitePath: Sendable, Hashable, CustomStringConvertible {
    /// The pages, each as the route the gateway serves it (`{id}` stands for an id).
    public enum Page: String, Sendable, CaseIterable {
        case petition = "/petitions/{id}"
        case signatureConfirmation = "/confirmer-signature"
        case emailConfirmation = "/confirmation"
        case passwordReset = "/mot-de-passe/nouveau"
        case signIn = "/connexion"
        case forgottenPassword = "/mot-de-passe-oublie"
        case unsubscribe = "/desabonnement"
        case notificationPreferences = "/compte/notifications"
        case staffInbox = "/admin/notifications"
        case staffPetition = "/admin/petitions/{id}"
        case moderationQueue = "/admin/moderation"
        case surveyAnswering = "/enquetes/{id}/repondre"
        case consultation = "/consultations/{id}"
        case process = "/processus/{id}"
        case contribution = "/contributions/{id}"
        case workshop = "/ateliers/{id}"
        case workshopRegistration = "/inscription-atelier"
        case workshopInvitation = "/inscription-atelier/invitation.ics"
        case staffWorkshop = "/admin/ateliers/{id}"
        case processRecommendations = "/processus/{id}/recommandations"
        case recommendation = "/recommandations/{id}"

        /// The route as the gateway's catalogue lists it.
        public var route: String { rawValue }
    }

    public let page: Page
    /// The path and query to link to, e.g. `/petitions/4f0c…`.
    public let path: String

    public var description: String { path }

    /// The query parameter that carries a single-use or signed token.
    public static let tokenParameter = "jeton"

    private init(_ page: Page, id: UUID? = nil, token: String? = nil) {
        var path = page.route
        if let id { path = path.replacingOccurrences(of: "{id}", with: id.uuidString.lowercased()) }
        if let token { path += "?\(Self.tokenParameter)=" + Self.percentEncoded(token) }
        self.page = page
        self.path = path
    }

    /// A petition's public page.
    public static func petition(_ id: UUID) -> SitePath { SitePath(.petition, id: id) }
    /// The page whose button confirms a petition signature.
    public static func signatureConfirmation(token: String) -> SitePath { SitePath(.signatureConfirmation, token: token) }
    /// The page whose button confirms an account's e-mail address.
    public static func emailConfirmation(token: String) -> SitePath { SitePath(.emailConfirmation, token: token) }
    /// The page that sets a new password (also how invited staff choose their first one).
    public static func passwordReset(token: String) -> SitePath { SitePath(.passwordReset, token: token) }
    /// The sign-in page.
    public static let signIn = SitePath(.signIn)
    /// The page that mails a password reset link.
    public static let forgottenPassword = SitePath(.forgottenPassword)
    /// The page a mail's signed unsubscribe link opens; it works without signing in.
    public static func unsubscribe(token: String) -> SitePath { SitePath(.unsubscribe, token: token) }
    /// A person's choices of what they are told and how often.
    public static let notificationPreferences = SitePath(.notificationPreferences)
    /// The staff in-app inbox.
    public static let staffInbox = SitePath(.staffInbox)
    /// A petition as staff see it (where threshold alerts point).
    public static func staffPetition(_ id: UUID) -> SitePath { SitePath(.staffPetition, id: id) }
    /// The moderation queue.
    public static let moderationQueue = SitePath(.moderationQueue)
    /// A survey's answering form, opened with a mailed link by a person without an account.
    public static func surveyAnswering(_ id: UUID, token: String) -> SitePath { SitePath(.surveyAnswering, id: id, token: token) }
    /// A consultation's public page, with its contributions.
    public static func consultation(_ id: UUID) -> SitePath { SitePath(.consultation, id: id) }
    /// A participatory process's page and timeline.
    public static func process(_ id: UUID) -> SitePath { SitePath(.process, id: id) }
    /// A published contribution's own page, with what became of it.
    public static func contribution(_ id: UUID) -> SitePath { SitePath(.contribution, id: id) }
    /// A workshop's page, with its seats left and the registration form.
    public static func workshop(_ id: UUID) -> SitePath { SitePath(.workshop, id: id) }
    /// A registration to a workshop, opened with its token: status, check-in code, cancel button.
    public static func workshopRegistration(token: String) -> SitePath { SitePath(.workshopRegistration, token: token) }
    /// The iCalendar invitation of a registration.
    public static func workshopInvitation(token: String) -> SitePath { SitePath(.workshopInvitation, token: token) }
    /// A workshop's registrations as staff see them (where fill-level alerts point).
    public static func staffWorkshop(_ id: UUID) -> SitePath { SitePath(.staffWorkshop, id: id) }
    /// A process's orientation report: its recommendations, their fates and milestones.
    public static func processRecommendations(_ id: UUID) -> SitePath { SitePath(.processRecommendations, id: id) }
    /// A recommendation's page, with the contributions it draws on.
    public static func recommendation(_ id: UUID) -> SitePath { SitePath(.recommendation, id: id) }

    /// RFC 3986 unreserved characters: a base64url token passes unchanged, anything else is encoded.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func percentEncoded(_ token: String) -> String {
        token.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}

/// The public site's address, which turns a `SitePath` into the absolute link a mail carries.
public struct SiteAddress: Sendable, Hashable {
    /// `https://host[:port][/prefix]`, without a trailing slash.
    public let baseURL: String

    public init(baseURL: String) {
        var baseURL = baseURL
        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        self.baseURL = baseURL
    }

    public func url(_ path: SitePath) -> String { baseURL + path.path }
}
