import DialogueContracts
import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import NIOCore
import PostgresNIO
import TestSupport
import Testing

/// The API authenticates by bearer token only, under every spelling of its paths, and reads
/// only bodies declared as JSON: a browser's cookies never act on it, with or without CSRF token.
@Suite struct APIAuthenticationTests {
    /// Spellings of a path that the router would read as `/api/v1/…` but that are not that text.
    static func spellings(of path: String) -> [String] {
        let rest = path.dropFirst("/api/".count)
        return ["/\(path)", "/api//\(rest)", "/./api/\(rest)", "/api/./\(rest)", "/static/../api/\(rest)", "/api/%2e/\(rest)", "\(path)/"]
    }

    @Test func nonCanonicalAPIPathsNeverReachTheAPIWithACookie() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: a confirmed citizen and an administrator, each signed in through the site
            let citizen = try await stack.makeCitizen()
            let administrator = try await stack.makeStaff([.administrator])
            let citizenBrowser = WebSession(client)
            try await citizenBrowser.signIn(citizen.email, citizen.password)
            let administratorBrowser = WebSession(client)
            try await administratorBrowser.signIn(administrator.email, administrator.password)
            #expect(citizenBrowser.sessionToken != nil && administratorBrowser.sessionToken != nil)
            // A draft the API would accept, so that only the path and the cookie decide.
            let body = #"{"title": "Une pétition déposée à mon insu", "text": "Nous demandons davantage de trains régionaux.", "reasons": "Les trains sont bondés aux heures de pointe."}"#

            // act and check: a cross-site "simple" POST (text/plain) under every spelling is refused
            for uri in Self.spellings(of: "/api/v1/petitions") {
                for contentType in ["text/plain", "application/json"] {
                    let response = try await citizenBrowser.request(
                        uri, method: .post, headers: [.contentType: contentType], body: ByteBuffer(string: body)
                    )
                    #expect(response.status == .badRequest, "POST \(uri) as \(contentType)")
                }
            }
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.petitions") == 0)
            // The same request with a bearer token on the canonical path creates the petition.
            let token = try await stack.issueStaffToken(roles: [.staff])
            let created = try await client.execute(
                uri: "/api/v1/petitions", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: ByteBuffer(string: body)
            )
            #expect(created.status == .created)

            // GET under another spelling is sent to the canonical path, where the cookie counts for nothing
            for uri in Self.spellings(of: "/api/v1/me") {
                let response = try await administratorBrowser.get(uri)
                #expect(response.status == .permanentRedirect, "GET \(uri)")
                #expect(response.headers[.location] == "/api/v1/me", "GET \(uri)")
            }
            let me = try await administratorBrowser.get("/api/v1/me")
            #expect(me.status == .unauthorized)
            #expect(me.apiError?.code != nil)
            // The query survives the redirect; a path never becomes protocol-relative.
            let redirected = try await administratorBrowser.get("//api/v1/petitions/similaires?titre=trains")
            #expect(redirected.headers[.location] == "/api/v1/petitions/similaires?titre=trains")
            #expect(try await client.get("//evil.example/x").headers[.location] == "/evil.example/x")
        }
    }

    @Test func aSessionCookieIsIgnoredByTheAPI() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, _ in
            // setup: an administrator's session cookie, as a browser holds it
            let administrator = try await stack.makeStaff([.administrator])
            let session = try await stack.openSession(for: administrator)
            let token = try await stack.issueToken(for: administrator)

            // act
            let withCookie = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: "dialogue_session=\(session)"])
            let withToken = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"])

            // check
            #expect(withCookie.status == .unauthorized)
            #expect(withCookie.isJSON)
            #expect(withToken.status == .ok)
        }
    }

    @Test func jsonEndpointsRefuseBodiesNotDeclaredAsJSON() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run { client, probe in
            // setup: a published petition
            let petition = try await client.createPetition()
            try await probe.openThroughModeration(petition.id, topology: stack.topology)
            let signatures = "/api/v1/petitions/\(petition.id.uuidString.lowercased())/signatures"
            let signature = #"{"name": "Camille Martin", "email": "camille@example.org", "postcode": "59000", "consent": true}"#
            let created = try await probe.int("SELECT count(*)::int8 FROM petitions.petitions")

            // act and check: valid JSON, declared as something else (or not declared), is refused
            let attempts: [(String, String?, String)] = [
                ("/api/v1/petitions", "text/plain", #"{"title": "Titre", "text": "Texte.", "reasons": "Raisons."}"#),
                (signatures, "text/plain;charset=UTF-8", signature),
                (signatures, "application/x-www-form-urlencoded", signature),
                (signatures, "multipart/form-data; boundary=x", signature),
                (signatures, "application/jsonp", signature),
                (signatures, nil, signature),
                ("/api/v1/petitions/signatures/confirmation", "text/plain", #"{"token": "abc"}"#),
            ]
            for (uri, contentType, body) in attempts {
                let headers: HTTPFields = contentType.map { [.contentType: $0] } ?? [:]
                let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect(response.status == .unsupportedMediaType, "POST \(uri) as \(contentType ?? "nothing")")
                #expect(response.isJSON)
                #expect(response.apiError?.code == "unsupported_media_type")
                #expect(response.apiError?.field == "Content-Type")
                #expect(response.apiError?.message.contains("application/json") == true)
            }
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.signatures") == 0)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.petitions") == created)

            // The same body declared as JSON (with a charset) goes through.
            let accepted = try await client.anonymous.execute(
                uri: signatures, method: .post, headers: [.contentType: "application/json; charset=utf-8"], body: ByteBuffer(string: signature)
            )
            #expect(accepted.status == .accepted)
        }
    }

    @Test func theContractDocuments415ForEveryRequestBody() throws {
        // setup
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../services/gateway/Gateway/openapi.json").standardized
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])

        // check
        var withBody = 0
        for (path, item) in paths {
            for (method, operation) in item {
                guard let operation = operation as? [String: Any], operation["requestBody"] != nil else { continue }
                withBody += 1
                let responses = operation["responses"] as? [String: Any]
                #expect(responses?["415"] != nil, "\(method) \(path)")
            }
        }
        #expect(withBody >= 3)
    }
}
