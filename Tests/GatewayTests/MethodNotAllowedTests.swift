import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport

/// A path the site serves asked with another method is answered 405 with the methods it
/// serves, a path it does not serve stays 404, and HEAD is served wherever GET is.
@Suite struct MethodNotAllowedTests {
    static let trace = HTTPRequest.Method("TRACE")!

    @Test func aWrongMethodOnAServedPathIsAnswered405WithTheMethodsServedThere() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, _ in
            // act and check: the API answers in its JSON format, with Allow
            let api = try await client.execute(uri: "/api/v1/petitions", method: Self.trace)
            #expect(api.status == .methodNotAllowed)
            #expect(api.headers[.allow] == "POST")
            #expect(api.headers[.contentType] == "application/json; charset=utf-8")
            #expect(api.apiError?.code == "method_not_allowed")
            // a path with a parameter: the methods of that route only
            let petition = try await client.execute(uri: "/api/v1/petitions/\(UUID().uuidString.lowercased())", method: .delete)
            #expect(petition.status == .methodNotAllowed)
            #expect(petition.headers[.allow] == "GET, HEAD")

            // a page: the French error page, with Allow
            let page = try await client.execute(uri: "/petitions", method: .put)
            #expect(page.status == .methodNotAllowed)
            #expect(page.headers[.allow] == "GET, HEAD")
            #expect(String(buffer: page.body).contains("ne prend pas en charge cette méthode (PUT)"))
        }
    }

    @Test func anUnknownPathStays404AndAHandlersOwn404IsKept() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, _ in
            let unknown = try await client.execute(uri: "/api/v1/nulle-part", method: Self.trace)
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.allow] == nil)
            // GET is served at /petitions/{id}: an unknown petition is a 404, not a 405.
            let missing = try await client.execute(uri: "/petitions/\(UUID().uuidString.lowercased())", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.headers[.allow] == nil)
        }
    }

    @Test func headIsServedWhereverGetIs() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, _ in
            let get = try await client.execute(uri: "/petitions", method: .get)
            let head = try await client.execute(uri: "/petitions", method: .head)
            #expect(get.status == .ok)
            #expect(head.status == .ok)
            #expect(head.headers[.contentType] == get.headers[.contentType])
            #expect(head.body.readableBytes == 0)
        }
    }

    @Test func declaredPathsMatchTheSegmentsTheRouterWould() {
        func matches(_ pattern: String, _ path: String) -> Bool {
            RouteCatalog.pattern(pattern, matches: path.split(separator: "/", omittingEmptySubsequences: true))
        }
        #expect(matches("/petitions/{id}/cloture", "/petitions/42/cloture"))
        #expect(matches("/petitions/:id", "/petitions/42"))
        #expect(matches("/static/**", "/static/a/b"))
        #expect(!matches("/static/**", "/static"))
        #expect(!matches("/petitions/{id}", "/petitions/42/cloture"))
        #expect(!matches("/petitions/{id}", "/petitions"))
        #expect(!matches("/petitions/{id}/cloture", "/petitions/42/signatures"))
        #expect(matches("/", "/"))
    }
}
