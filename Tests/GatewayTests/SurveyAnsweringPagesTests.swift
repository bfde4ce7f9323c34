import DialogueContracts
import Foundation
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import PostgresNIO
import Testing
import TestSupport

/// The public survey pages and the answering form without script: purpose up front, errors
/// on their question, a question revealed on the same page, an answer dropped with its notice
/// when a changed answer hides its question, sending, and « modifier mes réponses ».
@Suite struct SurveyAnsweringPagesTests {
    /// A survey published through the builder; returns its id.
    static func publishedSurvey(_ stack: GatewayStack, _ client: any TestClientProtocol, extraSection: Bool = false) async throws -> String {
        let (staff, _) = try await SurveyBuilderPagesTests.staffSession(stack, client)
        var fields = SurveyBuilderPagesTests.fields()
        if extraSection {
            fields += [
                ("s1-id", "frequence"), ("s1-titre", "Vos habitudes"), ("s1-condition", "train = oui"),
                ("s1-q0-id", "souvent"), ("s1-q0-type", "scale"), ("s1-q0-intitule", "À quelle fréquence ?"), ("s1-q0-obligatoire", "1"),
                ("s1-q0-echelle-min", "1"), ("s1-q0-echelle-max", "5"), ("s1-q0-libelle-min", "Rarement"), ("s1-q0-libelle-max", "Chaque jour"),
            ]
        }
        let created = try await staff.submit("/admin/enquetes/nouvelle", fields + [("action", "enregistrer")], from: "/admin/enquetes/nouvelle")
        let path = try #require(created.location?.split(separator: "?").first.map(String.init))
        let published = try await staff.submit("\(path)/publier", [], from: path)
        guard published.status == .seeOther else { throw UnexpectedResponse(response: published) }
        return String(path.dropFirst("/admin/enquetes/".count))
    }

    /// A signed-in citizen's browser, confirmed address.
    static func citizen(_ stack: GatewayStack, _ client: any TestClientProtocol) async throws -> (WebSession, TestAccount) {
        let account = try await stack.makeCitizen()
        let web = WebSession(client.anonymous)
        web.setCookie(web.sessionCookieName, try await stack.openSession(for: account))
        return (web, account)
    }

    static func unescaped(_ html: String) -> String {
        html.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test func theListAndThePageStateThePurposeFirst() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, _ in
            let id = try await Self.publishedSurvey(stack, client)
            let citizen = WebSession(client.anonymous)
            #expect(try await citizen.get("/enquetes").text.contains("href=\"/enquetes/\(id)\""))
            let page = try await citizen.get("/enquetes/\(id)")
            #expect(page.status == .ok)
            let purpose = try #require(page.text.range(of: "Les réponses guideront le plan régional des mobilités."))
            let button = try #require(page.text.range(of: "href=\"/enquetes/\(id)/repondre\""))
            #expect(purpose.lowerBound < button.lowerBound)
            #expect(page.text.contains("une adresse électronique confirmée suffit"))
            // A draft is nobody's to see but staff's.
            let (staff, _) = try await SurveyBuilderPagesTests.staffSession(stack, client)
            let draft = try await staff.submit("/admin/enquetes/nouvelle", SurveyBuilderPagesTests.fields() + [("action", "enregistrer")], from: "/admin/enquetes/nouvelle")
            let draftID = try #require(draft.location?.split(separator: "?").first?.split(separator: "/").last.map(String.init))
            #expect(try await citizen.get("/enquetes/\(draftID)").status == .notFound)
            #expect(try await citizen.get("/enquetes/\(draftID)/repondre").status == .notFound)
            // Answering asks a visitor to sign in first, and comes back.
            let anonymous = try await citizen.get("/enquetes/\(id)/repondre")
            #expect(anonymous.text.contains("connectez-vous"))
            #expect(anonymous.text.contains("href=\"/connexion?retour=/enquetes/\(id)/repondre\""))
            #expect(!anonymous.text.contains("name=\"r-train\""))
        }
    }

    @Test func aCitizenSendsTheirAnswersThenChangesThem() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let id = try await Self.publishedSurvey(stack, client)
            let surveyID = try #require(UUID(uuidString: id))
            let (citizen, account) = try await Self.citizen(stack, client)
            let path = "/enquetes/\(id)/repondre"
            _ = try await citizen.get(path)
            let revealed = try await citizen.submit(path, [("etape", "0"), ("reponses", "{}"), ("profil", "{}"), ("affichees", "train"), ("r-train", "non")], from: path)
            let carried = Self.unescaped(try #require(revealed.hiddenField("reponses")))
            let summary = try await citizen.submit(
                path, [("etape", "0"), ("reponses", carried), ("profil", "{}"), ("affichees", "train,pourquoi"), ("r-train", "non"), ("r-pourquoi", "Trop cher")],
                from: path
            )
            #expect(summary.text.contains("Vérifiez vos réponses"))
            #expect(summary.text.contains("name=\"profil-departement\""))
            let final = Self.unescaped(try #require(summary.hiddenField("reponses")))

            let sent = try await citizen.submit(
                path, [("etape", "fin"), ("reponses", final), ("profil-departement", "80"), ("profil-age", "25_34"), ("action", "envoyer")], from: path
            )
            #expect(sent.status == .seeOther)
            #expect(sent.location == "/enquetes/\(id)/merci")
            let thanks = try await citizen.get("/enquetes/\(id)/merci")
            #expect(thanks.text.contains("Modifier mes réponses"))
            try await eventually(timeout: .seconds(10), "response stored") {
                try await probe.int("SELECT count(*)::int8 FROM surveys.responses WHERE survey_id = \(surveyID) AND account_id = \(account.id)") == 1
            }
            #expect(try await probe.texts("SELECT departement || ' ' || age_band FROM surveys.responses WHERE survey_id = \(surveyID)") == ["80 25_34"])

            // Coming back: the answers are there, and sending again replaces them.
            let again = try await citizen.get(path)
            #expect(again.text.contains("Vous avez répondu le"))
            #expect(again.text.contains("name=\"modifier\" value=\"1\""))
            #expect(again.text.contains("value=\"Trop cher\""))
            let changed = try await citizen.submit(
                path, [("etape", "0"), ("reponses", Self.unescaped(try #require(again.hiddenField("reponses")))), ("profil", "{}"), ("modifier", "1"),
                       ("affichees", "train,pourquoi"), ("r-train", "oui"), ("r-pourquoi", "Trop cher")], from: path
            )
            #expect(changed.text.contains("a été retirée"))
            let resent = try await citizen.submit(
                path, [("etape", "fin"), ("reponses", Self.unescaped(try #require(changed.hiddenField("reponses")))), ("modifier", "1"), ("action", "envoyer")],
                from: path
            )
            #expect(resent.status == .seeOther)
            try await eventually(timeout: .seconds(10), "response replaced") {
                try await probe.texts(
                    "SELECT value FROM surveys.answers a JOIN surveys.responses r ON r.id = a.response_id WHERE r.survey_id = \(surveyID) AND a.question_id = 'train'"
                ) == ["oui"]
            }
            #expect(try await probe.int("SELECT count(*)::int8 FROM surveys.responses WHERE survey_id = \(surveyID)") == 1)
            #expect(try await probe.int("SELECT count(*)::int8 FROM surveys.answers WHERE survey_id = \(surveyID) AND question_id = 'pourquoi'") == 0)
        }
    }

    @Test func aRevealedQuestionShowsOnTheSamePageAndAHiddenAnswerIsDroppedWithANotice() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, _ in
            let id = try await Self.publishedSurvey(stack, client, extraSection: true)
            let (citizen, _) = try await Self.citizen(stack, client)
            let path = "/enquetes/\(id)/repondre"
            let first = try await citizen.get(path)
            #expect(first.status == .ok)
            #expect(first.text.contains("name=\"r-train\""))
            #expect(!first.text.contains("name=\"r-pourquoi\""))
            #expect(first.text.contains("Étape 1 sur 1"))

            // Nothing chosen: the required question says so, linked from the summary.
            let empty = try await citizen.submit(path, [("etape", "0"), ("reponses", "{}"), ("affichees", "train"), ("action", "suivant")], from: path)
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains("href=\"#r-train\""))
            #expect(empty.text.contains("id=\"r-train-error\""))

            // « Non » reveals « pourquoi » on the same page.
            let revealed = try await citizen.submit(path, [("etape", "0"), ("reponses", "{}"), ("affichees", "train"), ("r-train", "non")], from: path)
            #expect(revealed.status == .ok)
            #expect(revealed.text.contains("name=\"r-pourquoi\""))
            #expect(revealed.text.contains("d'autres questions s'affichent") || revealed.text.contains("d&#39;autres questions s&#39;affichent"))
            let carried = Self.unescaped(try #require(revealed.hiddenField("reponses")))

            // Changing to « oui » hides « pourquoi »: its answer goes, with a notice, and the next section opens.
            let changed = try await citizen.submit(
                path, [("etape", "0"), ("reponses", carried), ("affichees", "train,pourquoi"), ("r-train", "oui"), ("r-pourquoi", "Trop cher")], from: path
            )
            #expect(changed.status == .ok)
            #expect(changed.text.contains("a été retirée"))
            #expect(changed.text.contains("Pourquoi pas ?"))
            #expect(changed.text.contains("name=\"r-souvent\""))
            #expect(changed.text.contains("Étape 2 sur 2"))
            let afterDrop = Self.unescaped(try #require(changed.hiddenField("reponses")))
            #expect(!afterDrop.contains("Trop cher"))

            // An out-of-scale point is refused next to its question.
            let outside = try await citizen.submit(path, [("etape", "1"), ("reponses", afterDrop), ("affichees", "souvent"), ("r-souvent", "9")], from: path)
            #expect(outside.status == .unprocessableContent)
            #expect(outside.text.contains("id=\"r-souvent-error\""))

            let summary = try await citizen.submit(path, [("etape", "1"), ("reponses", afterDrop), ("affichees", "souvent"), ("r-souvent", "4")], from: path)
            #expect(summary.status == .ok)
            #expect(summary.text.contains("Vérifiez vos réponses"))
            #expect(summary.text.contains("<dd>Oui</dd>"))
            #expect(summary.text.contains("<dd>4</dd>"))
        }
    }

    @Test func theFormReadsEachTypeAndSaysWhatDoesNotRead() {
        let options = [SurveyOption(id: "train", label: "Train"), SurveyOption(id: "bus", label: "Bus"), SurveyOption(id: "velo", label: "Vélo")]
        let questions = [
            SurveyQuestion(id: "mode", prompt: "Comment venez-vous ?", kind: .singleChoice(options: options, allowsOther: true)),
            SurveyQuestion(id: "autres", prompt: "Et encore ?", kind: .multipleChoice(options: options, allowsOther: true, minimumChoices: nil, maximumChoices: nil)),
            SurveyQuestion(id: "km", prompt: "Combien de km ?", kind: .number(minimum: 0, maximum: nil, unit: "km", wholeNumber: false)),
            SurveyQuestion(id: "ordre", prompt: "Classez", kind: .ranking(options: options, rankedCount: 2)),
            SurveyQuestion(id: "note", prompt: "Notez", kind: .matrix(rows: options, scale: SurveyScale(minimum: 1, maximum: 5, minimumLabel: "Mal", maximumLabel: "Bien"))),
        ]
        let form = FormFields(urlEncoded: "r-mode=%3Aautre&r-mode-autre=Le+car&r-autres=bus&r-autres=%3Aautre&r-autres-autre=Le+taxi&r-km=12%2C5&r-ordre-velo=1&r-ordre-train=2&r-note-bus=4")
        let (answers, errors) = SurveyAnswerForm.read(form, questions: questions)
        #expect(errors.isEmpty)
        #expect(answers["mode"] == SurveyAnswer(optionIDs: [], otherText: "Le car"))
        #expect(answers["autres"] == SurveyAnswer(optionIDs: ["bus"], otherText: "Le taxi"))
        #expect(answers["km"] == .number(12.5))
        #expect(answers["ordre"] == .ranking(["velo", "train"]))
        #expect(answers["note"] == .matrix(["bus": 4]))
        // « Autre » ticked without its text, a word for a number, two items at one rank: each said on its question.
        let (_, bad) = SurveyAnswerForm.read(FormFields(urlEncoded: "r-autres=%3Aautre&r-km=douze&r-ordre-velo=1&r-ordre-bus=1"), questions: questions)
        #expect(bad["r-autres"]?.contains("Précisez") == true)
        #expect(bad["r-km"] != nil)
        #expect(bad["r-ordre"] != nil)
    }
}
