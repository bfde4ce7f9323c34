import DialogueContracts
import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// The public petition pages and their open figures, through the real gateway and services.
@Suite struct PublicPetitionPagesTests {
    @Test func aPublishedPetitionHasItsPageAndItsFigures() async throws {
        let stack = try await GatewayStack.make(threshold: 10)
        try await stack.run(settings: GatewaySettings(petitionCacheTTL: .zero)) { client, probe in
            let petition = try await client.createPetition(title: "Un abri vélo à la gare d'Arras")
            let path = "/petitions/\(petition.id.uuidString.lowercased())"
            // In moderation: no page yet.
            #expect(try await client.get(path).status == .notFound)

            try await probe.openThroughModeration(petition.id, topology: stack.topology)
            try await client.signAndConfirm(petition.id, email: "lea@exemple.fr", postcode: "62000", probe: probe)
            try await client.signAndConfirm(petition.id, email: "hugo@exemple.fr", postcode: "75011", probe: probe)
            try await eventually("both counted") { try await probe.signatureCount(petition.id) == 2 }

            let page = try await client.get(path)
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>Un abri vélo à la gare d&#39;Arras</h1>") || page.text.contains("<h1>Un abri vélo à la gare d&#x27;Arras</h1>"))
            #expect(page.text.contains("<progress max=\"10\" value=\"2\""))
            #expect(page.text.contains("<th scope=\"row\">Pas-de-Calais (62)</th><td>1</td>"))
            #expect(page.text.contains("<th scope=\"row\">Hors Hauts-de-France</th><td>1</td>"))

            let places = try await client.get(path + "/departements.csv")
            #expect(places.status == .ok)
            #expect(places.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(places.text == "departement;nom;signatures\r\n02;Aisne;0\r\n59;Nord;0\r\n60;Oise;0\r\n62;Pas-de-Calais;1\r\n80;Somme;0\r\n;Hors Hauts-de-France;1\r\n")
            let days = try await client.get(path + "/jours.csv")
            #expect(days.text.hasPrefix("jour;signatures\r\n"))
            #expect(days.text.hasSuffix(";2\r\n"))

            struct Figures: Decodable {
                struct Place: Decodable { let departement: String?; let signatures: Int }
                let signatures: Int
                let threshold: Int
                let byDepartement: [Place]
            }
            let figures = try JSONDecoder().decode(Figures.self, from: Data(try await client.get(path + "/chiffres.json").text.utf8))
            #expect(figures.signatures == 2)
            #expect(figures.threshold == 10)
            #expect(figures.byDepartement.map(\.signatures) == [0, 0, 0, 1, 0, 1])
            // No personal data in the open figures.
            #expect(!(try await client.get(path + "/chiffres.json").text.contains("lea@")))

            let list = try await client.get("/petitions?q=gares")
            #expect(list.text.contains("href=\"\(path)\""))
        }
    }
}
