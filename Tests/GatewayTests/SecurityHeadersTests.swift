import Foundation
import Gateway
import Identity
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// The security headers on every kind of answer: pages, redirects, API errors, 404s, assets.
@Suite struct SecurityHeadersTests {
    /// The policy's directives, by name.
    static func directives(_ policy: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for directive in policy.split(separator: ";") {
            let words = directive.split(separator: " ").map(String.init)
            guard let name = words.first else { continue }
            result[name.lowercased()] = Array(words.dropFirst())
        }
        return result
    }

    static func expectSecurityHeaders(_ response: TestResponse, _ what: String) {
        let policy = response.header("Content-Security-Policy")
        #expect(policy != nil, "\(what): Content-Security-Policy")
        if let policy {
            let directives = Self.directives(policy)
            #expect(!policy.contains("'unsafe-inline'"), "\(what): \(policy)")
            #expect(!policy.contains("'unsafe-eval'"), "\(what): \(policy)")
            #expect(directives["frame-ancestors"] == ["'none'"], "\(what): \(policy)")
            #expect(directives["default-src"] != nil, "\(what): \(policy)")
            #expect(directives["object-src"] == ["'none'"], "\(what): \(policy)")
            // Scripts only from the site itself (a missing script-src falls back to default-src).
            let scripts = directives["script-src"] ?? directives["default-src"] ?? []
            #expect(!scripts.isEmpty && scripts.allSatisfy { $0 == "'self'" || $0 == "'none'" }, "\(what): \(policy)")
        }
        #expect(response.header("X-Content-Type-Options") == "nosniff", "\(what)")
        let referrer = response.header("Referrer-Policy")
        #expect(["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"].contains(referrer ?? ""), "\(what): \(referrer ?? "none")")
        #expect(response.header("X-Frame-Options") == "DENY", "\(what)")
    }

    @Test func everyKindOfAnswerCarriesTheHeaders() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, _ in
            // setup
            let citizen = try await stack.makeCitizen()
            let signedIn = WebSession(client)
            try await signedIn.signIn(citizen.email, citizen.password)

            // act
            let answers: [(String, TestResponse, HTTPResponse.Status)] = [
                ("home page", try await client.get("/"), .ok),
                ("account page", try await signedIn.get("/compte"), .ok),
                ("redirect to sign-in", try await client.get("/compte"), .seeOther),
                ("page 404", try await client.get("/nulle-part"), .notFound),
                ("form without its token", try await WebSession(client).post("/connexion", fields: [("email", citizen.email)]), .forbidden),
                ("API 401", try await client.get("/api/v1/me"), .unauthorized),
                ("API 404", try await client.get("/api/v1/nulle-part"), .notFound),
                ("API JSON error from a handler", try await client.get("/api/v1/petitions/pas-un-uuid"), .notFound),
                ("OpenAPI document", try await client.get("/api/v1/openapi.json"), .ok),
                ("stylesheet", try await client.get("/static/site.css"), .ok),
            ]

            // check
            for (what, response, status) in answers {
                #expect(response.status == status, "\(what)")
                Self.expectSecurityHeaders(response, what)
                // Plain HTTP here: browsers are not told to insist on HTTPS.
                #expect(response.header("Strict-Transport-Security") == nil, "\(what)")
            }
            #expect(answers[5].1.isJSON)
            #expect(answers[6].1.isJSON)
            #expect(answers[3].1.isHTML)
            // Pages carrying personal data or CSRF tokens are never cached.
            #expect(answers[1].1.headers[.cacheControl] == "no-store")
        }
    }

    @Test func pagesNeedNothingThePolicyForbids() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, _ in
            // setup: pages of every kind, signed in as an administrator
            let administrator = try await stack.makeStaff([.administrator])
            let web = WebSession(client)
            try await web.signIn(administrator.email, administrator.password)
            let pages = [
                "/", "/connexion", "/inscription", "/mot-de-passe-oublie", "/mentions-legales", "/accessibilite", "/donnees-personnelles",
                "/compte", "/compte/suppression", "/compte/jetons", "/admin", "/admin/utilisateurs", "/admin/utilisateurs/nouveau", "/admin/journal", "/admin/jetons",
            ]

            for path in pages {
                // act
                let page = try await web.get(path)

                // check: no inline script, style or event handler (the policy would block them)
                #expect(page.status == .ok, "\(path)")
                Self.expectSecurityHeaders(page, path)
                let html = page.text.lowercased()
                for fragment in ["<script", "<style", " style=\"", " onclick=", " onload=", " onsubmit=", "javascript:"] {
                    #expect(!html.contains(fragment), "\(path): \(fragment)")
                }
                #expect(html.contains("<link rel=\"stylesheet\" href=\"/static/site.css\">"), "\(path)")
            }
        }
    }
}
