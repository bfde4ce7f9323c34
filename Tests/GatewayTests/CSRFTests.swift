import Foundation
import Gateway
import Identity
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing
import TestSupport

/// Every form of the site refuses a post without this visitor's CSRF token, and changes nothing.
@Suite struct CSRFTests {
    /// Everything the identity schema holds, as one fingerprint per table (sessions by count:
    /// reading a session may move its expiry).
    static func snapshot(_ probe: Probe) async throws -> [String?] {
        var fingerprints: [String?] = []
        for table in ["accounts", "account_tokens", "api_tokens", "audit_log", "outbox"] {
            fingerprints += try await probe.texts(PostgresQueryText.fingerprint(of: table))
        }
        fingerprints.append(String(try await probe.int("SELECT count(*)::int8 FROM identity.sessions")))
        return fingerprints
    }

    @Test func everyFormRefusesAMissingOrForeignTokenAndChangesNothing() async throws {
        let stack = try await GatewayStack.make()
        let catalog = RouteCatalog()
        try await stack.run(settings: .forSecurityTests(), catalog: catalog) { client, probe in
            // setup: the victim is an administrator (every form is open to them), signed in
            let administrator = try await stack.makeStaff([.administrator])
            let citizen = try await stack.makeCitizen()
            let unconfirmed = try await stack.makeCitizen(confirmed: false)
            let confirmationToken = try #require(try await probe.mailedToken("account.email_confirmation_requested", to: unconfirmed.id))
            let victim = WebSession(client)
            try await victim.signIn(administrator.email, administrator.password)
            #expect(try await victim.get("/admin").status == .ok)
            let adminToken = try await stack.issueToken(for: administrator)
            let tokenID = try #require(try await probe.texts("SELECT id::text FROM identity.api_tokens WHERE account_id = \(administrator.id)").first ?? nil)
            // Tokens an attacker can get: their own, anonymous or signed in.
            let anonymousAttacker = try await WebSession(client).csrfToken()
            let signedInAttacker = WebSession(client)
            try await signedInAttacker.signIn(citizen.email, citizen.password)
            let attackerTokens = [anonymousAttacker, try await signedInAttacker.csrfToken()]
            #expect(try await victim.csrfToken() != attackerTokens[0])

            // What each form would do with a valid token.
            let fields: [String: [(String, String)]] = [
                "/connexion": [("email", citizen.email), ("password", citizen.password)],
                "/inscription": [
                    ("email", "nouveau-\(UUID().uuidString.prefix(6))@exemple.fr"), ("password", testPassword),
                    ("password_confirmation", testPassword), ("terms", "1"),
                ],
                "/confirmation": [("jeton", confirmationToken)],
                "/mot-de-passe-oublie": [("email", administrator.email)],
                "/compte": [("display_name", "Compte piraté"), ("commune", "Ailleurs")],
                "/compte/mot-de-passe": [("current_password", administrator.password), ("new_password", "Un mot de passe choisi par un tiers")],
                "/compte/suppression": [("password", administrator.password)],
                "/admin/utilisateurs": [("email", "complice-\(UUID().uuidString.prefix(6))@exemple.fr"), ("roles", "administrator")],
                "/admin/utilisateurs/{id}/roles": [("roles", "administrator")],
                "/admin/utilisateurs/{id}/statut": [("action", "desactiver")],
                "/admin/jetons": [("label", "jeton du tiers")],
                "/compte/jetons": [("label", "jeton du tiers"), ("days", "365")],
            ]
            func uri(_ path: String) -> String {
                switch path {
                case "/admin/utilisateurs/{id}/roles", "/admin/utilisateurs/{id}/statut":
                    path.replacingOccurrences(of: "{id}", with: citizen.id.uuidString.lowercased())
                case "/admin/jetons/{id}/revocation":
                    path.replacingOccurrences(of: "{id}", with: tokenID)
                default:
                    path.replacingOccurrences(of: "{id}", with: UUID().uuidString.lowercased())
                }
            }
            let forms = catalog.all.filter { $0.method == .post && !$0.path.hasPrefix("/api/") }
            #expect(forms.count >= 12)
            #expect(forms.contains { $0.path == "/inscription" })
            #expect(forms.contains { $0.path == "/admin/utilisateurs/{id}/roles" })
            let before = try await Self.snapshot(probe)

            // act and check
            for form in forms {
                let values = fields[form.path] ?? []
                let attempts: [(String, [(String, String)])] = [
                    ("no token", values),
                    ("empty token", [("_csrf", "")] + values),
                    ("an anonymous visitor's token", [("_csrf", attackerTokens[0])] + values),
                    ("another account's token", [("_csrf", attackerTokens[1])] + values),
                ]
                for (what, body) in attempts {
                    let response = try await victim.post(uri(form.path), fields: body)
                    #expect(response.status == .forbidden, "POST \(form.path) with \(what)")
                    #expect(response.isHTML, "POST \(form.path) with \(what)")
                    #expect(response.text.contains("Formulaire expiré"), "POST \(form.path) with \(what)")
                }
            }

            // Nothing changed: no account, role, token, mail or log entry; the victim is still signed in.
            #expect(try await Self.snapshot(probe) == before)
            #expect(try await victim.get("/admin").status == .ok)
            #expect(try await probe.texts("SELECT array_to_string(roles, ',') FROM identity.accounts WHERE id = \(citizen.id)") == [""])
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.accounts WHERE email_confirmed_at IS NULL AND id = \(unconfirmed.id)") == 1)
            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(adminToken)"])
            #expect(me.status == .ok)

            // The same profile form with the victim's own token goes through: the check is the token.
            let saved = try await victim.submit("/compte", fields["/compte"] ?? [], from: "/compte")
            #expect(saved.status == .seeOther)
            #expect(try await probe.texts("SELECT display_name FROM identity.accounts WHERE id = \(administrator.id)") == ["Compte piraté"])
            #expect(try await Self.snapshot(probe) != before)
        }
    }

    @Test func registrationWithoutTheTokenCreatesNoAccount() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: a visitor who has the site's CSRF cookie, and an attacker's token
            let web = WebSession(client)
            _ = try await web.csrfToken(from: "/inscription")
            let foreign = try await WebSession(client).csrfToken(from: "/inscription")
            let email = uniqueEmail("inscription")
            let fields = [("email", email), ("password", testPassword), ("password_confirmation", testPassword), ("terms", "1")]

            // act
            let missing = try await web.post("/inscription", fields: fields)
            let wrong = try await web.post("/inscription", fields: [("_csrf", foreign)] + fields)
            let notAForm = try await web.request(
                "/inscription", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"email": "\#(email)", "password": "\#(testPassword)", "terms": "1"}"#)
            )

            // check
            #expect(missing.status == .forbidden)
            #expect(wrong.status == .forbidden)
            #expect(notAForm.status == .unsupportedMediaType)
            #expect(web.sessionToken == nil)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.accounts") == 0)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.outbox") == 0)

            // With the visitor's own token, the same form creates the account.
            let created = try await web.submit("/inscription", fields, from: "/inscription")
            #expect(created.status == .seeOther)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.accounts WHERE email = \(email)") == 1)
        }
    }

    @Test func aTokenDoesNotOutliveTheSessionItWasMadeFor() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: a form loaded before signing in
            let citizen = try await stack.makeCitizen()
            let web = WebSession(client)
            let before = try await web.csrfToken()
            try await web.signIn(citizen.email, citizen.password)

            // act: the old form, sent once signed in
            let response = try await web.post("/compte", fields: [("_csrf", before), ("display_name", "Ancien formulaire")])

            // check
            #expect(response.status == .forbidden)
            #expect(try await probe.texts("SELECT display_name FROM identity.accounts WHERE id = \(citizen.id)") == [nil])
            #expect(try await web.csrfToken() != before)
        }
    }
}

/// Fingerprints of identity tables for the snapshot.
enum PostgresQueryText {
    static func fingerprint(of table: String) -> PostgresQuery {
        // Table names are this file's constants, never input.
        PostgresQuery(unsafeSQL: "SELECT '\(table):' || count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM identity.\(table) t")
    }
}
