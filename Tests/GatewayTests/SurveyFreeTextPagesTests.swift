import DialogueContracts
import Foundation
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// The staff page of free texts: reached from the results page, it lists the texts moderation
/// published, with the results' filters, and never a pending or rejected one.
@Suite struct SurveyFreeTextPagesTests {
    @Test func publishedTextsAreListedPendingAndRejectedOnesAreNot() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let id = try await SurveyAnsweringPagesTests.publishedSurvey(stack, client)
            let surveyID = try #require(UUID(uuidString: id))
            // Paper sheets entered by staff, each with its text and département.
            let sheets = [("Le train coûte trop cher", "80"), ("Aucune gare près de chez moi", "59"), ("Texte refusé <b>gras</b>", "59"), ("Texte en attente", "59")]
            for (text, departement) in sheets {
                let body = #"{"channel": "paper", "answers": {"train": {"optionIDs": ["non"]}, "pourquoi": {"text": "\#(text)"}}, "profile": {"departement": "\#(departement)"}}"#
                let sent = try await client.post("/api/v1/surveys/\(id)/responses", json: body)
                #expect(sent.status == .accepted)
            }
            try await eventually(timeout: .seconds(10), "the sheets stored") {
                try await probe.int("SELECT count(*)::int8 FROM surveys.answers WHERE survey_id = \(surveyID) AND text_id IS NOT NULL") == sheets.count
            }
            func decide(_ text: String, _ status: ModerationStatus) async throws {
                let found = try await probe.texts("SELECT text_id::text FROM surveys.answers WHERE survey_id = \(surveyID) AND text = \(text)")
                let textID = try #require(found.first.flatMap { $0 }.flatMap(UUID.init(uuidString:)))
                try await publishEvent(
                    ModerationDecisionMade(
                        itemID: UUID(), contentType: .surveyAnswer, contentID: textID, ownerService: .surveys, status: status, visible: status.isVisible,
                        reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: UUID(), rule: nil, decidedAt: Date(), revision: 1
                    ),
                    topology: stack.topology
                )
            }
            try await decide("Le train coûte trop cher", .published)
            try await decide("Aucune gare près de chez moi", .published)
            try await decide("Texte refusé <b>gras</b>", .rejected)
            try await eventually(timeout: .seconds(10), "the decisions applied") {
                try await probe.int("SELECT count(*)::int8 FROM surveys.answers WHERE survey_id = \(surveyID) AND moderation_status IS NOT NULL") == 3
            }

            let (staff, _) = try await SurveyBuilderPagesTests.staffSession(stack, client)
            #expect(try await staff.get("/admin/enquetes/\(id)/resultats").text.contains("href=\"/admin/enquetes/\(id)/textes\""))
            let page = try await staff.get("/admin/enquetes/\(id)/textes")
            #expect(page.status == .ok)
            #expect(page.text.contains("Le train coûte trop cher"))
            #expect(page.text.contains("Aucune gare près de chez moi"))
            #expect(page.text.contains("2 textes publiés"))
            #expect(!page.text.contains("Texte refusé"))
            #expect(!page.text.contains("Texte en attente"))

            // The results' filters apply: only the Somme.
            let somme = try await staff.get("/admin/enquetes/\(id)/textes?departement=80")
            #expect(somme.text.contains("Le train coûte trop cher"))
            #expect(!somme.text.contains("Aucune gare près de chez moi"))
            #expect(somme.text.contains("1 texte publié"))
            let bad = try await staff.get("/admin/enquetes/\(id)/textes?departement=75")
            #expect(bad.status == .unprocessableContent)

            // Beyond the last page: nothing listed, and the way back.
            let beyond = try await staff.get("/admin/enquetes/\(id)/textes?page-pourquoi=3")
            #expect(beyond.text.contains("Aucun texte publié pour ces réponses."))
            #expect(beyond.text.contains("Textes précédents"))

            // Citizens do not read this page.
            let (citizen, _) = try await SurveyAnsweringPagesTests.citizen(stack, client)
            #expect(try await citizen.get("/admin/enquetes/\(id)/textes").status != .ok)
        }
    }
}
