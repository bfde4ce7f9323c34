import DialogueContracts
import Foundation
@testable import Gateway
import HTTPTypes
import Identity
import PostgresNIO
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

    /// The survey of the API tests (or `definition`), published, with the sheets entered through the API; returns its id.
    static func surveyWithSheets(
        _ stack: GatewayStack, _ client: any TestClientProtocol, definition: SurveyDefinition = SurveysAPITests.definition()
    ) async throws -> String {
        let draft = try await stack.rpc.request(CreateSurvey(definition: definition, staffID: UUID(), staffName: "Agnès Lefebvre"))
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
        return id
    }

    @Test func theResultsPageShowsWhatWasSubmittedFilteredProtectedAndBrokenDown() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, _ in
            // setup: the sheets entered, then a staff member opens the page
            let id = try await Self.surveyWithSheets(stack, client)
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
            let twoPlacesOnPaper = try await web.get("\(path)?departement=59&departement=62&channel=paper")
            let twoChannels = try await web.get("\(path)?channel=paper&channel=in_person&departement=59")
            let everyCrossing = try await web.get("\(path)?question=question:mode")
            let numberSwept = try await web.get("\(path)?question=question:km&departement=59&departement=62")

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

            // Several values of a filter: a response with any of them is kept; the boxes stay ticked and a sentence says what is shown
            #expect(twoPlacesOnPaper.status == .ok)
            #expect(twoPlacesOnPaper.text.contains("25 réponses"))
            #expect(twoPlacesOnPaper.text.contains("Réponses des personnes dans le Nord ou le Pas-de-Calais, reçues sur papier"))
            #expect(twoPlacesOnPaper.text.contains(#"<input type="checkbox" id="departement-59" name="departement" value="59" checked>"#))
            #expect(twoPlacesOnPaper.text.contains(#"<input type="checkbox" id="departement-62" name="departement" value="62" checked>"#))
            #expect(twoPlacesOnPaper.text.contains(#"<input type="checkbox" id="departement-02" name="departement" value="02">"#))
            #expect(twoPlacesOnPaper.text.contains(#"<input type="checkbox" id="channel-paper" name="channel" value="paper" checked>"#))
            #expect(twoPlacesOnPaper.text.contains(#"<fieldset id="departement" class="filter-choices">"#))
            #expect(twoPlacesOnPaper.text.contains("<legend>Département</legend>"))
            #expect(twoChannels.text.contains("15 réponses"))
            #expect(twoChannels.text.contains("Réponses des personnes dans le Nord, reçues sur papier ou en personne"))
            // a refused value comes back next to its fieldset, the other ticked values kept
            #expect(badFilter.text.contains(#"<fieldset id="channel" class="filter-choices field-error" aria-describedby="channel-error">"#))
            #expect(badFilter.text.contains(##"href="#channel""##))

            // Charts: one bar chart per closed question, named, bars as long as their share; hidden counts drawn as frames
            #expect(all.text.contains(#"role="img" aria-labelledby="graphique-mode-titre graphique-mode-description""#))
            let trainShare = 12.0 / 28 * 100
            #expect(all.text.contains(#"<rect class="chart-bar" x="0" y="20" width="\#(SurveyResultsChart.number(SurveyResultsChart.length(ofShare: trainShare)))""#))
            #expect(all.text.contains("Train : 12 (42,9"))
            #expect(!all.text.contains("chart-masked"))
            #expect(nord.text.contains(#"class="chart-masked""#))
            #expect(nord.text.contains("Voiture : &lt; 10 : nombre non publié"))
            // numbers: a box plot of the published quartiles (15 answers in the Nord: 12 × 10 km, 3 × 30 km)
            #expect(all.text.contains("Boîte à moustaches : minimum 10, premier quartile 10, médiane 20, troisième quartile 20, maximum 30."))
            #expect(nord.text.contains("Boîte à moustaches : minimum 10,"))

            // Every crossing of a question: each table here hides a small count, so no p-value and no correction, said so
            #expect(everyCrossing.status == .ok)
            #expect(everyCrossing.text.contains(#"<h2 id="tous-les-croisements">Tous les croisements</h2>"#))
            #expect(everyCrossing.text.contains(#"<tr><th scope="row">Département</th><td>—</td><td>non publiée</td>"#))
            #expect(everyCrossing.text.contains(#"<tr><th scope="row">Canal de réponse</th><td>—</td><td>non publiée</td>"#))
            #expect(everyCrossing.text.contains("Aucun croisement n&#39;a pu être testé et publié") || everyCrossing.text.contains("Aucun croisement n'a pu être testé et publié"))
            #expect(everyCrossing.text.contains("laissé hors de la correction"))
            #expect(numberSwept.status == .unprocessableContent)
            #expect(numberSwept.text.contains(#"id="question-error""#))
            #expect(numberSwept.text.contains(#"<input type="checkbox" id="departement-62" name="departement" value="62" checked>"#))
        }
    }

    @Test func raisingTheSmallCellMinimumMasksMoreCellsAndIsAudited() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup: the sheets entered; an administrator signed in
            let id = try await Self.surveyWithSheets(stack, client)
            let administrator = try await stack.makeStaff([.administrator])
            let web = WebSession(client.anonymous)
            web.setCookie(web.sessionCookieName, try await stack.openSession(for: administrator))
            let results = "/admin/enquetes/\(id)/resultats?channel=paper"
            let settings = "/admin/reglages-enquetes"

            // act
            let before = try await web.get(results)
            let form = try await web.get(settings)
            let tooLow = try await web.submit(settings, [("effectif-minimum", "3")], from: settings)
            let notANumber = try await web.submit(settings, [("effectif-minimum", "dix")], from: settings)
            let savedBeforeRaise = try await probe.int("SELECT count(*)::int8 FROM surveys.settings")
            let saved = try await web.submit(settings, [("effectif-minimum", "15")], from: settings)
            let after = try await web.get(results)
            let shown = try await web.get(settings)

            // check: by default (10), the 12 paper sheets « train » and the 13 « voiture » are shown
            #expect(form.status == .ok)
            #expect(form.text.contains(#"value="10""#))
            #expect(before.text.contains(#"<th scope="row">Train</th><td>12</td>"#))
            #expect(before.text.contains(#"<th scope="row">Voiture</th><td>13</td>"#))
            // a value out of the range comes back next to its field, kept, and nothing is saved
            #expect(tooLow.status == .unprocessableContent)
            #expect(tooLow.text.contains(#"id="effectif-minimum-error""#))
            #expect(tooLow.text.contains(#"value="3""#))
            #expect(notANumber.status == .unprocessableContent)
            #expect(savedBeforeRaise == 0)
            // raised to 15: 12 and 13 fall under it, in the table and in the chart
            #expect(saved.status == .seeOther)
            #expect(try await probe.int("SELECT small_cell_minimum::int8 FROM surveys.settings") == 15)
            #expect(after.text.contains(#"<th scope="row">Train</th><td>&lt; 15</td>"#))
            #expect(after.text.contains(#"<th scope="row">Voiture</th><td>&lt; 15</td>"#))
            #expect(!after.text.contains(#"<th scope="row">Train</th><td>12</td>"#))
            #expect(after.text.contains("Train : &lt; 15 : nombre non publié"))
            #expect(after.text.contains("« &lt; 15 » : moins de 15 réponses"))
            #expect(shown.text.contains(#"value="15""#))
            #expect(try await probe.int(
                "SELECT count(*)::int8 FROM surveys.staff_audit WHERE action = 'survey.settings_changed' AND staff_id = \(administrator.id) AND details ->> 'small_cell_minimum' = '15'"
            ) == 1)
        }
    }

    @Test func onlyAdministratorsChangeTheSurveySettings() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let (web, _) = try await SurveyBuilderPagesTests.staffSession(stack, client)
            #expect(try await web.get("/admin/reglages-enquetes").status == .forbidden)
            let refused = try await web.submit("/admin/reglages-enquetes", [("effectif-minimum", "20")], from: "/admin/enquetes")
            #expect(refused.status == .forbidden)
            #expect(try await probe.int("SELECT count(*)::int8 FROM surveys.settings") == 0)
        }
    }
}
