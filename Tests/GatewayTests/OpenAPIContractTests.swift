import Foundation
import Gateway
import Identity
import HTTPTypes
import HummingbirdTesting
import Testing
import TestSupport

/// The served OpenAPI document describes exactly the API the gateway declares.
@Suite struct OpenAPIContractTests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    struct Operation: Hashable, CustomStringConvertible {
        let method: String
        let path: String
        var description: String { "\(method) \(path)" }
    }

    @Test func theDocumentMatchesTheDeclaredRoutes() async throws {
        let stack = try await GatewayStack.make()
        let catalog = RouteCatalog()
        try await stack.run(settings: .forSecurityTests(), catalog: catalog) { client, _ in
            // act
            let response = try await client.get("/api/v1/openapi.json")

            // check: JSON, relative to /api/v1
            #expect(response.status == .ok)
            #expect(response.isJSON)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
            #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
            let servers = try #require(document["servers"] as? [[String: Any]])
            #expect(servers.first?["url"] as? String == "/api/v1")
            let paths = try #require(document["paths"] as? [String: [String: Any]])

            // the same operations as the routes declared under /api/v1
            let declared = catalog.all.filter { $0.path.hasPrefix("/api/v1/") }
            var routes: [Operation: Access] = [:]
            for route in declared {
                routes[Operation(method: route.method.rawValue.lowercased(), path: String(route.path.dropFirst("/api/v1".count)))] = route.access
            }
            var documented: [Operation: [String: Any]] = [:]
            for (path, item) in paths {
                for (method, operation) in item where Self.methods.contains(method) {
                    documented[Operation(method: method, path: path)] = operation as? [String: Any]
                }
            }
            #expect(routes.count == declared.count)
            #expect(routes.keys.contains(Operation(method: "get", path: "/me")))
            #expect(routes.keys.contains(Operation(method: "post", path: "/petitions/{id}/signatures")))
            #expect(Set(documented.keys) == Set(routes.keys), "undocumented: \(Set(routes.keys).subtracting(documented.keys)); not declared: \(Set(documented.keys).subtracting(routes.keys))")

            // every failure answers with the Error schema
            let components = try #require(document["components"] as? [String: Any])
            let schemes = try #require(components["securitySchemes"] as? [String: [String: Any]])
            for name in ["bearer", "citizenToken"] {
                #expect(schemes[name]?["type"] as? String == "http" && schemes[name]?["scheme"] as? String == "bearer", "\(name)")
            }
            let schemas = try #require(components["schemas"] as? [String: Any])
            let error = try #require(schemas["Error"] as? [String: Any])
            #expect(error["required"] as? [String] == ["error"])
            let sharedResponses = components["responses"] as? [String: [String: Any]] ?? [:]
            var failures = 0
            for (operation, body) in documented {
                let responses = try #require(body["responses"] as? [String: [String: Any]], "\(operation)")
                #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(operation) has no success")
                for (code, answer) in responses where !code.hasPrefix("2") {
                    failures += 1
                    var resolved = answer
                    if let reference = answer["$ref"] as? String, reference.hasPrefix("#/components/responses/") {
                        resolved = sharedResponses[String(reference.dropFirst("#/components/responses/".count))] ?? [:]
                    }
                    let content = resolved["content"] as? [String: [String: Any]]
                    let schema = content?["application/json"]?["schema"] as? [String: Any]
                    #expect(schema?["$ref"] as? String == "#/components/schemas/Error", "\(operation) \(code)")
                }

                // who may call it, as declared
                let security = body["security"] as? [[String: Any]]
                switch routes[operation] {
                case .staff(let roles)?:
                    // a staff token only: a citizen's personal token is refused there (403)
                    #expect(security?.map { Set($0.keys) } == [["bearer"]], "\(operation)")
                    #expect(Set(body["x-roles"] as? [String] ?? []) == Set(roles.map(\.rawValue)), "\(operation)")
                    #expect(responses["401"] != nil && responses["403"] != nil, "\(operation)")
                case .everyone?:
                    #expect(security?.isEmpty == true, "\(operation)")
                    #expect(body["x-roles"] == nil, "\(operation)")
                case .signedIn?:
                    // a citizen's personal token first (what a client acting for a person uses), a staff token too
                    #expect(security?.map { Set($0.keys) } == [["citizenToken"], ["bearer"]], "\(operation)")
                    #expect(body["x-roles"] == nil, "\(operation)")
                    #expect(responses["401"] != nil, "\(operation)")
                    // a write can be refused (an unconfirmed address, another's object)
                    if operation.method != "get" { #expect(responses["403"] != nil, "\(operation)") }
                case nil:
                    break  // undocumented or undeclared: reported above
                }

                // each path parameter is described
                let names = operation.path.split(separator: "{").dropFirst().compactMap { $0.split(separator: "}").first.map(String.init) }
                let parameters = (body["parameters"] as? [[String: Any]] ?? []) + (paths[operation.path]?["parameters"] as? [[String: Any]] ?? [])
                for name in names {
                    #expect(parameters.contains { $0["name"] as? String == name && $0["in"] as? String == "path" && $0["required"] as? Bool == true }, "\(operation) {\(name)}")
                }
                // the failures every such operation can answer are documented: an unknown
                // identifier (404), a parameter or body out of its bounds (400)
                if !names.isEmpty {
                    #expect(responses["404"] != nil, "\(operation) does not document 404")
                }
                if parameters.contains(where: { $0["in"] as? String == "query" }) || body["requestBody"] != nil {
                    #expect(responses["400"] != nil, "\(operation) does not document 400")
                }
            }
            #expect(failures > 10)
        }
    }
}
