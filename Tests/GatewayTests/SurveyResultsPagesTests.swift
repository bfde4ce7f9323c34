import DialogueContracts
import Foundation
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import ServiceKit
import Testing
import TestSupport

/// `/admin/enquetes/{id}/resultats`: the staff results page over the real survey service,
/// with the counts people gave, a filter, small counts protected, a breakdown with its verdict
/// and a bad criterion sent back next to its field.
@Suite struct SurveyResultsPagesTests {
    /// 12 paper sheets « train » in the Nord, 13 paper sheets « voiture » in the Pas-de-Calais,
    /// 3 answers « voiture » collected in person in the Nord.
    static let sheets: [(channel: String, mode: String, departement: String, km: Int, times: Int)] = [
        ("paper", "train", "59", 10, 12), ("paper", "voiture", "62", 20, 13), ("in_person", "voiture", "59", 30, 3),
    ]

    @Test func theResultsPageShowsWhatWasSubmittedFilteredProtectedAndBrokenDown() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, _ in
            // setup: the survey of the API tests, published; the sheets are entered through the API, then a staff member opens the page
            let draft = try await stack.rpc.request(CreateSurvey(definition: SurveysAPITests.definition(), staffID: UUID(), staffName: "Agnès Lefebvre"))
            let survey = try await stack.rpc.request(PublishSurvey(surveyID: draft.id, staffID: UUID(), staffName: "Agnès Lefebvre"))
            let id = survey.id.uuidString.lowercased()
            for sheet in Self.sheets {
                for _ in 0..<sheet.times {
                    let body = #"{"channel": "\#(sheet.channel)", "answers": {"mode": {"optionIDs": ["\#(sheet.mode)"]}, "km": {"number": \#(sheet.km)}}, "profile": {"departement": "\#(sheet.departement)"}}"#
                    #expect(try await client.post("/api/v1/surveys/\(id)/responses", json: body).status == .accepted)
                }
            }
            try await eventually(timeout: .seconds(30), "every sheet counted") {
                try await client.get("/api/v1/surveys/\(id)/results").decode(SurveyResults.self).responseCount == 28
            }
            let (web, _) = try await SurveyBuilderPagesTests.staffSession(stack, client)
            let path = "/admin/enquetes/\(id)/resultats"

            // act
            let all = try await web.get("\(path)?departement=&ageBand=&occupation=&association=&channel=&lignes=&colonnes=")  // the form sent with « Tous »
            let paperOnly = try await web.get("\(path)?channel=paper")
            let nord = try await web.get("\(path)?departement=59")
            let breakdown = try await web.get("\(path)?lignes=question:mode&colonnes=profile:departement")
            let byChannel = try await web.get("\(path)?lignes=channel&colonnes=question:mode&departement=62")
            let badCriterion = try await web.get("\(path)?lignes=question:inconnue&colonnes=channel")
            let badFilter = try await web.get("\(path)?channel=fax")
            let editor = try await web.get("/admin/enquetes/\(id)")

            // check: the counts are those submitted, with their shares, and the median of the numbers
            #expect(all.status == .ok)
            #expect(all.text.contains(#"<th scope="row">Train</th><td>12</td><td>42,9"#))
            #expect(all.text.contains(#"<th scope="row">Voiture</th><td>16</td><td>57,1"#))
            #expect(all.text.contains("28 réponses"))
            // minimum, quartiles, median and maximum of 12 × 10, 13 × 20, 3 × 30
            #expect(all.text.contains("<td>10</td><td>10</td><td>20</td><td>20</td><td>30</td>"))
            // a filter changes every figure
            #expect(paperOnly.text.contains(#"<th scope="row">Voiture</th><td>13</td>"#))
            #expect(paperOnly.text.contains("25 réponses"))
            #expect(!paperOnly.text.contains(#"<th scope="row">Voiture</th><td>16</td>"#))
            // a small count is shown as « < 10 », never as itself
            #expect(nord.text.contains(#"<th scope="row">Voiture</th><td>&lt; 10</td>"#))
            #expect(!nord.text.contains(#"<th scope="row">Voiture</th><td>3</td>"#))
            // the breakdown: protected table, the test's verdict in plain French, figures withheld since counts are hidden
            #expect(breakdown.status == .ok)
            #expect(breakdown.text.contains("<caption>Question : Comment allez-vous au travail ? (lignes) selon Département (colonnes)"))
            #expect(breakdown.text.contains("L&#39;écart entre les groupes est probablement réel") || breakdown.text.contains("L'écart entre les groupes est probablement réel"))
            #expect(breakdown.text.contains("Test du khi-deux d&#39;indépendance") || breakdown.text.contains("Test du khi-deux d'indépendance"))
            #expect(!breakdown.text.contains("Valeur p"))
            #expect(breakdown.text.contains("&lt; 10"))
            // split by channel, filtered to the Pas-de-Calais: 13 paper sheets, all « voiture »
            #expect(byChannel.status == .ok)
            #expect(byChannel.text.contains(#"<th scope="row">Questionnaire papier</th>"#))
            // a bad criterion or filter comes back next to its field
            #expect(badCriterion.status == .unprocessableContent)
            #expect(badCriterion.text.contains(#"id="lignes-error""#))
            #expect(badCriterion.text.contains("n&#39;est pas un critère de croisement") || badCriterion.text.contains("n'est pas un critère de croisement"))
            #expect(badFilter.status == .unprocessableContent)
            #expect(badFilter.text.contains(#"id="channel-error""#))
            #expect(editor.text.contains("/admin/enquetes/\(id)/resultats"))
        }
    }
}
