import DialogueContracts
import Foundation
import Gateway
import Identity
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import ServiceKit
import Synchronization
import TestSupport
import Testing

/// A browser, as far as the gateway can tell: keeps the cookies the site sets and sends them
/// back, reads the CSRF token of a page's form, posts forms URL-encoded.
final class WebSession: Sendable {
    let client: any TestClientProtocol
    /// Whether the gateway runs with `secureCookies` (then its cookies are named `__Host-…`).
    let secureCookies: Bool
    private let jar = Mutex<[String: String]>([:])

    init(_ client: any TestClientProtocol, secureCookies: Bool = false) {
        self.client = client
        self.secureCookies = secureCookies
    }

    var sessionCookieName: String { secureCookies ? "__Host-dialogue_session" : "dialogue_session" }
    var csrfCookieName: String { secureCookies ? "__Host-dialogue_csrf" : "dialogue_csrf" }

    /// The session cookie's value, if the site set one that was not cleared since.
    var sessionToken: String? { cookie(sessionCookieName) }

    func cookie(_ name: String) -> String? {
        jar.withLock { $0[name] }
    }

    /// Sets (or with nil, removes) a cookie, as an attacker or an old browser tab could.
    func setCookie(_ name: String, _ value: String?) {
        jar.withLock { $0[name] = value }
    }

    // MARK: Requests

    func request(_ uri: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:], body: ByteBuffer? = nil) async throws -> TestResponse {
        var headers = headers
        let cookies = jar.withLock { $0 }
        if headers[.cookie] == nil, !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        jar.withLock { jar in
            for cookie in response.setCookies {
                jar[cookie.name] = cookie.removesCookie ? nil : cookie.value
            }
        }
        return response
    }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await request(uri, headers: headers)
    }

    /// Posts `fields` URL-encoded, exactly as given: add `_csrf` yourself (or leave it out).
    func post(_ uri: String, fields: [(String, String)], headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await request(uri, method: .post, headers: headers, body: ByteBuffer(string: Self.formEncoded(fields)))
    }

    /// This visitor's CSRF token, read from the form of `page` (which also gives an anonymous
    /// visitor the cookie the token derives from).
    func csrfToken(from page: String = "/connexion") async throws -> String {
        let response = try await get(page)
        guard let token = response.hiddenField("_csrf") else { throw UnexpectedResponse(response: response) }
        return token
    }

    /// Posts a form with this visitor's CSRF token, as a browser does after loading `page`.
    func submit(_ uri: String, _ fields: [(String, String)], from page: String = "/connexion") async throws -> TestResponse {
        let token = try await csrfToken(from: page)
        return try await post(uri, fields: [("_csrf", token)] + fields)
    }

    /// Signs in through the sign-in form.
    @discardableResult
    func signIn(_ email: String, _ password: String, returnTo: String? = nil) async throws -> TestResponse {
        try await submit("/connexion", [("email", email), ("password", password)] + (returnTo.map { [("retour", $0)] } ?? []))
    }

    /// `application/x-www-form-urlencoded`, every byte but the unreserved ones percent-encoded.
    static func formEncoded(_ fields: [(String, String)]) -> String {
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "" }
        return fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    /// A query parameter's value, percent-encoded for a URI.
    static func query(_ value: String) -> String {
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}

/// One `Set-Cookie` header.
struct SetCookie: Sendable {
    let name: String
    let value: String
    /// Attributes by lower-cased name; flags (`HttpOnly`, `Secure`) have an empty value.
    let attributes: [String: String]

    init?(_ header: String) {
        let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, let equals = first.firstIndex(of: "=") else { return nil }
        name = String(first[..<equals])
        value = String(first[first.index(after: equals)...])
        var attributes: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            attributes[pair[0].lowercased()] = pair.count > 1 ? pair[1] : ""
        }
        self.attributes = attributes
    }

    var httpOnly: Bool { attributes["httponly"] != nil }
    var secure: Bool { attributes["secure"] != nil }
    var sameSite: String? { attributes["samesite"] }
    var path: String? { attributes["path"] }
    var maxAge: Int? { attributes["max-age"].flatMap { Int($0) } }
    /// The browser drops the cookie.
    var removesCookie: Bool { value.isEmpty || (maxAge.map { $0 <= 0 } ?? false) }
}

extension TestResponse {
    var setCookies: [SetCookie] { headers[values: .setCookie].compactMap(SetCookie.init) }

    func setCookie(named name: String) -> SetCookie? { setCookies.last { $0.name == name } }

    var location: String? { headers[.location] }

    /// A header by name (for those HTTPTypes does not name).
    func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }

    var isHTML: Bool { headers[.contentType]?.hasPrefix("text/html") == true }

    /// A 303 to the sign-in page.
    var redirectsToSignIn: Bool {
        status == .seeOther && location?.hasPrefix("/connexion") == true
    }

    /// The `retour` of a redirect to the sign-in page, decoded.
    var signInReturn: String? {
        guard let location, location.hasPrefix("/connexion") else { return nil }
        return URLComponents(string: location)?.queryItems?.first { $0.name == "retour" }?.value
    }

    /// The value of the first form field named `name` (a hidden field's, typically).
    func hiddenField(_ name: String) -> String? {
        let marker = "name=\"\(name)\" value=\""
        guard let start = text.range(of: marker) else { return nil }
        let rest = text[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}

// MARK: - Accounts

/// An account made for one test, with the password it signs in with.
struct TestAccount: Sendable {
    let id: UUID
    let email: String
    let password: String
    let roles: Set<StaffRole>
}

/// An address no other test uses.
func uniqueEmail(_ prefix: String = "camille") -> String {
    "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())@exemple.fr"
}

/// A password the gateway accepts (12 characters at least, varied).
let testPassword = "Une phrase de passe solide 2024"

extension GatewayStack {
    private var accountStore: AccountStore { AccountStore(client: gateway.database, logger: TestEnvironment.logger) }

    /// A citizen, created as registration does (its confirmation mail queued); confirmed unless told.
    func makeCitizen(
        email: String = uniqueEmail(), password: String = testPassword, displayName: String? = nil,
        postcode: String? = nil, commune: String? = nil, confirmed: Bool = true
    ) async throws -> TestAccount {
        let hash = try await PasswordHasher(cost: 4).hash(password)
        let account = try await accountStore.registerCitizen(
            email: email, passwordHash: hash, displayName: displayName, postcode: postcode, commune: commune,
            links: LinkBuilder(baseURL: "http://localhost:8080")
        )
        if confirmed {
            try await gateway.database.query("UPDATE accounts SET email_confirmed_at = now() WHERE id = \(account.id)", logger: TestEnvironment.logger)
        }
        return TestAccount(id: account.id, email: email, password: password, roles: [])
    }

    /// A staff account holding `roles`, with a password.
    func makeStaff(_ roles: Set<StaffRole>, email: String = uniqueEmail("equipe"), password: String = testPassword) async throws -> TestAccount {
        let hash = try await PasswordHasher(cost: 4).hash(password)
        let account = try await accountStore.upsertStaff(email: email, displayName: nil, roles: roles, passwordHash: hash)
        return TestAccount(id: account.id, email: email, password: password, roles: roles)
    }

    /// A session opened for `account` the way sign-in opens one; returns the cookie's value.
    func openSession(for account: TestAccount) async throws -> String {
        try await SessionStore(
            client: gateway.database, logger: TestEnvironment.logger, idleTimeout: .seconds(3600), maximumAge: .seconds(24 * 3600)
        ).open(for: account.id)
    }

    /// A staff bearer token of `account`'s (the back-office issues them to staff).
    func issueToken(for account: TestAccount) async throws -> String {
        guard let stored = try await accountStore.account(id: account.id) else { throw AccountError.notFound }
        return try await APITokenStore(client: gateway.database, logger: TestEnvironment.logger).issue(to: stored, label: "tests", lifetimeDays: 1)
    }

    /// A personal (citizen) bearer token of `account`'s, as `/compte/jetons` issues it (a
    /// confirmed address only).
    func issuePersonalToken(for account: TestAccount, days: Int = 1) async throws -> String {
        guard let stored = try await accountStore.account(id: account.id) else { throw AccountError.notFound }
        return try await APITokenStore(client: gateway.database, logger: TestEnvironment.logger).issuePersonal(to: stored, label: "tests", lifetimeDays: days)
    }
}

extension GatewaySettings {
    /// Fast bcrypt, cookies for plain HTTP, no petition cache, and rate limits no test reaches
    /// unless it sets its own.
    static func forSecurityTests(
        rateLimits: RateLimits = .generous, trustedProxies: TrustedProxies = TrustedProxies(), secureCookies: Bool = false
    ) -> GatewaySettings {
        GatewaySettings(
            petitionCacheTTL: .zero, secureCookies: secureCookies, trustedProxies: trustedProxies, bcryptCost: 4, rateLimits: rateLimits
        )
    }
}

extension GatewaySettings.RateLimits {
    static var generous: Self {
        var limits = Self()
        limits.signIn.limit = 10_000
        limits.registration.limit = 10_000
        limits.passwordReset.limit = 10_000
        limits.signatureBurst.limit = 10_000
        limits.signatureSustained.limit = 10_000
        limits.signatureDomain.limit = 10_000
        limits.petitionDeposit.limit = 10_000
        return limits
    }
}

extension Probe {
    /// The JSON bodies of the identity outbox's messages of `type`, oldest first.
    func identityOutbox(_ type: String) async throws -> [String] {
        try await texts("SELECT convert_from(body, 'UTF8') FROM identity.outbox WHERE message_type = \(type) ORDER BY id").compactMap { $0 }
    }

    /// The token of the newest link mailed to `account` (`jeton=` of the URL in the outbox event).
    func mailedToken(_ type: String, to account: UUID) async throws -> String? {
        let key = type == "account.password_reset_requested" ? "resetURL" : "confirmationURL"
        let urls = try await texts(
            """
            SELECT convert_from(body, 'UTF8')::jsonb ->> \(key) FROM identity.outbox
            WHERE message_type = \(type) AND (convert_from(body, 'UTF8')::jsonb ->> 'accountID')::uuid = \(account)
            ORDER BY id DESC LIMIT 1
            """
        )
        guard let url = urls.first ?? nil else { return nil }
        return URLComponents(string: url)?.queryItems?.first { $0.name == "jeton" }?.value
    }

    func execute(_ query: PostgresQuery) async throws {
        try await client.query(query, logger: TestEnvironment.logger)
    }
}
