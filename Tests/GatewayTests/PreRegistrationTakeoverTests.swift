import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// Someone registers a victim's address with their own password and stays signed in; when
/// the victim confirms their address from the mail, that session must not become a
/// confirmed account in the victim's name (issue « Close the holes », Medium 7).
@Suite struct PreRegistrationTakeoverTests {
    static let confirmation = "account.email_confirmation_requested"

    @Test func confirmingAnAddressEndsTheOtherSessionsOfTheAccount() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: the attacker registers the victim's address and stays signed in
            let email = uniqueEmail("preinscription")
            let attacker = WebSession(client)
            let registered = try await attacker.submit("/inscription", [
                ("email", email), ("password", testPassword), ("password_confirmation", testPassword), ("terms", "1"),
            ], from: "/inscription")
            #expect(registered.status == .seeOther)
            #expect(try await attacker.signIn(email, testPassword).status == .seeOther)
            #expect(try await attacker.get("/compte").status == .ok)
            let ids = try await probe.texts("SELECT id::text FROM identity.accounts WHERE email = \(email)").compactMap { $0.flatMap(UUID.init(uuidString:)) }
            let id = try #require(ids.first)
            let token = try #require(try await probe.mailedToken(Self.confirmation, to: id))

            // act: the owner of the mailbox confirms from another browser
            let owner = WebSession(client)
            let confirmed = try await owner.submit("/confirmation", [("jeton", token)], from: "/confirmation?jeton=\(token)")

            // check: confirmed, and the attacker's session is over
            #expect(confirmed.status == .ok)
            #expect(try await attacker.get("/compte").redirectsToSignIn)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.sessions WHERE account_id = \(id)") == 0)
        }
    }

    @Test func confirmingFromTheAccountsOwnSessionKeepsIt() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: a citizen registers, stays signed in, and has a second session elsewhere
            let email = uniqueEmail("confirmation-meme-session")
            let citizen = WebSession(client)
            _ = try await citizen.submit("/inscription", [
                ("email", email), ("password", testPassword), ("password_confirmation", testPassword), ("terms", "1"),
            ], from: "/inscription")
            try await citizen.signIn(email, testPassword)
            let elsewhere = WebSession(client)
            let signedIn = try await elsewhere.submit("/connexion", [("email", email), ("password", testPassword)], from: "/connexion")
            #expect(signedIn.status == .seeOther)
            let ids = try await probe.texts("SELECT id::text FROM identity.accounts WHERE email = \(email)").compactMap { $0.flatMap(UUID.init(uuidString:)) }
            let id = try #require(ids.first)
            let token = try #require(try await probe.mailedToken(Self.confirmation, to: id))

            // act: the link opened in the browser that registered
            let confirmed = try await citizen.submit("/confirmation", [("jeton", token)], from: "/confirmation?jeton=\(token)")

            // check: that session goes on, the other one ended
            #expect(confirmed.status == .ok)
            #expect(try await citizen.get("/compte").status == .ok)
            #expect(try await elsewhere.get("/compte").redirectsToSignIn)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.sessions WHERE account_id = \(id)") == 1)
        }
    }
}
