import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// Repeated wrong passwords lock the account, whatever the client.
@Suite struct SignInLockoutTests {
    static let refused = "Adresse électronique ou mot de passe incorrect."
    static let locked = "Trop de tentatives infructueuses : le compte est verrouillé"

    @Test func fiveWrongPasswordsLockTheAccountEvenAgainstTheRightOne() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup
            let citizen = try await stack.makeCitizen()
            let bystander = try await stack.makeCitizen()
            let web = WebSession(client)

            // act: four wrong passwords are only refused
            for attempt in 1...4 {
                let response = try await web.signIn(citizen.email, "mauvais mot de passe n° \(attempt)")
                #expect(response.status == .unprocessableContent, "attempt \(attempt)")
                #expect(response.text.contains(Self.refused), "attempt \(attempt)")
                #expect(!response.text.contains(Self.locked), "attempt \(attempt)")
            }
            #expect(try await probe.int("SELECT failed_sign_ins::int8 FROM identity.accounts WHERE id = \(citizen.id)") == 4)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.accounts WHERE id = \(citizen.id) AND locked_until IS NULL") == 1)

            // the fifth locks
            let fifth = try await web.signIn(citizen.email, "mauvais mot de passe n° 5")
            #expect(fifth.status == .unprocessableContent)
            #expect(fifth.text.contains(Self.locked))

            // the sixth, with the right password, is refused with the lock message
            let sixth = try await web.signIn(citizen.email, citizen.password)

            // check
            #expect(sixth.status == .unprocessableContent)
            #expect(sixth.text.contains(Self.locked))
            #expect(sixth.text.contains("réinitialiser votre mot de passe"))
            #expect(sixth.setCookie(named: web.sessionCookieName) == nil)
            #expect(web.sessionToken == nil)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.sessions WHERE account_id = \(citizen.id)") == 0)
            #expect(try await probe.int(
                "SELECT count(*)::int8 FROM identity.accounts WHERE id = \(citizen.id) AND locked_until > now() AND locked_until <= now() + interval '1 hour'"
            ) == 1)
            #expect(try await probe.int("SELECT failed_sign_ins::int8 FROM identity.accounts WHERE id = \(citizen.id)") == 5)
            // From another client, the account is just as locked.
            let elsewhere = try await WebSession(client).signIn(citizen.email, citizen.password)
            #expect(elsewhere.status == .unprocessableContent)
            #expect(elsewhere.text.contains(Self.locked))
            // The lock is the account's, not the client's: someone else signs in from here.
            let other = try await web.signIn(bystander.email, bystander.password)
            #expect(other.status == .seeOther)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.accounts WHERE id = \(bystander.id) AND locked_until IS NULL") == 1)
        }
    }

    @Test func onceTheLockEndsTheRightPasswordOpensAndResetsTheCount() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: a locked account whose lock has just ended
            let citizen = try await stack.makeCitizen()
            let web = WebSession(client)
            for attempt in 1...5 { try await web.signIn(citizen.email, "mauvais mot de passe n° \(attempt)") }
            #expect(try await web.signIn(citizen.email, citizen.password).status == .unprocessableContent)
            try await probe.execute("UPDATE identity.accounts SET locked_until = now() - interval '1 second' WHERE id = \(citizen.id)")

            // act
            let response = try await web.signIn(citizen.email, citizen.password)

            // check
            #expect(response.status == .seeOther)
            #expect(web.sessionToken != nil)
            #expect(try await probe.int("SELECT failed_sign_ins::int8 FROM identity.accounts WHERE id = \(citizen.id)") == 0)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.accounts WHERE id = \(citizen.id) AND locked_until IS NULL") == 1)
        }
    }
}
