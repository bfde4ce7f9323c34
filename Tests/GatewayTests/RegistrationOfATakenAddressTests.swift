import DialogueContracts
import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// Registering an address that has an account answers exactly as a registration does, and
/// tells the address's owner by mail instead: the form does not tell who has an account.
@Suite struct RegistrationOfATakenAddressTests {
    static func register(_ web: WebSession, _ email: String) async throws -> TestResponse {
        try await web.submit("/inscription", [
            ("email", email), ("password", testPassword), ("password_confirmation", testPassword), ("terms", "1"),
        ], from: "/inscription")
    }

    @Test func aTakenAddressGetsTheSuccessAnswerAndItsOwnerIsMailed() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: an account, and a visitor who tries its address (spelled otherwise) and a new one
            let citizen = try await stack.makeCitizen()
            let (tryingTaken, tryingNew) = (WebSession(client), WebSession(client))

            // act
            let taken = try await Self.register(tryingTaken, citizen.email.uppercased())
            let fresh = try await Self.register(tryingNew, uniqueEmail("nouvelle"))

            // check: the same answer, without a session in either case
            #expect(taken.status == .seeOther)
            #expect(taken.status == fresh.status)
            #expect(taken.location == "/connexion?statut=inscrit")
            #expect(taken.location == fresh.location)
            #expect(taken.setCookie(named: tryingTaken.sessionCookieName) == nil)
            #expect(fresh.setCookie(named: tryingNew.sessionCookieName) == nil)
            #expect(tryingTaken.sessionToken == nil && tryingNew.sessionToken == nil)
            let (takenPage, freshPage) = (try await tryingTaken.get(taken.location ?? ""), try await tryingNew.get(fresh.location ?? ""))
            #expect(takenPage.status == .ok)
            #expect(!takenPage.text.contains("existe déjà"))
            #expect(takenPage.text.contains("suivez ses indications pour confirmer votre adresse"))
            #expect(freshPage.text.contains("suivez ses indications pour confirmer votre adresse"))
            // no second account; the owner, and only them, is told, at the account's own address
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.accounts WHERE lower(email) = lower(\(citizen.email))") == 1)
            let attempts = try await probe.identityOutbox(AccountRegistrationAttempted.messageType)
            #expect(attempts.count == 1)
            let attempt = try MessageCoding.decode(AccountRegistrationAttempted.self, from: Array(try #require(attempts.first).utf8))
            #expect(attempt.accountID == citizen.id)
            #expect(attempt.email == citizen.email)
            // a confirmation link for each account created (the citizen's, the new one), none for the attempt
            #expect(try await probe.identityOutbox(AccountEmailConfirmationRequested.messageType).count == 2)
        }
    }

    @Test func aNewAccountSignsInOnceRegistered() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup
            let email = uniqueEmail("inscrite")
            let web = WebSession(client)

            // act
            _ = try await Self.register(web, email)
            let signedIn = try await web.signIn(email, testPassword)

            // check: the account exists, unconfirmed, and opens with its password
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.accounts WHERE email = \(email) AND email_confirmed_at IS NULL") == 1)
            #expect(signedIn.status == .seeOther)
            #expect(try await web.get("/compte").status == .ok)
        }
    }
}
