import DialogueContracts
import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// The per-client limits on sign-in, registration, reset and public writes, through the live site.
@Suite struct RateLimitTests {
    static func limits(signIn: Int = 10_000, registration: Int = 10_000, passwordReset: Int = 10_000) -> GatewaySettings.RateLimits {
        var limits = GatewaySettings.RateLimits.generous
        limits.signIn.limit = signIn
        limits.registration.limit = registration
        limits.passwordReset.limit = passwordReset
        return limits
    }

    /// A page answer to a client over a limit: 429, when to retry, in French.
    static func expectLimitedPage(_ response: TestResponse, window: Int, _ what: Comment) {
        #expect(response.status == .tooManyRequests, what)
        let retryAfter = response.headers[.retryAfter].flatMap { Int($0) }
        #expect(retryAfter.map { (1...window).contains($0) } == true, what)
        #expect(response.isHTML, what)
        #expect(response.text.contains("<html lang=\"fr\">"), what)
        #expect(response.text.contains("Trop de tentatives"), what)
        #expect(response.text.contains("Réessayez dans"), what)
    }

    @Test func theFourthSignInAttemptIsRefused() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(rateLimits: Self.limits(signIn: 3)), asStaff: false) { client, probe in
            // setup
            let citizen = try await stack.makeCitizen()
            let web = WebSession(client)

            // act: three wrong passwords, then the right one
            for attempt in 1...3 {
                let response = try await web.signIn(citizen.email, "pas le bon mot de passe \(attempt)")
                #expect(response.status == .unprocessableContent, "attempt \(attempt)")
            }
            let fourth = try await web.signIn(citizen.email, citizen.password)

            // check: refused before the password is even looked at
            Self.expectLimitedPage(fourth, window: 300, "fourth attempt")
            #expect(fourth.setCookie(named: web.sessionCookieName) == nil)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.sessions") == 0)
            // Another address from the same client is refused too: the budget is the client's.
            let other = try await stack.makeCitizen()
            Self.expectLimitedPage(try await web.signIn(other.email, other.password), window: 300, "another account")
        }
    }

    @Test func registrationAndResetRequestsAreLimited() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(rateLimits: Self.limits(registration: 2, passwordReset: 2)), asStaff: false) { client, probe in
            // setup
            let web = WebSession(client)
            func register() async throws -> TestResponse {
                try await web.submit("/inscription", [
                    ("email", uniqueEmail("limite")), ("password", testPassword), ("password_confirmation", testPassword), ("terms", "1"),
                ], from: "/inscription")
            }

            // act
            let registrations = [try await register(), try await register(), try await register()]
            let resets = [
                try await web.submit("/mot-de-passe-oublie", [("email", uniqueEmail())], from: "/mot-de-passe-oublie"),
                try await web.submit("/mot-de-passe-oublie", [("email", uniqueEmail())], from: "/mot-de-passe-oublie"),
                try await web.submit("/mot-de-passe-oublie", [("email", uniqueEmail())], from: "/mot-de-passe-oublie"),
            ]

            // check
            #expect(registrations[0].status == .seeOther)
            #expect(registrations[1].status == .seeOther)
            Self.expectLimitedPage(registrations[2], window: 3600, "third registration")
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.accounts") == 2)
            #expect(resets[0].status == .ok)
            #expect(resets[1].status == .ok)
            Self.expectLimitedPage(resets[2], window: 3600, "third reset request")
        }
    }

    @Test func signaturesOverTheirLimitsPerAddressAndPerDomainAreHeldAndAnsweredAsAnyOther() async throws {
        let stack = try await GatewayStack.make()
        var limits = Self.limits()
        limits.signatureBurst.limit = 2
        limits.signatureDomain.limit = 3
        // Behind a trusted proxy, so each request may come from an address of its own.
        let settings = GatewaySettings.forSecurityTests(rateLimits: limits, trustedProxies: try #require(TrustedProxies(list: "127.0.0.1")))
        try await stack.run(settings: settings, asStaff: false) { client, probe in
            // setup
            let petition = try await probe.insertPetition(threshold: 100)
            let other = try await probe.insertPetition(threshold: 100)
            func sign(_ email: String, from address: String, on id: UUID = petition) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/petitions/\(id.uuidString.lowercased())/signatures", method: .post,
                    headers: [.contentType: "application/json", .xForwardedFor: address],
                    body: ByteBuffer(string: #"{"name": "Camille", "email": "\#(email)", "postcode": "59000", "consent": true}"#)
                )
            }
            func held(_ email: String) -> PostgresQuery {
                "SELECT held_rule || ' ' || held_agent || ' ' || held_network::text FROM petitions.signatures WHERE email = \(email) AND held_at IS NOT NULL"
            }

            // act and check: two from one address on one petition, then a third answered alike
            let first = try await sign("a@campagne.example", from: "203.0.113.1")
            #expect(first.status == .accepted)
            #expect(try await sign("b@campagne.example", from: "203.0.113.1").status == .accepted)
            let third = try await sign("c@campagne.example", from: "203.0.113.1")
            #expect(third.status == .accepted)
            #expect(third.text == first.text)
            #expect(third.headers[.retryAfter] == nil)
            // the same address keeps its budget on another petition
            #expect(try await sign("c@campagne.example", from: "203.0.113.1", on: other).status == .accepted)
            // a third signature from the domain passes from another address, a fourth is held…
            #expect(try await sign("d@campagne.example", from: "203.0.113.2").status == .accepted)
            #expect(try await sign("e@campagne.example", from: "203.0.113.3").status == .accepted)
            // …while public providers, shared by many honest people, have no domain limit
            #expect(try await sign("f@gmail.com", from: "203.0.113.3").status == .accepted)

            // every signature stored, the two over a limit held with their source
            try await eventually("all signatures stored") { try await probe.signatureRows(petition) == 6 }
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.signatures WHERE held_at IS NOT NULL") == 2)
            #expect(try await probe.texts(held("c@campagne.example")) == ["signature-burst api 203.0.113.0/24"])
            #expect(try await probe.texts(held("e@campagne.example")) == ["signature-domain api 203.0.113.0/24"])
            // each of them was mailed its link, as anyone
            for email in ["c@campagne.example", "e@campagne.example"] { _ = try await probe.signatureToken(to: email) }
            // Reads are not writes: the petition still reads.
            #expect(try await client.get("/api/v1/petitions/\(petition.uuidString.lowercased())").status == .ok)
        }
    }

    @Test func forwardedAddressesGetTheirOwnBudgetOnlyBehindATrustedProxy() async throws {
        let stack = try await GatewayStack.make()
        let settings = GatewaySettings.forSecurityTests(rateLimits: Self.limits(signIn: 2), trustedProxies: try #require(TrustedProxies(list: "127.0.0.1")))
        try await stack.run(settings: settings, asStaff: false) { client, _ in
            // setup
            let web = WebSession(client)
            let token = try await web.csrfToken()
            func attempt(from address: String) async throws -> TestResponse {
                try await web.post(
                    "/connexion", fields: [("_csrf", token), ("email", "personne@exemple.fr"), ("password", "pas le bon mot de passe")],
                    headers: [.xForwardedFor: address]
                )
            }

            // act and check: the first client uses its budget up
            #expect(try await attempt(from: "203.0.113.10").status == .unprocessableContent)
            #expect(try await attempt(from: "203.0.113.10").status == .unprocessableContent)
            Self.expectLimitedPage(try await attempt(from: "203.0.113.10"), window: 300, "first client, third attempt")
            // the second has its own
            #expect(try await attempt(from: "198.51.100.20").status == .unprocessableContent)
            // a client cannot get a new budget by prepending addresses: the right-most untrusted one counts
            Self.expectLimitedPage(try await attempt(from: "192.0.2.99, 203.0.113.10"), window: 300, "spoofed prefix")
        }
    }

    @Test func forwardedAddressesAreIgnoredWithoutATrustedProxy() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(rateLimits: Self.limits(signIn: 2)), asStaff: false) { client, _ in
            // setup
            let web = WebSession(client)
            let token = try await web.csrfToken()
            func attempt(from address: String) async throws -> TestResponse {
                try await web.post(
                    "/connexion", fields: [("_csrf", token), ("email", "personne@exemple.fr"), ("password", "pas le bon mot de passe")],
                    headers: [.xForwardedFor: address]
                )
            }

            // act
            let first = try await attempt(from: "203.0.113.10")
            let second = try await attempt(from: "198.51.100.20")
            let third = try await attempt(from: "192.0.2.30")

            // check: every "client" is the same peer, with one budget
            #expect(first.status == .unprocessableContent)
            #expect(second.status == .unprocessableContent)
            Self.expectLimitedPage(third, window: 300, "third attempt, whatever the header says")
        }
    }
}

/// Whom `X-Forwarded-For` is believed from, and which address it yields.
@Suite struct TrustedProxiesTests {
    @Test func networksAndAddressesAreMatched() throws {
        let proxies = try #require(TrustedProxies(list: " 10.0.0.0/8, 192.168.1.7 ,172.16.0.0/12, ::1, 2001:DB8::1 "))
        for address in ["10.0.0.1", "10.255.255.255", "192.168.1.7", "172.16.0.1", "172.31.255.254", "::1", "2001:db8::1"] {
            #expect(proxies.contains(address), "\(address)")
        }
        for address in ["11.0.0.1", "9.255.255.255", "192.168.1.8", "172.32.0.1", "172.15.255.255", "::2", "localhost", "", "10.0.0", "10.0.0.1.5"] {
            #expect(!proxies.contains(address), "\(address)")
        }
        let everyone = try #require(TrustedProxies(list: "0.0.0.0/0"))
        #expect(everyone.contains("8.8.8.8"))
        #expect(!everyone.contains("::1"))
        let host = try #require(TrustedProxies(list: "127.0.0.1/32"))
        #expect(host.contains("127.0.0.1"))
        #expect(!host.contains("127.0.0.2"))
    }

    @Test func malformedListsAreRefused() {
        for list in ["10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/8/1", "300.1.1.1", "10.0.0", "proxy.internal", "10.0.0.0/x", "1.2.3.4.5"] {
            #expect(TrustedProxies(list: list) == nil, "\(list)")
        }
        let empty = TrustedProxies(list: "")
        #expect(empty != nil)
        #expect(empty?.contains("127.0.0.1") == false)
    }

    @Test func theClientIsTheRightMostUntrustedAddress() throws {
        let proxies = try #require(TrustedProxies(list: "10.0.0.0/8"))
        func client(_ peer: String?, _ forwarded: [String]) -> String {
            var headers = HTTPFields()
            for value in forwarded { headers.append(HTTPField(name: .xForwardedFor, value: value)) }
            return proxies.clientAddress(peer: peer, headers: headers)
        }
        // An untrusted peer is the client, whatever it claims.
        #expect(client("203.0.113.5", ["198.51.100.1"]) == "203.0.113.5")
        // A trusted proxy is believed; the addresses its own proxies added are skipped.
        #expect(client("10.0.0.2", ["198.51.100.1"]) == "198.51.100.1")
        #expect(client("10.0.0.2", ["198.51.100.1, 10.1.1.1"]) == "198.51.100.1")
        #expect(client("10.0.0.2", ["192.0.2.66, 198.51.100.1, 10.1.1.1"]) == "198.51.100.1")
        // several header lines read as one list, in order
        #expect(client("10.0.0.2", ["192.0.2.66", "198.51.100.1 , 10.1.1.1"]) == "198.51.100.1")
        // nothing forwarded: the proxy itself; only proxies: the farthest one
        #expect(client("10.0.0.2", []) == "10.0.0.2")
        #expect(client("10.0.0.2", ["10.3.3.3, 10.4.4.4"]) == "10.3.3.3")
        #expect(client(nil, ["198.51.100.1"]) == "unknown")
        // nobody trusted: the header is never read
        #expect(TrustedProxies().clientAddress(peer: "127.0.0.1", headers: [.xForwardedFor: "198.51.100.1"]) == "127.0.0.1")
    }
}

/// Fixed windows per rule and client, shared through the `identity` schema.
@Suite struct RateLimiterTests {
    /// Runs `body` with a client of a fresh gateway database, as the gateway connects.
    static func withDatabase(_ body: @Sendable (PostgresClient, Probe) async throws -> Void) async throws {
        let database = try await TestDatabase.make()
        try await migrate(.gateway, directory: Gateway.migrationsDirectory, on: database)
        try await TestDatabase.withClient(database.settings(for: .gateway), searchPath: ServiceName.gateway.schema) { client in
            try await Probe.on(database) { probe in try await body(client, probe) }
        }
    }

    static func limiter(_ client: PostgresClient, syncInterval: Duration = .seconds(3600)) -> RateLimiter {
        RateLimiter(database: client, logger: TestEnvironment.logger, syncInterval: syncInterval, cleanupInterval: .zero)
    }

    @Test func aClientOverTheLimitIsToldTheTimeLeft() async throws {
        try await Self.withDatabase { client, _ in
            let limiter = Self.limiter(client)
            let rule = RateLimitRule(name: "sign-in", limit: 3, window: .seconds(300))
            for _ in 1...3 { try await limiter.check(rule, client: "203.0.113.1") }

            let refusal = await #expect(throws: RateLimitExceeded.self) { try await limiter.check(rule, client: "203.0.113.1") }
            #expect(refusal?.rule == "sign-in")
            #expect(refusal.map { (299...300).contains($0.retryAfter) } == true)
            // Refused attempts do not extend the window or count further.
            let again = await #expect(throws: RateLimitExceeded.self) { try await limiter.check(rule, client: "203.0.113.1") }
            #expect(again.map { $0.retryAfter <= refusal?.retryAfter ?? 0 } == true)

            // Other clients and other rules have budgets of their own.
            try await limiter.check(rule, client: "203.0.113.2")
            try await limiter.check(RateLimitRule(name: "registration", limit: 1, window: .seconds(300)), client: "203.0.113.1")
        }
    }

    @Test func aNewWindowStartsOnceTheOldOneHasPassed() async throws {
        try await Self.withDatabase { client, _ in
            let limiter = Self.limiter(client)
            let rule = RateLimitRule(name: "public-write", limit: 2, window: .milliseconds(1500))
            let start = ContinuousClock.now
            try await limiter.check(rule, client: "198.51.100.7")
            try await limiter.check(rule, client: "198.51.100.7")
            let refusal = await #expect(throws: RateLimitExceeded.self) { try await limiter.check(rule, client: "198.51.100.7") }
            // Whole seconds, rounded up: never zero, never past the window.
            #expect(refusal.map { (1...2).contains($0.retryAfter) } == true)

            try await eventually(timeout: .seconds(5), "a new window") {
                (try? await limiter.check(rule, client: "198.51.100.7")) != nil
            }
            #expect(ContinuousClock.now - start >= .milliseconds(1400))
            // The new window has the whole limit: one more, then refused again.
            try await limiter.check(rule, client: "198.51.100.7")
            await #expect(throws: RateLimitExceeded.self) { try await limiter.check(rule, client: "198.51.100.7") }
        }
    }

    @Test func aLongWindowSurvivesTheCleanUpOnlyEndedOnesGo() async throws {
        try await Self.withDatabase { client, probe in
            // setup: a 24-hour limit reached two hours ago, and a short window that has ended
            let limiter = Self.limiter(client)
            let deposit = RateLimitRule(name: "petition-deposit", limit: 2, window: .seconds(24 * 3600))
            try await limiter.check(deposit, client: "account:a")
            try await limiter.check(deposit, client: "account:a")
            try await probe.execute(
                "UPDATE identity.rate_limit_windows SET window_start = window_start - interval '2 hours', window_end = window_end - interval '2 hours'"
            )
            try await probe.execute(
                """
                INSERT INTO identity.rate_limit_windows (rule, client, window_start, window_end, count)
                VALUES ('sign-in', '203.0.113.5', now() - interval '10 minutes', now() - interval '5 minutes', 10)
                """
            )

            // act: the clean-up, then more requests (each able to drive a clean-up: interval zero)
            #expect(try await limiter.removeEndedWindows() == 1)
            let refusal = await #expect(throws: RateLimitExceeded.self) { try await limiter.check(deposit, client: "account:a") }
            try await limiter.check(deposit, client: "account:b")

            // check: the 24-hour window still refuses, for the 22 hours it has left
            #expect(refusal.map { (21 * 3600...22 * 3600).contains($0.retryAfter) } == true)
            #expect(try await probe.int("SELECT count::int8 FROM identity.rate_limit_windows WHERE client = 'account:a'") == 2)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.rate_limit_windows WHERE rule = 'sign-in'") == 0)
        }
    }

    @Test func twoLimitersOnOneDatabaseCountTogether() async throws {
        try await Self.withDatabase { client, probe in
            // exact: two replicas share one budget
            let first = Self.limiter(client)
            let second = Self.limiter(client)
            let rule = RateLimitRule(name: "sign-in", limit: 3, window: .seconds(300))
            try await first.check(rule, client: "203.0.113.1")
            try await second.check(rule, client: "203.0.113.1")
            try await first.check(rule, client: "203.0.113.1")
            await #expect(throws: RateLimitExceeded.self) { try await second.check(rule, client: "203.0.113.1") }
            await #expect(throws: RateLimitExceeded.self) { try await first.check(rule, client: "203.0.113.1") }

            // batched: each replica learns the other's count when it synchronises
            let burst = RateLimitRule(name: "signature-burst", limit: 3, window: .seconds(60))
            #expect(await first.admits(burst, client: "198.51.100.7|p"))
            #expect(await first.admits(burst, client: "198.51.100.7|p"))
            try await first.synchronize()
            #expect(await second.admits(burst, client: "198.51.100.7|p"))
            try await second.synchronize()
            #expect(try await probe.int("SELECT count::int8 FROM identity.rate_limit_windows WHERE rule = 'signature-burst'") == 3)
            // the second counted one, yet knows the first's two: it is over
            #expect(await second.admits(burst, client: "198.51.100.7|p") == false)
            // the first learns the total on its next write, at most one interval's worth over
            #expect(await first.admits(burst, client: "198.51.100.7|p"))
            try await first.synchronize()
            #expect(await first.admits(burst, client: "198.51.100.7|p") == false)
            #expect(try await probe.int("SELECT count::int8 FROM identity.rate_limit_windows WHERE rule = 'signature-burst'") == 4)
        }
    }

    @Test func refusedRequestsResetNothing() async throws {
        try await Self.withDatabase { client, probe in
            let limiter = Self.limiter(client, syncInterval: .zero)
            let rule = RateLimitRule(name: "sign-in", limit: 2, window: .seconds(300))
            try await limiter.check(rule, client: "203.0.113.1")
            try await limiter.check(rule, client: "203.0.113.1")
            let window = "SELECT count::int8 FROM identity.rate_limit_windows WHERE client = '203.0.113.1'"
            let ends = "SELECT window_start::text || ' ' || window_end::text FROM identity.rate_limit_windows WHERE client = '203.0.113.1'"
            let before = try await probe.texts(PostgresQuery(unsafeSQL: ends))

            // act: a stream of refused requests, on both paths
            for _ in 1...50 {
                await #expect(throws: RateLimitExceeded.self) { try await limiter.check(rule, client: "203.0.113.1") }
            }
            let burst = RateLimitRule(name: "signature-burst", limit: 2, window: .seconds(60))
            #expect(await limiter.admits(burst, client: "198.51.100.7|p"))
            #expect(await limiter.admits(burst, client: "198.51.100.7|p"))
            for _ in 1...50 { #expect(await limiter.admits(burst, client: "198.51.100.7|p") == false) }
            try await limiter.synchronize()

            // check: the same windows, the same counts, still refusing
            #expect(try await probe.int(PostgresQuery(unsafeSQL: window)) == 2)
            #expect(try await probe.texts(PostgresQuery(unsafeSQL: ends)) == before)
            #expect(try await probe.int("SELECT count::int8 FROM identity.rate_limit_windows WHERE rule = 'signature-burst'") == 2)
            await #expect(throws: RateLimitExceeded.self) { try await limiter.check(rule, client: "203.0.113.1") }
            #expect(await limiter.admits(burst, client: "198.51.100.7|p") == false)
        }
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
