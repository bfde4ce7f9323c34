import Foundation
import Gateway
import Identity
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import NIOCore
import Testing
import TestSupport

/// Every protected route, for every kind of visitor, answers as the route's declared `Access` says.
@Suite struct AuthorizationMatrixTests {
    /// Who is asking.
    enum Kind: Sendable, CustomStringConvertible {
        case anonymous
        case citizen
        case staff(StaffRole)

        var description: String {
            switch self {
            case .anonymous: "anonymous"
            case .citizen: "citizen"
            case .staff(let role): role.rawValue
            }
        }
    }

    struct Visitor: Sendable {
        let kind: Kind
        /// The browser: its session cookie (none for the anonymous visitor) and CSRF cookie.
        let web: WebSession
        let apiToken: String?
    }

    /// Whether `access` admits `kind`, from the declaration alone.
    static func admits(_ access: Access, _ kind: Kind) -> Bool {
        switch (access, kind) {
        case (.everyone, _): true
        case (.signedIn, .anonymous): false
        case (.signedIn, _): true
        case (.staff(let roles), .staff(let role)): roles.contains(role)
        case (.staff, _): false
        }
    }

    static func uri(_ path: String) -> String {
        path.replacingOccurrences(of: "{id}", with: UUID().uuidString.lowercased())
    }

    /// One visitor of each kind, each with its own fresh account, session and CSRF token.
    static func makeVisitors(_ stack: GatewayStack, _ client: any TestClientProtocol) async throws -> [(Visitor, csrf: String)] {
        var visitors = [Visitor(kind: .anonymous, web: WebSession(client), apiToken: nil)]
        let citizen = try await stack.makeCitizen()
        let citizenWeb = WebSession(client)
        citizenWeb.setCookie(citizenWeb.sessionCookieName, try await stack.openSession(for: citizen))
        visitors.append(Visitor(kind: .citizen, web: citizenWeb, apiToken: try await stack.issuePersonalToken(for: citizen)))
        for role in StaffRole.allCases {
            let account = try await stack.makeStaff([role])
            let web = WebSession(client)
            web.setCookie(web.sessionCookieName, try await stack.openSession(for: account))
            visitors.append(Visitor(kind: .staff(role), web: web, apiToken: try await stack.issueToken(for: account)))
        }
        // Each visitor's CSRF token, so a POST is judged on the role, not on CSRF.
        var withTokens: [(Visitor, csrf: String)] = []
        for visitor in visitors { withTokens.append((visitor, try await visitor.web.csrfToken())) }
        return withTokens
    }

    @Test func everyProtectedRouteAdmitsExactlyTheVisitorsItsAccessDeclares() async throws {
        let stack = try await GatewayStack.make()
        let catalog = RouteCatalog()
        try await stack.run(settings: .forSecurityTests(), catalog: catalog) { client, _ in
            // setup: every route that is not open to everyone — back-office, signed-in pages and the API
            let routes = catalog.all.filter { $0.access != .everyone }
            #expect(!catalog.all.isEmpty)
            #expect(routes.contains { $0.method == .get && $0.path == "/admin/utilisateurs" && $0.access == .staff([.administrator]) })
            #expect(routes.contains { $0.method == .post && $0.path == "/admin/utilisateurs/{id}/roles" })
            #expect(routes.contains { $0.method == .get && $0.path == "/api/v1/me" })
            #expect(routes.contains { $0.method == .post && $0.path == "/api/v1/petitions" && $0.access == .signedIn })
            #expect(routes.contains { $0.method == .post && $0.path == "/admin/petitions/{id}/reponse" && $0.access == .staff([.administrator, .staff]) })
            #expect(routes.contains { $0.method == .get && $0.path == "/compte" && $0.access == .signedIn })
            #expect(routes.contains { $0.method == .post && $0.path == "/admin/forums/nouveau" && $0.access == .staff([.administrator, .staff]) })
            #expect(routes.contains { $0.method == .post && $0.path == "/forums/fils/{id}/repondre" && $0.access == .signedIn })
            #expect(routes.contains { $0.method == .post && $0.path == "/forums/messages/{id}/modifier" && $0.access == .signedIn })
            #expect(routes.count(where: { $0.path.hasPrefix("/admin") }) >= 10)
            #expect(routes.count(where: { !$0.path.hasPrefix("/admin") && !$0.path.hasPrefix("/api/") }) >= 5)
            // every declared route has a distinct (method, path)
            #expect(Set(catalog.all.map { "\($0.method) \($0.path)" }).count == catalog.all.count)

            // Visitors who only read are shared; a route that changes state (signing out, erasing
            // an account, …) gets visitors of its own, so it cannot change what the next route sees.
            let readers = try await Self.makeVisitors(stack, client)

            // act and check
            var allowed = 0, denied = 0
            for route in routes {
                let visitors = route.method == .get ? readers : try await Self.makeVisitors(stack, client)
                for (visitor, csrf) in visitors {
                    let uri = Self.uri(route.path)
                    // Staff hold staff tokens, the citizen a personal one: on the API, a visitor without one is anonymous.
                    let expected = Self.admits(route.access, visitor.kind) && (!route.path.hasPrefix("/api/") || visitor.apiToken != nil)
                    let what: Comment = "\(route.method) \(route.path) (\(route.access)) as \(visitor.kind)"
                    if route.path.hasPrefix("/api/") {
                        var headers: HTTPFields = [.contentType: "application/json"]
                        if let token = visitor.apiToken { headers[.authorization] = "Bearer \(token)" }
                        let response = try await visitor.web.request(
                            uri, method: route.method, headers: headers, body: route.method == .post ? ByteBuffer(string: "{}") : nil
                        )
                        if expected {
                            #expect(![HTTPResponse.Status.unauthorized, .forbidden].contains(response.status), what)
                        } else if visitor.apiToken != nil {
                            // a staff token without the role, or a citizen's personal token on a staff operation
                            #expect(response.status == .forbidden, what)
                            #expect(response.isJSON, what)
                            #expect(response.apiError?.code == "forbidden", what)
                        } else {
                            // Without a token, a session cookie is worth nothing on the API.
                            #expect(response.status == .unauthorized, what)
                            #expect(response.headers[.wwwAuthenticate] == "Bearer", what)
                            #expect(response.isJSON, what)
                            #expect(response.apiError?.code == "unauthenticated", what)
                            #expect(response.apiError?.message.isEmpty == false, what)
                        }
                    } else {
                        let response = route.method == .post
                            ? try await visitor.web.post(uri, fields: [("_csrf", csrf)])
                            : try await visitor.web.get(uri)
                        if expected {
                            #expect(![HTTPResponse.Status.unauthorized, .forbidden].contains(response.status), what)
                            #expect(!response.redirectsToSignIn, what)
                        } else if case .anonymous = visitor.kind {
                            #expect(response.status == .seeOther, what)
                            #expect(response.redirectsToSignIn, what)
                            #expect(response.signInReturn == uri, what)
                        } else {
                            #expect(response.status == .forbidden, what)
                            #expect(response.isHTML, what)
                            #expect(response.text.contains("Accès refusé"), what)
                        }
                    }
                    if expected { allowed += 1 } else { denied += 1 }
                }
            }
            #expect(allowed + denied == routes.count * readers.count)
            #expect(allowed > 20)
            #expect(denied > 20)
        }
    }

    @Test func cookiesNeverAuthenticateTheAPI() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), catalog: RouteCatalog()) { client, _ in
            // setup: a citizen's and an administrator's live sessions
            let citizen = try await stack.makeCitizen()
            let administrator = try await stack.makeStaff([.administrator])
            for account in [citizen, administrator] {
                let web = WebSession(client)
                web.setCookie(web.sessionCookieName, try await stack.openSession(for: account))
                #expect(try await web.get("/compte").status == .ok)

                // act
                let response = try await web.get("/api/v1/me")

                // check
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
                #expect(response.apiError?.code == "unauthenticated")
            }
            // A staff token issued to an account without a role opens nothing either,
            let citizenToken = try await stack.issueToken(for: citizen)
            let withToken = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(citizenToken)"])
            #expect(withToken.status == .unauthorized)
            #expect(withToken.apiError?.code == "unauthenticated")
            // and the citizen's personal token is refused on a staff operation.
            let personalToken = try await stack.issuePersonalToken(for: citizen)
            let withPersonalToken = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(personalToken)"])
            #expect(withPersonalToken.status == .forbidden)
            #expect(withPersonalToken.apiError?.code == "forbidden")
            // while the administrator's token does
            let adminToken = try await stack.issueToken(for: administrator)
            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(adminToken)"])
            #expect(me.status == .ok)
            #expect(me.text.contains(administrator.email))
        }
    }
}
