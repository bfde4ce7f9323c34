import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import PostgresNIO
import Testing
import TestSupport

/// Wrong passwords slow the next attempts down but lock nobody out, and the sign-in form
/// answers an unknown address exactly as a known one.
@Suite struct SignInThrottleTests {
    static let refused = "Adresse électronique ou mot de passe incorrect."
    /// Short delays, so that the tests measure them without waiting long.
    static let policy = SignInThrottle.Policy(freeFailures: 2, firstDelay: .milliseconds(200), maximumDelay: .milliseconds(800))

    /// Behind a trusted proxy (the test client), so that each attempt names its client address.
    static func settings() throws -> GatewaySettings {
        var settings = GatewaySettings.forSecurityTests(trustedProxies: try #require(TrustedProxies(list: "127.0.0.1")))
        settings.signInThrottle = policy
        return settings
    }

    /// One sign-in attempt from `address`, and how long its answer took.
    static func attempt(_ web: WebSession, _ email: String, _ password: String, from address: String) async throws -> (TestResponse, Duration) {
        let token = try await web.csrfToken()
        let start = ContinuousClock.now
        let response = try await web.post(
            "/connexion", fields: [("_csrf", token), ("email", email), ("password", password)], headers: [.xForwardedFor: address]
        )
        return (response, ContinuousClock.now - start)
    }

    /// The page without what differs between two visitors (their CSRF token) and the address typed.
    static func comparable(_ response: TestResponse, typed email: String) -> String {
        response.text.replacingOccurrences(of: email, with: "ADRESSE")
            .replacingOccurrences(of: #"name="_csrf" value="[^"]*""#, with: "CSRF", options: .regularExpression)
    }

    @Test func wrongPasswordsNeverKeepTheRightOneOutForLong() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: try Self.settings(), asStaff: false) { client, probe in
            // setup
            let citizen = try await stack.makeCitizen()
            let attacker = WebSession(client)

            // act: twelve wrong passwords from one address
            var durations: [Duration] = []
            for attempt in 1...12 {
                let (response, duration) = try await Self.attempt(attacker, citizen.email, "mauvais mot de passe n° \(attempt)", from: "203.0.113.10")
                #expect(response.status == .unprocessableContent, "attempt \(attempt)")
                #expect(response.text.contains(Self.refused), "attempt \(attempt)")
                #expect(!response.text.contains("verrouill"), "attempt \(attempt)")
                durations.append(duration)
            }
            // the owner, from a client of their own, with the right password
            let owner = WebSession(client)
            let (signedIn, ownerWait) = try await Self.attempt(owner, citizen.email, citizen.password, from: "198.51.100.7")

            // check: the guesser was slowed (the cap reached), never refused more than a wrong password is
            // attempt k follows k - 1 failures: from the sixth on, the cap
            #expect(durations[3] >= .milliseconds(200) && durations[4] >= .milliseconds(400), "doubling: \(durations)")
            #expect(durations.suffix(7).allSatisfy { $0 >= .milliseconds(800) }, "the later ones wait the cap: \(durations)")
            // the owner got in, after at most the cap (and the time of a page)
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.location == "/compte")
            #expect(owner.sessionToken != nil)
            #expect(ownerWait < .seconds(3), "the owner waited \(ownerWait)")
            // and so would the right password from the guesser's own address
            let (again, _) = try await Self.attempt(WebSession(client), citizen.email, citizen.password, from: "203.0.113.10")
            #expect(again.status == .seeOther)
            // the failures of the address are forgotten once the right password is given
            let (next, nextWait) = try await Self.attempt(WebSession(client), citizen.email, "encore un mauvais", from: "192.0.2.44")
            #expect(next.status == .unprocessableContent)
            #expect(nextWait < .milliseconds(800), "after a success the count starts again: \(nextWait)")
            // no address is kept in the table of failures
            #expect(try await probe.int(
                "SELECT count(*)::int8 FROM identity.sign_in_failures WHERE position(convert_to(\(citizen.email), 'UTF8') in subject_hash) > 0"
            ) == 0)
        }
    }

    @Test func anUnknownAddressIsAnsweredExactlyLikeAKnownOne() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: try Self.settings(), asStaff: false) { client, _ in
            // setup: a real account, and an address nobody registered
            let citizen = try await stack.makeCitizen()
            let unknown = uniqueEmail("personne")
            let (knownVisitor, unknownVisitor) = (WebSession(client), WebSession(client))

            // act: the same wrong passwords, from two clients, against each address
            for attempt in 1...6 {
                let password = "mauvais mot de passe n° \(attempt)"
                let (known, knownWait) = try await Self.attempt(knownVisitor, citizen.email, password, from: "203.0.113.21")
                let (stranger, strangerWait) = try await Self.attempt(unknownVisitor, unknown, password, from: "203.0.113.22")

                // check: same status, same page, same slowing down
                #expect(known.status == .unprocessableContent)
                #expect(stranger.status == known.status, "attempt \(attempt)")
                #expect(Self.comparable(stranger, typed: unknown) == Self.comparable(known, typed: citizen.email), "attempt \(attempt)")
                #expect(!known.text.contains("verrouill") && !stranger.text.contains("verrouill"))
                let expected = Self.policy.delay(afterFailures: attempt - 1)
                #expect(knownWait >= expected && strangerWait >= expected, "attempt \(attempt): \(knownWait), \(strangerWait), expected \(expected)")
            }
        }
    }

    @Test func theDelayDoublesPastTheFreeFailuresUpToItsCap() {
        let policy = SignInThrottle.Policy(freeFailures: 3, firstDelay: .milliseconds(250), maximumDelay: .seconds(3))
        #expect((0...3).map(policy.delay(afterFailures:)) == [.zero, .zero, .zero, .zero])
        #expect(policy.delay(afterFailures: 4) == .milliseconds(250))
        #expect(policy.delay(afterFailures: 5) == .milliseconds(500))
        #expect(policy.delay(afterFailures: 7) == .seconds(2))
        #expect(policy.delay(afterFailures: 8) == .seconds(3))
        #expect(policy.delay(afterFailures: 1_000_000) == .seconds(3))
    }
}
