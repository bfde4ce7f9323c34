import DialogueContracts
import Foundation
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Staff bring back what was gathered in person: a CSV file previewed (every problem named by
/// line and column, nothing stored) then stored whole; one contribution from the form; supports
/// counted on paper; the public page says where each was gathered and counts paper supports
/// apart; the API does the same with a staff token.
@Suite struct OfflineContributionPagesTests {
    static let header = "type;thématique;titre;texte;pourquoi;auteur;lieu;date;rencontre;canal"
    static let lines = [
        "témoignage;Emploi associatif;Trésorière depuis dix ans;Chaque année les mêmes pièces à fournir.;;Jeanne;Hirson;14/03/2026;Forum des associations;atelier",
        "proposition;Simplification administrative;Un guichet unique;Un seul dossier pour toutes les aides.;Les bénévoles y passent leurs soirées.;;Hirson;14/03/2026;Forum des associations;atelier",
    ]

    @Test func aFileIsPreviewedThenStoredWholeAndShownWithItsOrigin() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let consultation = try await ConsultationPagesTests.create(stack)
            let id = consultation.id.uuidString.lowercased()
            let path = "/admin/consultations/\(id)/recueil"
            let web = try await ConsultationPagesTests.session(stack, client, try await stack.makeStaff([.staff]))
            let bad = ([Self.header] + Self.lines + ["témoignage;Culture;Un titre;Un texte assez long pour passer.;;;Hirson;14/03/2026;Forum;atelier"])
                .joined(separator: "\r\n")
            let good = "\u{FEFF}" + ([Self.header] + Self.lines).joined(separator: "\r\n")

            // act
            let page = try await web.get(path)
            let refused = try await web.submit("\(path)/import", [("csv", bad), ("action", "enregistrer")], from: path)
            let storedAfterRefusal = try await probe.int("SELECT count(*)::int8 FROM consultations.contributions")
            let preview = try await web.submit("\(path)/import", [("csv", good), ("action", "previsualiser")], from: path)
            let storedAfterPreview = try await probe.int("SELECT count(*)::int8 FROM consultations.contributions")
            let stored = try await web.submit("\(path)/import", [("csv", good), ("action", "enregistrer")], from: path)

            // check: the page, the refusal naming line and column, the file kept
            #expect(page.status == .ok)
            #expect(page.text.contains("Importer un fichier CSV"))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Ligne 4, colonne « thématique » : thématique inconnue."))
            #expect(refused.text.contains("Trésorière depuis dix ans"))
            #expect(storedAfterRefusal == 0)
            #expect(preview.status == .ok)
            #expect(preview.text.contains("Ce qui sera enregistré : 2 contributions"))
            #expect(preview.text.contains("Enregistrer et publier le fichier (2 contributions)"))
            #expect(storedAfterPreview == 0)
            #expect(stored.status == .seeOther)
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.contributions WHERE origin = 'in_person' AND visible") == 2)
            let shown = try await WebSession(client.anonymous).get("/consultations/\(id)")
            #expect(shown.text.contains("Recueillie lors de « Forum des associations » (atelier), Hirson, le 14 mars 2026"))
            #expect(shown.text.contains("Trésorière depuis dix ans"))
            let sheet = try await WebSession(client.anonymous).get("/consultations/\(id)/bilan")
            #expect(sheet.text.contains("<th scope=\"row\">Recueillies en personne</th><td>2</td>"))
            // a citizen may not enter any
            let citizen = try await ConsultationPagesTests.session(stack, client, try await stack.makeCitizen())
            #expect(try await citizen.get(path).status != .ok)
        }
    }

    @Test func oneContributionFromTheFormAndPaperSupportsCountedApart() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let consultation = try await ConsultationPagesTests.create(stack)
            let id = consultation.id.uuidString.lowercased()
            let path = "/admin/consultations/\(id)/recueil"
            let web = try await ConsultationPagesTests.session(stack, client, try await stack.makeStaff([.staff]))
            let fields: [(String, String)] = [
                ("type", "proposal"), ("thematique", "emploi-associatif"), ("titre", "Des locaux partagés"),
                ("texte", "Ouvrir les salles municipales aux associations le soir."), ("pourquoi", "Beaucoup n'ont aucun local pour se réunir."),
                ("auteur", ""), ("date", "2026-03-14"), ("rencontre", "Atelier de Laon"), ("canal", "workshop"),
            ]

            // act: without a place, then with one
            let refused = try await web.submit(path, fields + [("lieu", "")], from: path)
            let storedAfterRefusal = try await probe.int("SELECT count(*)::int8 FROM consultations.contributions")
            let saved = try await web.submit(path, fields + [("lieu", "Laon")], from: path)
            let proposalID = try #require(try await probe.texts("SELECT id::text FROM consultations.contributions").first ?? nil)
            let noCount = try await web.submit(
                "\(path)/soutiens-papier", [("soutiens-proposition", proposalID), ("soutiens-nombre", "0"), ("soutiens-date", "2026-03-14"), ("soutiens-lieu", "Laon")],
                from: path
            )
            let paper = try await web.submit(
                "\(path)/soutiens-papier", [("soutiens-proposition", proposalID), ("soutiens-nombre", "7"), ("soutiens-date", "2026-03-14"), ("soutiens-lieu", "Laon")],
                from: path
            )

            // check
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Indiquez le lieu de la rencontre."))
            #expect(refused.text.contains("value=\"Des locaux partagés\""))
            #expect(storedAfterRefusal == 0)
            #expect(saved.status == .seeOther)
            #expect(noCount.status == .unprocessableContent)
            #expect(noCount.text.contains("Le nombre de soutiens va de 1 à 100 000."))
            #expect(paper.status == .seeOther)
            let shown = try await WebSession(client.anonymous).get("/contributions/\(proposalID)")
            #expect(shown.text.contains("7 soutiens, dont 7 sur papier"))
            #expect(shown.text.contains("Recueillie lors de « Atelier de Laon » (atelier), Laon, le 14 mars 2026"))
        }
    }

    @Test func theAPIRecordsAListOrAFileAndNamesTheFaultyEntryOrLine() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let consultation = try await ConsultationPagesTests.create(stack)
            let id = consultation.id.uuidString.lowercased()
            let staffClient = BearerClient(base: client, token: try await stack.issueToken(for: try await stack.makeStaff([.staff])))
            let path = "/api/v1/consultations/\(id)/offline-contributions"
            func json(_ value: [String: Any]) -> String {
                String(decoding: try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
            }
            func entry(title: String) -> [String: Any] {
                [
                    "kind": "testimony", "theme": "emploi-associatif", "title": title, "text": "Chaque année les mêmes pièces à fournir.",
                    "place": "Hirson", "collected_on": "2026-03-14", "session": "Forum", "channel": "paper_form", "author_name": "Jeanne",
                ]
            }
            let badFile = ([Self.header] + Self.lines + ["témoignage;Emploi associatif;Ab;Un texte assez long pour passer.;;;Hirson;14/03/2026;Forum;atelier"])
                .joined(separator: "\n")

            // act
            let badEntry = try await staffClient.post(path, json: json(["entries": [entry(title: "Un bon titre"), entry(title: "Ab")]]))
            let preview = try await staffClient.post(path, json: json(["csv": badFile, "preview": true]))
            let refusedFile = try await staffClient.post(path, json: json(["csv": badFile]))
            let storedAfterRefusals = try await probe.int("SELECT count(*)::int8 FROM consultations.contributions")
            let recorded = try await staffClient.post(path, json: json(["entries": [entry(title: "Un bon titre")]]))
            let file = try await staffClient.post(path, json: json(["csv": ([Self.header] + Self.lines).joined(separator: "\n")]))
            let proposal = try file.decode(OfflineContributionsRecorded.self).items[1]
            let paper = try await staffClient.post(
                "/api/v1/consultations/contributions/\(proposal.id.uuidString.lowercased())/paper-supports",
                json: json(["count": 12, "collected_on": "2026-03-14", "place": "Hirson"])
            )

            // check
            #expect(badEntry.status == .badRequest)
            #expect(badEntry.apiError?.field == "entries[1].title")
            #expect(preview.status == .ok)
            #expect(preview.text.contains("\"valid\":false"))
            #expect(preview.text.contains("\"line\":4"))
            #expect(preview.text.contains("\"column\":\"titre\""))
            #expect(refusedFile.status == .badRequest)
            #expect(refusedFile.apiError?.field == "csv")
            #expect(refusedFile.apiError?.message.hasPrefix("Ligne 4, colonne « titre » :") == true)
            #expect(storedAfterRefusals == 0)
            #expect(recorded.status == .created)
            #expect(try recorded.decode(OfflineContributionsRecorded.self).items.first?.collected?.channel == .paperForm)
            #expect(file.status == .created)
            #expect(paper.status == .created)
            #expect(try paper.decode(PaperSupportBatch.self).paperSupportCount == 12)
            let read = try await client.get("/api/v1/consultations/contributions/\(proposal.id.uuidString.lowercased())")
            #expect(try read.decode(ContributionView.self).paperSupportCount == 12)
        }
    }
}
