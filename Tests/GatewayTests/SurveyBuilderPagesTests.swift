import DialogueContracts
import Foundation
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import PostgresNIO
import Testing
import TestSupport

/// The survey builder: one form for a whole survey whose buttons add and move questions
/// without script, every problem next to its field with nothing lost, the plain-language
/// hint, stale revisions, publication, JSON export and import, duplication.
@Suite struct SurveyBuilderPagesTests {
    /// The fields of a small survey as the builder posts them: a choice, then a text shown on « non ».
    static func fields(title: String = "Les transports du quotidien", condition: String = "train = non", options: String = "oui = Oui\nnon = Non") -> [(String, String)] {
        [
            ("titre", title), ("usage", "Les réponses guideront le plan régional des mobilités."),
            ("introduction", "Dites-nous comment vous vous déplacez."),
            ("ouverture", "2026-01-05T09:00"), ("cloture", "2099-03-01T18:00"), ("public", "confirmed_email"), ("resultats", "after_closing"),
            ("consultation", ""),
            ("s0-id", "trajets"), ("s0-titre", "Vos trajets"), ("s0-condition", ""),
            ("s0-q0-id", "train"), ("s0-q0-type", "single_choice"), ("s0-q0-intitule", "Prenez-vous le train ?"), ("s0-q0-aide", ""),
            ("s0-q0-obligatoire", "1"), ("s0-q0-condition", ""), ("s0-q0-options", options),
            ("s0-q1-id", "pourquoi"), ("s0-q1-type", "short_text"), ("s0-q1-intitule", "Pourquoi pas ?"), ("s0-q1-aide", ""),
            ("s0-q1-condition", condition), ("s0-q1-longueur", ""),
        ]
    }

    static func staffSession(_ stack: GatewayStack, _ client: any TestClientProtocol) async throws -> (WebSession, TestAccount) {
        let staff = try await stack.makeStaff([.staff])
        let web = WebSession(client.anonymous)
        web.setCookie(web.sessionCookieName, try await stack.openSession(for: staff))
        return (web, staff)
    }

    @Test func aButtonAddsAQuestionAndKeepsEverythingTyped() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let (web, _) = try await Self.staffSession(stack, client)
            let blank = try await web.get("/admin/enquetes/nouvelle")
            #expect(blank.status == .ok)
            #expect(blank.text.contains("name=\"s0-q0-intitule\""))

            let added = try await web.submit(
                "/admin/enquetes/nouvelle", Self.fields() + [("s0-nouveau-type", "scale"), ("action", "ajouter-question:0")], from: "/admin/enquetes/nouvelle"
            )
            #expect(added.status == .ok)
            #expect(added.text.contains("value=\"Les transports du quotidien\""))
            #expect(added.text.contains("name=\"s0-q2-echelle-max\""))
            #expect(added.text.contains("oui = Oui"))
            #expect(try await probe.int("SELECT count(*)::int8 FROM surveys.surveys") == 0)

            // Moving the second question up puts « pourquoi » first.
            let moved = try await web.submit("/admin/enquetes/nouvelle", Self.fields() + [("action", "monter-question:0:1")], from: "/admin/enquetes/nouvelle")
            #expect(moved.status == .ok)
            let first = try #require(moved.text.range(of: "name=\"s0-q0-id\" type=\"text\" value=\""))
            #expect(moved.text[first.upperBound...].hasPrefix("pourquoi"))
        }
    }

    @Test func everyProblemShowsNextToItsFieldAndNothingIsStored() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let (web, _) = try await Self.staffSession(stack, client)
            // A condition on a later question, an unreadable one, and a choice with one option.
            var fields = Self.fields(condition: "train = (", options: "Oui")
            fields += [("s0-q2-id", "age"), ("s0-q2-type", "number"), ("s0-q2-intitule", "Votre âge ?"), ("s0-q2-condition", "suite répondu"), ("s0-q2-nombre-min", "dix")]
            let refused = try await web.submit("/admin/enquetes/nouvelle", fields + [("action", "enregistrer")], from: "/admin/enquetes/nouvelle")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("<title>Erreur – "))
            #expect(refused.text.contains("href=\"#s0-q1-condition\""))
            #expect(refused.text.contains("href=\"#s0-q0-intitule\""))
            #expect(refused.text.contains("proposez au moins deux options"))
            #expect(refused.text.contains("href=\"#s0-q2-nombre-min\""))
            #expect(refused.text.contains("href=\"#s0-q2-intitule\""))
            #expect(refused.text.contains("« suite », qui n&#39;existe pas") || refused.text.contains("« suite », qui n'existe pas"))
            // nothing lost
            #expect(refused.text.contains("value=\"dix\""))
            #expect(refused.text.contains("value=\"train = (\""))
            #expect(try await probe.int("SELECT count(*)::int8 FROM surveys.surveys") == 0)
        }
    }

    @Test func staffSaveEditAndMeetAStaleRevisionExplained() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let (web, _) = try await Self.staffSession(stack, client)
            let created = try await web.submit("/admin/enquetes/nouvelle", Self.fields() + [("action", "enregistrer")], from: "/admin/enquetes/nouvelle")
            #expect(created.status == .seeOther)
            let path = try #require(created.location?.split(separator: "?").first.map(String.init))
            #expect(try await probe.texts("SELECT definition #>> '{sections,0,questions,1,condition,op}' FROM surveys.surveys") == ["equals"])

            // The editor writes the stored condition back in words, and hints at plain language.
            let long = "Il convient de préciser que les modalités de mise en œuvre du dispositif régional de transport seront arrêtées par l'assemblée après une large concertation des usagers concernés. Merci."
            let page = try await web.get(path)
            #expect(page.text.contains("value=\"train = non\""))
            let revision = try #require(page.hiddenField("revision"))
            let fields = Self.fields(title: "Les transports au quotidien").map { $0.0 == "introduction" ? ($0.0, long) : $0 }
            let edited = try await web.submit(path, fields + [("revision", revision), ("action", "enregistrer")], from: path)
            #expect(edited.status == .seeOther)
            let reread = try await web.get(path)
            #expect(reread.text.contains("value=\"Les transports au quotidien\""))
            #expect(reread.text.contains("<mark class=\"long-sentence\">"))
            #expect(reread.text.contains("Kandel et Moles"))
            #expect(reread.text.contains("« il convient de » : écrivez plutôt « il faut »"))

            // A second editor still on the first revision is told, and keeps what they typed.
            let stale = try await web.submit(path, Self.fields(title: "Mon autre titre") + [("revision", revision), ("action", "enregistrer")], from: path)
            #expect(stale.status == .conflict)
            #expect(stale.text.contains("Quelqu&#39;un a enregistré cette enquête") || stale.text.contains("Quelqu'un a enregistré cette enquête"))
            #expect(stale.text.contains("value=\"Mon autre titre\""))
            #expect(try await probe.texts("SELECT title FROM surveys.surveys") == ["Les transports au quotidien"])
        }
    }

    @Test func publishExportImportAndDuplicate() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let (web, _) = try await Self.staffSession(stack, client)
            let created = try await web.submit("/admin/enquetes/nouvelle", Self.fields() + [("action", "enregistrer")], from: "/admin/enquetes/nouvelle")
            let path = try #require(created.location?.split(separator: "?").first.map(String.init))

            let published = try await web.submit("\(path)/publier", [], from: path)
            #expect(published.status == .seeOther)
            #expect(try await probe.texts("SELECT status FROM surveys.surveys") == ["open"])
            #expect(try await web.get("/admin/enquetes").text.contains("Publiée"))
            // audited by survey-service in the publication's transaction, then on the staff audit page
            try await eventually("the publication in the audit log") {
                try await probe.texts("SELECT action || ' ' || recorded_by FROM identity.audit_log WHERE action LIKE 'survey.%' ORDER BY id")
                    == ["survey.created surveys", "survey.published surveys"]
            }
            // An open survey keeps the questions people may have answered: the refusal says why, under the questions' heading.
            let open = try await web.get(path)
            let revision = try #require(open.hiddenField("revision"))
            let withoutFollowUp = Self.fields().filter { !$0.0.hasPrefix("s0-q1-") } + [("revision", revision), ("action", "enregistrer")]
            let refusedChange = try await web.submit(path, withoutFollowUp, from: path)
            #expect(refusedChange.status == .conflict)
            #expect(refusedChange.text.contains("href=\"#sections\""))
            #expect(refusedChange.text.contains("La question pourquoi ne peut plus être retirée"))
            #expect(try await probe.int("SELECT revision::int8 FROM surveys.surveys") == 1)

            let exported = try await web.get("\(path)/definition.json")
            #expect(exported.status == .ok)
            #expect(exported.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let definition = try decoder.decode(SurveyDefinition.self, from: Data(exported.text.utf8))
            #expect(definition.question("pourquoi")?.condition == .equals(question: "train", value: "non"))

            // A broken import names the field at fault and creates nothing.
            let broken = exported.text.replacingOccurrences(of: "\"short_text\"", with: "\"free_text\"")
            let refused = try await web.submit("/admin/enquetes/importer", [("definition", broken)], from: "/admin/enquetes/importer")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("sections[0].questions[1]"))
            #expect(try await probe.int("SELECT count(*)::int8 FROM surveys.surveys") == 1)

            let imported = try await web.submit("/admin/enquetes/importer", [("definition", exported.text)], from: "/admin/enquetes/importer")
            #expect(imported.status == .seeOther)
            let duplicated = try await web.submit("\(path)/dupliquer", [], from: path)
            #expect(duplicated.status == .seeOther)
            #expect(try await probe.texts("SELECT status || ' ' || title FROM surveys.surveys ORDER BY created_at").sorted { ($0 ?? "") < ($1 ?? "") } == [
                "draft Copie de Les transports du quotidien", "draft Les transports du quotidien", "open Les transports du quotidien",
            ])
        }
    }

    @Test func aConditionReadsBackAsWritten() throws {
        let written = [
            "train = non", "departement parmi 59, 62 et age entre 18 et 25", "non (velo répondu ou voiture = oui)", "enfants >= 1",
            "(a = x ou b = y) et c <= 2.5",
        ]
        for text in written {
            let condition = try #require(try SurveyConditionText.condition(from: text))
            #expect(try SurveyConditionText.condition(from: SurveyConditionText.text(of: condition)) == condition, "\(text)")
        }
        #expect(try SurveyConditionText.condition(from: "a = x ou b = y et c = z") == .any([
            .equals(question: "a", value: "x"), .all([.equals(question: "b", value: "y"), .equals(question: "c", value: "z")]),
        ]))
        #expect(try SurveyConditionText.condition(from: "   ") == nil)
        #expect(throws: SurveyConditionText.Unreadable.self) { try SurveyConditionText.condition(from: "age entre 18") }
        #expect(throws: SurveyConditionText.Unreadable.self) { try SurveyConditionText.condition(from: "(a = x") }
        #expect(throws: SurveyConditionText.Unreadable.self) { try SurveyConditionText.condition(from: "a ≠ x") }
    }
}
