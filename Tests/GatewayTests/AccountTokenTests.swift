import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// The single-use links mailed to people: address confirmation and password reset.
@Suite struct AccountTokenTests {
    static let invalidLink = "Lien invalide ou expiré"
    static let confirmation = "account.email_confirmation_requested"
    static let reset = "account.password_reset_requested"

    /// The rows of `identity.account_tokens` in which the raw token shows, as text or as hex bytes.
    static func rowsShowing(_ token: String, _ probe: Probe) async throws -> Int {
        try await probe.int(
            """
            SELECT count(*)::int8 FROM identity.account_tokens t
            WHERE position(\(token) IN t::text) > 0 OR position(encode(convert_to(\(token), 'UTF8'), 'hex') IN t::text) > 0
            """
        )
    }

    /// The answer to the POST of a used or expired link: refused, with nothing done; the page
    /// is meant to be the 410 "Lien invalide ou expiré" (see `TransactionErrorTests`).
    static func expectRefusedLink(_ response: TestResponse, _ what: Comment) {
        #expect(response.status.code >= 400, what)
        #expect(response.isHTML, what)
        #expect(response.status == .gone, what)
        #expect(response.text.contains(Self.invalidLink), what)
    }

    static func rowsHashing(_ token: String, purpose: String, _ probe: Probe) async throws -> Int {
        try await probe.int(
            "SELECT count(*)::int8 FROM identity.account_tokens WHERE token_hash = sha256(convert_to(\(token), 'UTF8')) AND purpose = \(purpose)"
        )
    }

    @Test func theConfirmationLinkIsStoredHashedSurvivesAGetAndWorksOnce() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: registration through the form
            let email = uniqueEmail("inscription")
            let web = WebSession(client)
            let registered = try await web.submit("/inscription", [
                ("email", email), ("password", testPassword), ("password_confirmation", testPassword), ("terms", "1"),
            ], from: "/inscription")
            #expect(registered.status == .seeOther)
            #expect(registered.location == "/connexion?statut=inscrit")
            let ids = try await probe.texts("SELECT id::text FROM identity.accounts WHERE email = \(email)").compactMap { $0.flatMap(UUID.init(uuidString:)) }
            let id = try #require(ids.first)
            let token = try #require(try await probe.mailedToken(Self.confirmation, to: id))
            #expect(token.count >= 40)

            // check: only the hash is kept
            #expect(try await Self.rowsShowing(token, probe) == 0)
            #expect(try await Self.rowsHashing(token, purpose: "email_confirmation", probe) == 1)

            // act: a link scanner, then the person, open the link
            let scanned = try await WebSession(client).get("/confirmation?jeton=\(token)")
            let opened = try await WebSession(client).get("/confirmation?jeton=\(token)")

            // check: the GET shows a button and uses nothing
            for page in [scanned, opened] {
                #expect(page.status == .ok)
                #expect(page.hiddenField("jeton") == token)
                #expect(page.text.contains("action=\"/confirmation\""))
            }
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.accounts WHERE id = \(id) AND email_confirmed_at IS NULL") == 1)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.account_tokens WHERE account_id = \(id) AND used_at IS NULL") == 1)

            // act: the button
            let person = WebSession(client)
            let confirmed = try await person.submit("/confirmation", [("jeton", token)], from: "/confirmation?jeton=\(token)")

            // check
            #expect(confirmed.status == .ok)
            #expect(confirmed.text.contains("Adresse confirmée"))
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.accounts WHERE id = \(id) AND email_confirmed_at IS NOT NULL") == 1)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.account_tokens WHERE account_id = \(id) AND used_at IS NOT NULL") == 1)

            // A second use, by POST or GET, is refused.
            let confirmedAt = try await probe.texts("SELECT email_confirmed_at::text FROM identity.accounts WHERE id = \(id)")
            let again = try await person.submit("/confirmation", [("jeton", token)], from: "/connexion")
            Self.expectRefusedLink(again, "second use of the confirmation link")
            #expect(try await probe.texts("SELECT email_confirmed_at::text FROM identity.accounts WHERE id = \(id)") == confirmedAt)
            let reopened = try await person.get("/confirmation?jeton=\(token)")
            #expect(reopened.status == .gone)
            #expect(reopened.text.contains(Self.invalidLink))
            // Made-up or missing tokens are refused the same way.
            #expect(try await person.get("/confirmation?jeton=\(String(token.reversed()))").status == .gone)
            #expect(try await person.get("/confirmation").status == .gone)
            Self.expectRefusedLink(try await person.submit("/confirmation", [("jeton", "")], from: "/connexion"), "empty token")
        }
    }

    @Test func anExpiredConfirmationLinkIsRefused() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup
            let citizen = try await stack.makeCitizen(confirmed: false)
            let token = try #require(try await probe.mailedToken(Self.confirmation, to: citizen.id))
            #expect(try await WebSession(client).get("/confirmation?jeton=\(token)").status == .ok)
            try await probe.execute("UPDATE identity.account_tokens SET expires_at = now() - interval '1 minute' WHERE account_id = \(citizen.id)")

            // act
            let web = WebSession(client)
            let page = try await web.get("/confirmation?jeton=\(token)")
            let posted = try await web.submit("/confirmation", [("jeton", token)], from: "/connexion")

            // check
            #expect(page.status == .gone)
            #expect(page.text.contains(Self.invalidLink))
            Self.expectRefusedLink(posted, "expired confirmation link")
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.accounts WHERE id = \(citizen.id) AND email_confirmed_at IS NULL") == 1)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.account_tokens WHERE account_id = \(citizen.id) AND used_at IS NULL") == 1)
        }
    }

    @Test func aResetRequestAnswersAlikeForKnownAndUnknownAddresses() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup
            let citizen = try await stack.makeCitizen()
            let unknown = uniqueEmail("inconnu")
            let web = WebSession(client)

            // act
            let known = try await web.submit("/mot-de-passe-oublie", [("email", citizen.email)], from: "/mot-de-passe-oublie")
            let stranger = try await web.submit("/mot-de-passe-oublie", [("email", unknown)], from: "/mot-de-passe-oublie")

            // check: the same page, but for the address typed
            #expect(known.status == .ok)
            #expect(stranger.status == .ok)
            #expect(known.text.contains(citizen.email))
            #expect(known.text.replacingOccurrences(of: citizen.email, with: "@") == stranger.text.replacingOccurrences(of: unknown, with: "@"))
            #expect(known.headers[.contentType] == stranger.headers[.contentType])
            // Only the real account is mailed.
            #expect(try await probe.identityOutbox(Self.reset).count == 1)
            #expect(try await probe.mailedToken(Self.reset, to: citizen.id) != nil)
        }
    }

    @Test func aResetChangesThePasswordEndsEverySessionAndWorksOnce() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: the person is signed in on a device, and asks for two links
            let citizen = try await stack.makeCitizen()
            let device = WebSession(client)
            try await device.signIn(citizen.email, citizen.password)
            #expect(try await device.get("/compte").status == .ok)
            let mailbox = WebSession(client)
            #expect(try await mailbox.submit("/mot-de-passe-oublie", [("email", citizen.email)], from: "/mot-de-passe-oublie").status == .ok)
            let olderLink = try #require(try await probe.mailedToken(Self.reset, to: citizen.id))
            #expect(try await mailbox.submit("/mot-de-passe-oublie", [("email", citizen.email)], from: "/mot-de-passe-oublie").status == .ok)
            let token = try #require(try await probe.mailedToken(Self.reset, to: citizen.id))
            #expect(token != olderLink)
            #expect(try await Self.rowsShowing(token, probe) == 0)
            #expect(try await Self.rowsHashing(token, purpose: "password_reset", probe) == 1)
            let newPassword = "Un tout nouveau mot de passe 2025"

            // The form's GET uses nothing, and neither does a refused form.
            let form = try await mailbox.get("/mot-de-passe/nouveau?jeton=\(token)")
            #expect(form.status == .ok)
            #expect(form.hiddenField("jeton") == token)
            let mismatch = try await mailbox.submit(
                "/mot-de-passe/nouveau", [("jeton", token), ("password", newPassword), ("password_confirmation", "autre chose encore")],
                from: "/mot-de-passe/nouveau?jeton=\(token)"
            )
            #expect(mismatch.status == .unprocessableContent)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.account_tokens WHERE account_id = \(citizen.id) AND purpose = 'password_reset' AND used_at IS NULL") == 2)

            // act
            let reset = try await mailbox.submit(
                "/mot-de-passe/nouveau", [("jeton", token), ("password", newPassword), ("password_confirmation", newPassword)],
                from: "/mot-de-passe/nouveau?jeton=\(token)"
            )

            // check
            #expect(reset.status == .seeOther)
            #expect(reset.location == "/connexion?statut=mot-de-passe-change")
            // every session ended, the device's included
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.sessions WHERE account_id = \(citizen.id)") == 0)
            #expect(try await device.get("/compte").redirectsToSignIn)
            // the old password no longer opens, the new one does
            #expect(try await WebSession(client).signIn(citizen.email, citizen.password).status == .unprocessableContent)
            #expect(try await WebSession(client).signIn(citizen.email, newPassword).status == .seeOther)
            // the link worked once; the other pending link ended with it
            for link in [token, olderLink] {
                let reused = try await mailbox.submit(
                    "/mot-de-passe/nouveau", [("jeton", link), ("password", "Encore un autre mot de passe"), ("password_confirmation", "Encore un autre mot de passe")],
                    from: "/connexion"
                )
                Self.expectRefusedLink(reused, "reset link used again")
                #expect(try await mailbox.get("/mot-de-passe/nouveau?jeton=\(link)").status == .gone)
            }
            #expect(try await WebSession(client).signIn(citizen.email, newPassword).status == .seeOther)
            #expect(try await WebSession(client).signIn(citizen.email, "Encore un autre mot de passe").status == .unprocessableContent)
        }
    }

    @Test func anExpiredResetLinkIsRefused() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup
            let citizen = try await stack.makeCitizen()
            let web = WebSession(client)
            #expect(try await web.submit("/mot-de-passe-oublie", [("email", citizen.email)], from: "/mot-de-passe-oublie").status == .ok)
            let token = try #require(try await probe.mailedToken(Self.reset, to: citizen.id))
            try await probe.execute("UPDATE identity.account_tokens SET expires_at = now() - interval '1 second' WHERE account_id = \(citizen.id)")

            // act
            let page = try await web.get("/mot-de-passe/nouveau?jeton=\(token)")
            let posted = try await web.submit(
                "/mot-de-passe/nouveau", [("jeton", token), ("password", "Un tout nouveau mot de passe"), ("password_confirmation", "Un tout nouveau mot de passe")],
                from: "/connexion"
            )

            // check
            #expect(page.status == .gone)
            Self.expectRefusedLink(posted, "expired reset link")
            #expect(try await WebSession(client).signIn(citizen.email, citizen.password).status == .seeOther)
            #expect(try await WebSession(client).signIn(citizen.email, "Un tout nouveau mot de passe").status == .unprocessableContent)
        }
    }
}
