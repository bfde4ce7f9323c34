import Foundation
import DialogueContracts
import Identity
import Gateway
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport

/// The XSS corpus sent to every route the gateway declares — in every query parameter and
/// form field the site knows, and as a JSON body on the API — never comes back as markup.
///
/// `XSSTests` follows each text through the pages that show it; this sweep is the safety net
/// for a route nobody thought of, including the ones features add later: it reads the route
/// catalogue, so a new route is covered the day it is declared.
@Suite struct EveryRouteXSSTests {
    /// Attributes that would run a payload's URL.
    static let scriptURLs = ["href=\"javascript:", "src=\"javascript:", "action=\"javascript:", "formaction=\"javascript:"]

    /// Whatever the route answered, nothing in it runs: an HTML page carries neither the raw
    /// payload nor forbidden markup; anything else is a typed, non-sniffable body or a redirect
    /// whose target stays encoded.
    static func expectInert(_ response: TestResponse, _ payload: String, _ what: Comment) {
        if let location = response.location {
            #expect(!location.contains("<") && !location.contains("\""), what)
        }
        let contentType = response.headers[.contentType] ?? ""
        let body = response.text
        if contentType.hasPrefix("text/html") {
            let html = body.lowercased()
            for fragment in XSSTests.forbidden { #expect(!html.contains(fragment), "\(what): raw \(fragment)") }
            for attribute in scriptURLs { #expect(!html.contains(attribute), "\(what): \(attribute)") }
            if payload.contains(where: { "<>\"'".contains($0) }) { #expect(!body.contains(payload), "\(what): raw payload") }
        } else if !body.isEmpty {
            #expect(!contentType.isEmpty, "\(what): a body without a type")
            #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(what): sniffable")
        }
    }

    /// The names of every form field on `html` (hidden ones included, but the CSRF token).
    static func fieldNames(in html: String) -> Set<String> {
        var names: Set<String> = []
        var rest = html[...]
        while let start = rest.range(of: "name=\"") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            names.insert(String(rest[..<end]))
            rest = rest[end...]
        }
        names.remove("_csrf")
        return names
    }

    /// `path` with each `{parameter}` replaced: a petition's or an account's id where the
    /// route names one of those (so the route reaches its page rather than a 404), else a fresh id.
    static func uri(_ path: String, petition: UUID, account: UUID) -> String {
        var result = ""
        var previous = ""
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.hasPrefix("{") && segment.hasSuffix("}") {
                let id = switch previous {
                case "petitions": petition
                case "utilisateurs": account
                default: UUID()
                }
                result += id.uuidString.lowercased()
            } else {
                result += segment
            }
            result += "/"
            previous = String(segment)
        }
        return String(result.dropLast())
    }

    @Test func theCorpusNeverComesBackAsMarkupOnAnyRoute() async throws {
        let stack = try await GatewayStack.make()
        let catalog = RouteCatalog()
        try await stack.run(settings: .forSecurityTests(), catalog: catalog) { client, _ in
            // setup: an account holding every staff role (it reaches every page), with a token
            // for the API; a petition and an account whose texts are payloads, for the id routes
            let staff = try await stack.makeStaff(Set(StaffRole.allCases))
            let token = try await stack.issueToken(for: staff)
            let api = BearerClient(base: client, token: token)
            let petition = try await api.createPetition(title: "Pétition \(XSSTests.payloads[1])")
            let citizen = try await stack.makeCitizen(displayName: String(XSSTests.payloads[0].prefix(60)), commune: XSSTests.payloads[3])
            func signedInBrowser() async throws -> (WebSession, csrf: String) {
                let web = WebSession(client)
                web.setCookie(web.sessionCookieName, try await stack.openSession(for: staff))
                return (web, try await web.csrfToken())
            }
            let (reader, _) = try await signedInBrowser()
            let routes = catalog.all
            func uri(_ path: String) -> String { Self.uri(path, petition: petition.id, account: citizen.id) }

            // Every field name the site's pages use, read from the pages themselves.
            var names: Set<String> = ["q", "statut", "page", "retour", "token", "email"]
            var pagesRead = 0
            for route in routes where route.method == .get && !route.path.hasPrefix("/api/") {
                let page = try await reader.get(uri(route.path))
                if page.isHTML { names.formUnion(Self.fieldNames(in: page.text)) }
                if page.status == .ok { pagesRead += 1 }
            }
            #expect(pagesRead >= 15)
            #expect(names.isSuperset(of: ["display_name", "commune", "title", "text"]))
            let sortedNames = names.sorted()

            // act and check
            var requests = 0
            for payload in XSSTests.payloads {
                let query = sortedNames.map { "\($0)=\(WebSession.query(payload))" }.joined(separator: "&")
                for route in routes {
                    let what: Comment = "\(route.method) \(route.path) with \(payload)"
                    let target = uri(route.path)
                    let response: TestResponse
                    switch (route.method, route.path.hasPrefix("/api/")) {
                    case (.get, false):
                        response = try await reader.get("\(target)?\(query)")
                    case (_, false):
                        // A browser of its own: a route that signs out or erases must not end the next one's session.
                        let (browser, csrf) = try await signedInBrowser()
                        response = try await browser.post(target, fields: [("_csrf", csrf)] + sortedNames.map { ($0, payload) })
                    case (.get, true):
                        response = try await api.execute(uri: "\(target)?\(query)", method: .get)
                    case (_, true):
                        let json = Dictionary(uniqueKeysWithValues: sortedNames.map { ($0, payload) })
                        response = try await api.execute(
                            uri: target, method: route.method, headers: [.contentType: "application/json"],
                            body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
                        )
                    }
                    #expect(response.status != .internalServerError, what)
                    Self.expectInert(response, payload, what)
                    requests += 1
                }
            }
            #expect(requests == routes.count * XSSTests.payloads.count)
        }
    }
}
