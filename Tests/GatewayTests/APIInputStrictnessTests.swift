import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing
import TestSupport

/// Inputs the API document rules out are refused at the gateway with the parameter or field
/// named, never served with a silent default nor passed on to fail in a service.
@Suite struct APIInputStrictnessTests {
    @Test func aNulCharacterIsRefusedWhereverItComesFromAndNothingIsStored() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run { client, probe in
            // act and check: in a query, under the API and on a page
            let query = try await client.get("/api/v1/petitions/similaires?titre=trains%00r%C3%A9gionaux")
            #expect(query.status == .badRequest)
            #expect(query.apiError?.field == "titre")
            let page = try await client.anonymous.get("/consultations?theme=a%00b")
            #expect(page.status == .badRequest)
            #expect(page.text.contains("caractère nul"))

            // in a JSON body, named by its path, even deep in the document
            let petition = try await client.post(
                "/api/v1/petitions", json: #"{"title": "Des trains\u0000 le soir", "text": "Nous demandons davantage de trains.", "reasons": "Les trains sont bondés le soir."}"#
            )
            #expect(petition.status == .badRequest)
            #expect(petition.apiError?.field == "title")
            let process = try await client.post(
                "/api/v1/processes",
                json: #"{"title": "Ateliers", "policy": "Politique jeunesse", "purpose": "Construire la politique avec les jeunes.", "phases": [{"kind": "call", "title": "Appel\u0000", "startsOn": "2027-01-01", "endsOn": "2027-02-01"}]}"#
            )
            #expect(process.status == .badRequest)
            #expect(process.apiError?.field == "phases[0].title")
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.petitions") == 0)
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.processes") == 0)

            // in a form: the French error page, before anything reads it
            let visitor = WebSession(client.anonymous)
            let form = try await visitor.submit("/connexion", [("email", "camille\u{0}@example.fr"), ("password", "x")])
            #expect(form.status == .badRequest)
            #expect(form.text.contains("caractère nul"))
        }
    }

    @Test func queryParametersOutOfTheirBoundsOrTypeAreRefusedByName() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run { client, _ in
            let consultation = UUID().uuidString.lowercased()
            let refused: [(uri: String, field: String)] = [
                ("/api/v1/audit-log?limit=201", "limit"),
                ("/api/v1/audit-log?limit=0", "limit"),
                ("/api/v1/audit-log?before=abc", "before"),
                ("/api/v1/consultations?offset=-1", "offset"),
                ("/api/v1/consultations?limit=101", "limit"),
                ("/api/v1/consultations/\(consultation)/contributions?order=oldest", "order"),
                ("/api/v1/consultations/contributions/\(consultation)/comments?page=null", "page"),
                ("/api/v1/consultations/contributions/\(consultation)/comments?page=1&page=2", "page"),
                ("/api/v1/staff-notifications?unread=null", "unread"),
                ("/api/v1/staff-notifications?before=12", "before"),
                ("/api/v1/deliveries/failed?type=", "type"),
                ("/api/v1/forums/threads/\(consultation)?page=100001", "page"),
            ]
            for (uri, field) in refused {
                let response = try await client.get(uri)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(response.apiError?.field == field, "\(uri)")
            }
            // the same parameters within bounds are served
            for uri in ["/api/v1/audit-log?limit=200", "/api/v1/consultations?offset=0&limit=100", "/api/v1/staff-notifications?unread=true"] {
                #expect(try await client.get(uri).status == .ok, "\(uri)")
            }
        }
    }
}
