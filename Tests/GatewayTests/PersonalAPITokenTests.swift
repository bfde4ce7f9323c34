import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import NIOCore
import PostgresNIO
import Testing
import TestSupport

/// Personal API tokens (`/compte/jetons`): a person with a confirmed address creates one with a
/// name and a lifetime, sees it once, lists and revokes it; it is stored hashed, acts as a
/// citizen only (never on a staff operation, whatever the account's roles), and dies with a
/// new password or the account's erasure.
@Suite struct PersonalAPITokenTests {
    /// The secret shown once on the page after creation.
    static func shownToken(_ response: TestResponse) -> String? {
        guard let start = response.text.range(of: "<code class=\"token\">") else { return nil }
        let rest = response.text[start.upperBound...]
        return rest.firstIndex(of: "<").map { String(rest[..<$0]) }
    }

    /// Creates a token through the page, as the person does.
    static func create(_ web: WebSession, label: String, days: String = "30") async throws -> TestResponse {
        try await web.submit("/compte/jetons", [("label", label), ("days", days)], from: "/compte/jetons")
    }

    static func call(_ client: any TestClientProtocol, _ uri: String, method: HTTPRequest.Method = .get, token: String, json: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.executeRequest(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    @Test func aConfirmedCitizenCreatesATokenShownOnceStoredHashedListedAndRevocable() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup
            let citizen = try await stack.makeCitizen()
            let web = WebSession(client)
            try await web.signIn(citizen.email, citizen.password)
            #expect(try await web.get("/compte").text.contains("href=\"/compte/jetons\""))
            let empty = try await web.get("/compte/jetons")
            #expect(empty.status == .ok)
            #expect(empty.text.contains("action=\"/compte/jetons\""))

            // act
            let created = try await Self.create(web, label: "Mon application de quartier", days: "30")

            // check: shown once, on the page of its creation
            #expect(created.status == .ok)
            let token = try #require(Self.shownToken(created))
            #expect(token.hasPrefix("dlg_") && token.count > 40)
            // stored hashed: the SHA-256 of the secret, and the secret itself nowhere in the row
            #expect(try await probe.int(
                """
                SELECT count(*)::int8 FROM identity.api_tokens WHERE account_id = \(citizen.id) AND scope = 'citizen'
                AND token_hash = sha256(convert_to(\(token), 'UTF8')) AND label = 'Mon application de quartier'
                AND expires_at - created_at = interval '30 days' AND last_used_at IS NULL AND revoked_at IS NULL
                """
            ) == 1)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.api_tokens t WHERE strpos(t::text, \(token)) > 0") == 0)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.api_tokens t WHERE strpos(t::text, \(String(token.dropFirst(4)))) > 0") == 0)

            // it acts for the citizen on a citizen operation (reached: 404 for an unknown survey, not 401)
            let mine = try await Self.call(client, "/api/v1/surveys/\(UUID().uuidString.lowercased())/responses/mine", token: token)
            #expect(mine.status == .notFound)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.api_tokens WHERE account_id = \(citizen.id) AND last_used_at IS NOT NULL") == 1)

            // listed afterwards by name, dates and last use, never shown again
            let listed = try await web.get("/compte/jetons")
            #expect(listed.text.contains("Mon application de quartier"))
            #expect(!listed.text.contains(token))
            #expect(Self.shownToken(listed) == nil)
            #expect(empty.text.contains("Aucun jeton"))
            #expect(!listed.text.contains("<td>jamais</td>"))  // its last use is shown
            let id = try #require(try await probe.texts("SELECT id::text FROM identity.api_tokens WHERE account_id = \(citizen.id)").first.flatMap { $0 })
            #expect(listed.text.contains("action=\"/compte/jetons/\(id)/revocation\""))
            // the download of one's data names it, without its secret
            let data = try await web.get("/compte/donnees")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(data.text.utf8)) as? [String: Any])
            let exported = try #require(json["jetonsAPI"] as? [[String: Any]])
            #expect(exported.map { $0["label"] as? String } == ["Mon application de quartier"])
            #expect(exported.first?["scope"] as? String == "citizen")
            #expect(!data.text.contains(token.dropFirst(4)))

            // another person cannot revoke it; its owner can, and then it opens nothing
            let other = try await stack.makeCitizen()
            let otherWeb = WebSession(client)
            try await otherWeb.signIn(other.email, other.password)
            #expect(try await otherWeb.submit("/compte/jetons/\(id)/revocation", [], from: "/compte/jetons").status == .notFound)
            #expect(try await Self.call(client, "/api/v1/surveys/\(UUID().uuidString.lowercased())/responses/mine", token: token).status == .notFound)
            let revoked = try await web.submit("/compte/jetons/\(id)/revocation", [], from: "/compte/jetons")
            #expect(revoked.status == .seeOther)
            #expect(revoked.location == "/compte/jetons?statut=jeton-revoque")
            let refused = try await Self.call(client, "/api/v1/surveys/\(UUID().uuidString.lowercased())/responses/mine", token: token)
            #expect(refused.status == .unauthorized)
            #expect(refused.apiError?.code == "unauthenticated")
            #expect(try await web.get("/compte/jetons").text.contains("Inactif"))
        }
    }

    @Test func badInputGivesTheFormBackWithTheFieldNamedAndNothingStored() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup
            let citizen = try await stack.makeCitizen()
            let web = WebSession(client)
            try await web.signIn(citizen.email, citizen.password)

            // act and check: a missing or too long name, a lifetime out of its bounds or not a number
            let noName = try await Self.create(web, label: "  ", days: "30")
            #expect(noName.status == .unprocessableContent)
            #expect(noName.text.contains("id=\"label-error\""))
            #expect(noName.text.contains("Donnez un nom au jeton"))
            #expect(try await Self.create(web, label: String(repeating: "n", count: 81)).text.contains("id=\"label-error\""))
            for days in ["0", "366", "trente", "", "-5", "1.5"] {
                let response = try await Self.create(web, label: "Outil", days: days)
                #expect(response.status == .unprocessableContent, "days=\(days)")
                #expect(response.text.contains("id=\"days-error\""), "days=\(days)")
                #expect(response.text.contains("de 1 à 365"), "days=\(days)")
                // what was typed comes back
                #expect(response.text.contains("value=\"Outil\""), "days=\(days)")
            }
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.api_tokens WHERE account_id = \(citizen.id)") == 0)

            // both bounds are accepted
            #expect(Self.shownToken(try await Self.create(web, label: "Un jour", days: "1")) != nil)
            #expect(Self.shownToken(try await Self.create(web, label: "Un an", days: "365")) != nil)
            #expect(try await probe.int(
                "SELECT count(*)::int8 FROM identity.api_tokens WHERE account_id = \(citizen.id) AND expires_at - created_at IN (interval '1 day', interval '365 days')"
            ) == 2)

            // at most ten live tokens: the eleventh is refused until one is revoked
            for number in 3...APITokenStore.personalLiveLimit {
                #expect(Self.shownToken(try await Self.create(web, label: "Outil \(number)")) != nil)
            }
            let eleventh = try await Self.create(web, label: "Un de trop")
            #expect(eleventh.status == .conflict)
            #expect(eleventh.text.contains("révoquez-en un"))
            #expect(Self.shownToken(eleventh) == nil)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.api_tokens WHERE account_id = \(citizen.id)") == APITokenStore.personalLiveLimit)
            let first = try #require(try await probe.texts(
                "SELECT id::text FROM identity.api_tokens WHERE account_id = \(citizen.id) ORDER BY created_at LIMIT 1"
            ).first.flatMap { $0 })
            #expect(try await web.submit("/compte/jetons/\(first)/revocation", [], from: "/compte/jetons").status == .seeOther)
            #expect(Self.shownToken(try await Self.create(web, label: "À la place")) != nil)
        }
    }

    @Test func anUnconfirmedAccountCannotCreateAToken() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup
            let citizen = try await stack.makeCitizen(confirmed: false)
            let web = WebSession(client)
            try await web.signIn(citizen.email, citizen.password)

            // act
            let page = try await web.get("/compte/jetons")
            let csrf = try await web.csrfToken(from: "/compte")
            let forced = try await web.post("/compte/jetons", fields: [("_csrf", csrf), ("label", "Outil"), ("days", "30")])

            // check: the page says why and shows no form; a forced post is refused and stores nothing
            #expect(page.status == .ok)
            #expect(page.text.contains("pas encore confirmée"))
            #expect(!page.text.contains("action=\"/compte/jetons\""))
            #expect(forced.status == .forbidden)
            #expect(forced.text.contains("pas encore confirmée"))  // the page says why, with no form to fill in vain
            #expect(!forced.text.contains("action=\"/compte/jetons\""))
            #expect(Self.shownToken(forced) == nil)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.api_tokens WHERE account_id = \(citizen.id)") == 0)
            await #expect(throws: PersonalTokenRefusal.unconfirmedAddress) { try await stack.issuePersonalToken(for: citizen) }
        }
    }

    @Test func anExpiredTokenOpensNothing() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup
            let citizen = try await stack.makeCitizen()
            let token = try await stack.issuePersonalToken(for: citizen)
            let uri = "/api/v1/surveys/\(UUID().uuidString.lowercased())/responses/mine"
            #expect(try await Self.call(client, uri, token: token).status == .notFound)

            // act: its lifetime is over
            try await probe.execute("UPDATE identity.api_tokens SET expires_at = now() - interval '1 second' WHERE account_id = \(citizen.id)")

            // check
            let refused = try await Self.call(client, uri, token: token)
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.wwwAuthenticate] == "Bearer")
            let web = WebSession(client)
            try await web.signIn(citizen.email, citizen.password)
            let listed = try await web.get("/compte/jetons")
            #expect(listed.text.contains("Inactif"))
            #expect(!listed.text.contains("/revocation\""))
        }
    }

    @Test func aPersonalTokenNeverReachesAStaffOperationWhateverTheAccountsRoles() async throws {
        let stack = try await GatewayStack.make()
        let catalog = RouteCatalog()
        try await stack.run(settings: .forSecurityTests(), catalog: catalog) { client, probe in
            // setup: an administrator holding a staff token and a personal one (made on the page)
            let administrator = try await stack.makeStaff([.administrator, .staff, .moderator, .analyst])
            try await probe.execute("UPDATE identity.accounts SET email_confirmed_at = now() WHERE id = \(administrator.id)")
            let staffToken = try await stack.issueToken(for: administrator)
            let web = WebSession(client)
            try await web.signIn(administrator.email, administrator.password)
            let personal = try #require(Self.shownToken(try await Self.create(web, label: "Personnel")))
            let staffOperations = catalog.all.filter { route in
                guard route.path.hasPrefix("/api/v1/"), case .staff = route.access else { return false }
                return true
            }
            #expect(staffOperations.count >= 10)

            // act and check: every staff operation refuses the personal token with a JSON 403
            for route in staffOperations {
                let uri = route.path.replacingOccurrences(of: "{id}", with: UUID().uuidString.lowercased())
                let response = try await Self.call(client, uri, method: route.method, token: personal, json: route.method == .get ? nil : "{}")
                #expect(response.status == .forbidden, "\(route.method) \(route.path)")
                #expect(response.isJSON, "\(route.method) \(route.path)")
                #expect(response.apiError?.code == "forbidden", "\(route.method) \(route.path)")
            }
            // while the staff token keeps its roles, and the personal token acts on citizen operations
            let me = try await Self.call(client, "/api/v1/me", token: staffToken)
            #expect(me.status == .ok)
            #expect(me.text.contains("administrator"))
            #expect(try await Self.call(client, "/api/v1/surveys/\(UUID().uuidString.lowercased())/responses/mine", token: personal).status == .notFound)
            // each list shows its own tokens; neither page revokes the other's
            let personalID = try #require(try await probe.texts(
                "SELECT id::text FROM identity.api_tokens WHERE account_id = \(administrator.id) AND scope = 'citizen'"
            ).first.flatMap { $0 })
            let staffID = try #require(try await probe.texts(
                "SELECT id::text FROM identity.api_tokens WHERE account_id = \(administrator.id) AND scope = 'staff'"
            ).first.flatMap { $0 })
            let adminList = try await web.get("/admin/jetons")
            #expect(adminList.text.contains(staffID) && !adminList.text.contains(personalID))
            let ownList = try await web.get("/compte/jetons")
            #expect(ownList.text.contains(personalID) && !ownList.text.contains(staffID))
            #expect(try await web.submit("/admin/jetons/\(personalID)/revocation", [], from: "/admin/jetons").status == .notFound)
            #expect(try await web.submit("/compte/jetons/\(staffID)/revocation", [], from: "/compte/jetons").status == .notFound)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.api_tokens WHERE account_id = \(administrator.id) AND revoked_at IS NULL") == 2)
        }
    }

    @Test func aNewPasswordOrTheAccountsErasureEndsItsTokens() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: two citizens with a live token each, signed in
            let uri = "/api/v1/surveys/\(UUID().uuidString.lowercased())/responses/mine"
            let changing = try await stack.makeCitizen()
            let changingToken = try await stack.issuePersonalToken(for: changing)
            let leaving = try await stack.makeCitizen()
            let leavingToken = try await stack.issuePersonalToken(for: leaving)
            let bystander = try await stack.makeCitizen()
            let bystanderToken = try await stack.issuePersonalToken(for: bystander)
            for token in [changingToken, leavingToken, bystanderToken] {
                #expect(try await Self.call(client, uri, token: token).status == .notFound)
            }
            let changingWeb = WebSession(client)
            try await changingWeb.signIn(changing.email, changing.password)
            let leavingWeb = WebSession(client)
            try await leavingWeb.signIn(leaving.email, leaving.password)

            // act
            let changed = try await changingWeb.submit(
                "/compte/mot-de-passe", [("current_password", changing.password), ("new_password", "Un tout autre mot de passe 2025")], from: "/compte"
            )
            let erased = try await leavingWeb.submit("/compte/suppression", [("password", leaving.password)], from: "/compte/suppression")

            // check: the new password revoked the token (kept, listed as inactive); erasure deleted it
            #expect(changed.status == .seeOther)
            #expect(try await Self.call(client, uri, token: changingToken).status == .unauthorized)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.api_tokens WHERE account_id = \(changing.id) AND revoked_at IS NOT NULL") == 1)
            #expect(try await changingWeb.get("/compte/jetons").text.contains("Inactif"))
            #expect(erased.status == .seeOther)
            #expect(try await Self.call(client, uri, token: leavingToken).status == .unauthorized)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.api_tokens WHERE account_id = \(leaving.id)") == 0)
            // nobody else's token is touched
            #expect(try await Self.call(client, uri, token: bystanderToken).status == .notFound)
        }
    }
}
