import DialogueContracts
import Foundation
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// `/enquetes/{id}/resultats`: the results everyone reads once the survey's setting makes them
/// public — the staff page's protected figures over every response, the texts moderation
/// published with the day alone — and a clear refusal while they are not.
@Suite struct SurveyPublicResultsPagesTests {
    /// The API tests' survey with its results public as `visibility` says.
    static func definition(_ visibility: SurveyResultsVisibility) -> SurveyDefinition {
        var definition = SurveysAPITests.definition()
        definition.resultsVisibility = visibility
        return definition
    }

    @Test func resultsPublicDuringTheSurveyShowProtectedFiguresAndOnlyPublishedTexts() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup: 28 sheets (12 « train », 16 « voiture », 3 of them in person in the Nord),
            // then two sheets with a text, one published by moderation and one rejected
            let id = try await SurveyResultsPagesTests.surveyWithSheets(stack, client, definition: Self.definition(.during))
            let surveyID = try #require(UUID(uuidString: id))
            for text in ["Pas de bus après 20 heures", "Texte refusé par la modération"] {
                let body = #"{"channel": "paper", "answers": {"mode": {"optionIDs": ["voiture"]}, "pourquoi": {"text": "\#(text)"}}, "profile": {"departement": "80"}}"#
                #expect(try await client.post("/api/v1/surveys/\(id)/responses", json: body).status == .accepted)
            }
            try await eventually(timeout: .seconds(10), "the texts stored") {
                try await probe.int("SELECT count(*)::int8 FROM surveys.answers WHERE survey_id = \(surveyID) AND text_id IS NOT NULL") == 2
            }
            for (text, status) in [("Pas de bus après 20 heures", ModerationStatus.published), ("Texte refusé par la modération", .rejected)] {
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
            try await eventually(timeout: .seconds(10), "the decisions applied") {
                try await probe.int("SELECT count(*)::int8 FROM surveys.answers WHERE survey_id = \(surveyID) AND moderation_status IS NOT NULL") == 2
            }
            let visitor = WebSession(client.anonymous)

            // act
            let page = try await visitor.get("/enquetes/\(id)/resultats")
            let filtered = try await visitor.get("/enquetes/\(id)/resultats?departement=59")
            let surveyPage = try await visitor.get("/enquetes/\(id)")
            let list = try await visitor.get("/enquetes")

            // check: every response counts, with the staff page's figures and chart
            #expect(page.status == .ok)
            #expect(page.text.contains("30 réponses"))
            #expect(page.text.contains(#"<th scope="row">Train</th><td>12</td><td>40,0"#))
            #expect(page.text.contains(#"<th scope="row">Voiture</th><td>18</td><td>60,0"#))
            #expect(page.text.contains(#"role="img" aria-labelledby="graphique-mode-titre graphique-mode-description""#))
            #expect(page.text.contains("ces résultats sont provisoires"))
            // the published text is there with its day only; the rejected one is not
            #expect(page.text.contains("Pas de bus après 20 heures"))
            #expect(page.text.contains("1 texte publié"))
            #expect(!page.text.contains("Texte refusé"))
            #expect(!page.text.contains("Questionnaire papier"))
            #expect(!page.text.contains("Somme"))
            // no filter nor breakdown in public: a filter in the address changes nothing
            #expect(!page.text.contains("Filtrer les réponses"))
            #expect(filtered.text.contains(#"<th scope="row">Voiture</th><td>18</td>"#))
            // the survey's page and the list lead to it
            #expect(surveyPage.text.contains(#"href="/enquetes/\#(id)/resultats""#))
            #expect(list.text.contains(#"href="/enquetes/\#(id)/resultats""#))
        }
    }

    @Test func resultsNotPublicYetAreRefusedWithTheReasonThenShownOnceTheSurveyCloses() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup: one survey public after closing (open now), one never public
            let afterClosing = try await SurveyResultsPagesTests.surveyWithSheets(stack, client, definition: Self.definition(.afterClosing))
            let never = try await SurveyResultsPagesTests.surveyWithSheets(stack, client, definition: Self.definition(.never))
            let draft = try await stack.rpc.request(CreateSurvey(definition: Self.definition(.during), staffID: UUID(), staffName: "Agnès Lefebvre"))
            let visitor = WebSession(client.anonymous)

            // act
            let beforeClosing = try await visitor.get("/enquetes/\(afterClosing)/resultats")
            let neverShown = try await visitor.get("/enquetes/\(never)/resultats")
            let ofADraft = try await visitor.get("/enquetes/\(draft.id.uuidString.lowercased())/resultats")
            let surveyPageBefore = try await visitor.get("/enquetes/\(afterClosing)")
            try await probe.execute("UPDATE surveys.surveys SET status = 'closed' WHERE id = \(try #require(UUID(uuidString: afterClosing)))")
            try await probe.execute("UPDATE surveys.surveys SET status = 'closed' WHERE id = \(try #require(UUID(uuidString: never)))")
            let afterClose = try await visitor.get("/enquetes/\(afterClosing)/resultats")
            let neverAfterClose = try await visitor.get("/enquetes/\(never)/resultats")
            let list = try await visitor.get("/enquetes")

            // check: refused with the reason, no figure given away
            #expect(beforeClosing.status == .forbidden)
            #expect(beforeClosing.text.contains("seront publiés après sa clôture"))
            #expect(!beforeClosing.text.contains("<th scope=\"row\">Train</th>"))
            #expect(neverShown.status == .forbidden)
            #expect(neverShown.text.contains("ils ne sont pas publiés"))
            #expect(ofADraft.status == .notFound)
            #expect(!surveyPageBefore.text.contains("/resultats"))
            // closed: the results are public, final (not « provisoires »), and listed
            #expect(afterClose.status == .ok)
            #expect(afterClose.text.contains(#"<th scope="row">Train</th><td>12</td>"#))
            #expect(!afterClose.text.contains("provisoires"))
            #expect(neverAfterClose.status == .forbidden)
            #expect(list.text.contains("Résultats publiés"))
            #expect(list.text.contains(#"href="/enquetes/\#(afterClosing)/resultats""#))
            #expect(!list.text.contains(#"href="/enquetes/\#(never)/resultats""#))
        }
    }
}
