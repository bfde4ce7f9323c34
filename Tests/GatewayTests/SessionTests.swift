import Foundation
import Gateway
import Identity
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// Sign-in, the session cookie, fixation, sign-out and expiry, through the live site.
@Suite struct SessionTests {
    @Test func signingInSetsAnHttpOnlyLaxSessionCookieThatOpensTheAccount() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup
            let citizen = try await stack.makeCitizen()
            let web = WebSession(client)
            let signInPage = try await web.get("/connexion")
            #expect(signInPage.status == .ok)
            let csrfCookie = try #require(signInPage.setCookie(named: "dialogue_csrf"))
            #expect(csrfCookie.httpOnly)
            #expect(csrfCookie.sameSite == "Lax")
            #expect(!csrfCookie.secure)
            let token = try #require(signInPage.hiddenField("_csrf"))

            // act
            let response = try await web.post("/connexion", fields: [("_csrf", token), ("email", citizen.email), ("password", citizen.password)])

            // check
            #expect(response.status == .seeOther)
            #expect(response.location == "/compte")
            let session = try #require(response.setCookie(named: "dialogue_session"))
            #expect(session.httpOnly)
            #expect(session.sameSite == "Lax")
            #expect(session.path == "/")
            #expect(!session.secure)
            #expect(session.value.count >= 40)
            #expect((session.maxAge ?? 0) > 0)
            #expect(response.setCookie(named: "__Host-dialogue_session") == nil)
            let account = try await web.get("/compte")
            #expect(account.status == .ok)
            #expect(account.text.contains(citizen.email))
            // The database keeps the token's hash, never the token.
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.sessions WHERE account_id = \(citizen.id)") == 1)
            #expect(try await probe.int(
                "SELECT count(*)::int8 FROM identity.sessions WHERE token_hash = sha256(convert_to(\(session.value), 'UTF8'))"
            ) == 1)
            #expect(try await probe.int(
                "SELECT count(*)::int8 FROM identity.sessions s WHERE position(\(session.value) IN s::text) > 0"
            ) == 0)
        }
    }

    @Test func secureCookiesAreHostPrefixedAndSecure() async throws {
        let stack = try await GatewayStack.make()
        // The defaults, as in production (only bcrypt made fast and the limits raised).
        try await stack.run(settings: GatewaySettings(petitionCacheTTL: .zero, bcryptCost: 4, rateLimits: .generous), asStaff: false) { client, _ in
            // setup
            let citizen = try await stack.makeCitizen()
            let web = WebSession(client, secureCookies: true)

            // act
            let home = try await web.get("/")
            let signedIn = try await web.signIn(citizen.email, citizen.password)

            // check
            let csrf = try #require(home.setCookie(named: "__Host-dialogue_csrf"))
            #expect(csrf.secure)
            #expect(csrf.httpOnly)
            #expect(csrf.sameSite == "Lax")
            #expect(csrf.path == "/")
            #expect(csrf.attributes["domain"] == nil)  // `__Host-` cookies name no domain
            #expect(home.setCookie(named: "dialogue_csrf") == nil)
            #expect(home.header("Strict-Transport-Security")?.contains("max-age=") == true)

            #expect(signedIn.status == .seeOther)
            let session = try #require(signedIn.setCookie(named: "__Host-dialogue_session"))
            #expect(session.secure)
            #expect(session.httpOnly)
            #expect(session.sameSite == "Lax")
            #expect(session.path == "/")
            #expect(session.attributes["domain"] == nil)
            #expect(signedIn.setCookie(named: "dialogue_session") == nil)
            #expect(try await web.get("/compte").status == .ok)
            // The cookie of the plain-HTTP name opens nothing.
            let wrongName = try await client.execute(uri: "/compte", method: .get, headers: [.cookie: "dialogue_session=\(session.value)"])
            #expect(wrongName.redirectsToSignIn)
        }
    }

    @Test func signingInReplacesASessionTokenKnownBefore() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: a token planted by someone else, then a live session of another account
            let citizen = try await stack.makeCitizen()
            let other = try await stack.makeCitizen()
            let web = WebSession(client)
            let csrf = try await web.csrfToken()
            web.setCookie(web.sessionCookieName, "planted-by-an-attacker-0123456789abcdefghijklm")

            // act: sign in with the planted cookie
            let first = try await web.post("/connexion", fields: [("_csrf", csrf), ("email", citizen.email), ("password", citizen.password)])

            // check
            #expect(first.status == .seeOther)
            let firstToken = try #require(first.setCookie(named: web.sessionCookieName)?.value)
            #expect(firstToken != "planted-by-an-attacker-0123456789abcdefghijklm")
            #expect(web.sessionToken == firstToken)

            // act: sign in again (as another person) while signed in
            let second = try await web.signIn(other.email, other.password)

            // check: a new token; the one known before opens nothing any more
            #expect(second.status == .seeOther)
            let secondToken = try #require(second.setCookie(named: web.sessionCookieName)?.value)
            #expect(secondToken != firstToken)
            let old = WebSession(client)
            old.setCookie(old.sessionCookieName, firstToken)
            let withOld = try await old.get("/compte")
            #expect(withOld.redirectsToSignIn)
            #expect(withOld.setCookie(named: old.sessionCookieName)?.removesCookie == true)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.sessions WHERE account_id = \(citizen.id)") == 0)
            let account = try await web.get("/compte")
            #expect(account.status == .ok)
            #expect(account.text.contains(other.email))
        }
    }

    @Test func signingOutEndsTheSessionOnTheServer() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup
            let citizen = try await stack.makeCitizen()
            let web = WebSession(client)
            try await web.signIn(citizen.email, citizen.password)
            let token = try #require(web.sessionToken)
            #expect(try await web.get("/compte").status == .ok)

            // act
            let response = try await web.submit("/deconnexion", [], from: "/compte")

            // check
            #expect(response.status == .seeOther)
            #expect(response.location == "/?statut=deconnecte")
            #expect(response.setCookie(named: "dialogue_session")?.removesCookie == true)
            #expect(web.sessionToken == nil)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.sessions WHERE account_id = \(citizen.id)") == 0)
            // The old cookie, replayed, no longer opens the account.
            let replay = WebSession(client)
            replay.setCookie(replay.sessionCookieName, token)
            let account = try await replay.get("/compte")
            #expect(account.redirectsToSignIn)
            #expect(account.signInReturn == "/compte")
        }
    }

    @Test func anExpiredSessionSendsBackToSignIn() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: two sessions, one past its idle expiry, one past its absolute expiry
            let citizen = try await stack.makeCitizen()
            let idle = WebSession(client)
            try await idle.signIn(citizen.email, citizen.password)
            let aged = WebSession(client)
            try await aged.signIn(citizen.email, citizen.password)
            #expect(try await idle.get("/compte").status == .ok)
            #expect(try await aged.get("/compte").status == .ok)
            let idleToken = try #require(idle.sessionToken)
            let agedToken = try #require(aged.sessionToken)
            try await probe.execute(
                "UPDATE identity.sessions SET expires_at = now() - interval '1 minute' WHERE token_hash = sha256(convert_to(\(idleToken), 'UTF8'))"
            )
            try await probe.execute(
                "UPDATE identity.sessions SET absolute_expires_at = now() - interval '1 minute' WHERE token_hash = sha256(convert_to(\(agedToken), 'UTF8'))"
            )

            for web in [idle, aged] {
                // act
                let response = try await web.get("/compte/donnees")

                // check
                #expect(response.status == .seeOther)
                #expect(response.redirectsToSignIn)
                #expect(response.signInReturn == "/compte/donnees")
                #expect(response.setCookie(named: "dialogue_session")?.removesCookie == true)
            }
            // Using the expired session did not revive it.
            let replay = WebSession(client)
            replay.setCookie(replay.sessionCookieName, idleToken)
            #expect(try await replay.get("/compte").redirectsToSignIn)
        }
    }
}
