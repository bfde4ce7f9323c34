import DialogueContracts
import Foundation
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Synchronization
import Testing
import TestSupport

/// Answering a survey open to « anyone with a confirmed e-mail » without an account: the
/// address typed on the survey's page gets a link (through the notification worker, limited
/// per recipient); the link opens the answering flow for that address, one response per
/// address; the same link changes the answers; an expired or forged link says so in French.
@Suite struct SurveyAnswerLinkTests {
    /// The secret of the newest answer link of `survey` mailed to `email`, read from the mail
    /// the test SMTP server received (the outbox keeps no token once published); only a link
    /// this database knows counts, since other tests may mail the same address.
    static func answerToken(to email: String, survey: String, _ probe: Probe) async throws -> String {
        let found = Mutex<String?>(nil)
        let marker = SitePath.surveyAnswering(try #require(UUID(uuidString: survey)), token: "").path
        try await eventually("the answer link mailed to \(email)") {
            for text in try TestEnvironment.mailTexts(to: email).reversed() {
                guard let link = text.range(of: marker) else { continue }
                let token = String(text[link.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
                if try await probe.int("SELECT count(*)::int8 FROM surveys.answer_links WHERE token_hash = sha256(convert_to(\(token), 'UTF8'))") > 0 {
                    found.withLock { $0 = token }
                    return true
                }
            }
            return false
        }
        return found.withLock { $0 } ?? ""
    }

    static func unique(_ name: String) -> String { "\(name).\(UUID().uuidString.prefix(8).lowercased())" }

    @Test func aPersonWithoutAnAccountAnswersThroughAMailedLinkThenChangesTheirAnswers() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let id = try await SurveyAnsweringPagesTests.publishedSurvey(stack, client)
            let surveyID = try #require(UUID(uuidString: id))
            let visitor = WebSession(client.anonymous)
            let surveyPage = "/enquetes/\(id)"

            // The survey's page offers the form; a bad address comes back with its message, kept.
            let page = try await visitor.get(surveyPage)
            #expect(page.text.contains("action=\"/enquetes/\(id)/lien\""))
            let bad = try await visitor.submit("/enquetes/\(id)/lien", [("email", "camille-sans-arobase")], from: surveyPage)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("Indiquez une adresse électronique valide"))
            #expect(bad.text.contains("value=\"camille-sans-arobase\""))

            // A good one: the mail arrives with a link to the answering form.
            let local = Self.unique("camille.lien")
            let email = "\(local)+enquete@gmail.com"
            let sent = try await visitor.submit("/enquetes/\(id)/lien", [("email", email)], from: surveyPage)
            #expect(sent.status == .seeOther)
            #expect(sent.location == "/enquetes/\(id)?statut=lien-envoye")
            #expect(try await visitor.get(try #require(sent.location)).text.contains("Un courriel vient de partir"))
            let token = try await Self.answerToken(to: email, survey: id, probe)
            let path = "/enquetes/\(id)/repondre?jeton=\(token)"

            // The link opens the form (no account), and every page posts back to it.
            let first = try await visitor.get(path)
            #expect(first.status == .ok)
            #expect(first.text.contains("name=\"r-train\""))
            #expect(first.text.contains("action=\"\(path)\""))
            let revealed = try await visitor.submit(path, [("etape", "0"), ("reponses", "{}"), ("profil", "{}"), ("affichees", "train"), ("r-train", "non")], from: path)
            let carried = SurveyAnsweringPagesTests.unescaped(try #require(revealed.hiddenField("reponses")))
            let summary = try await visitor.submit(
                path, [("etape", "0"), ("reponses", carried), ("profil", "{}"), ("affichees", "train,pourquoi"), ("r-train", "non"), ("r-pourquoi", "Trop cher")],
                from: path
            )
            #expect(summary.text.contains("Vérifiez vos réponses"))
            let final = SurveyAnsweringPagesTests.unescaped(try #require(summary.hiddenField("reponses")))
            let answered = try await visitor.submit(
                path, [("etape", "fin"), ("reponses", final), ("profil-departement", "59"), ("action", "envoyer")], from: path
            )
            #expect(answered.status == .seeOther)
            #expect(answered.location == "/enquetes/\(id)/merci")
            #expect(try await visitor.get("/enquetes/\(id)/merci").text.contains("rouvrez le lien reçu par courriel"))
            let normalized = EmailAddress.normalized(email)
            try await eventually(timeout: .seconds(10), "response stored for the address") {
                try await probe.int(
                    "SELECT count(*)::int8 FROM surveys.responses WHERE survey_id = \(surveyID) AND email_normalized = \(normalized) AND account_id IS NULL"
                ) == 1
            }

            // The same link again: the answers are back, and sending replaces them.
            let again = try await visitor.get(path)
            #expect(again.text.contains("Vous avez répondu le"))
            #expect(again.text.contains("value=\"Trop cher\""))
            let changed = try await visitor.submit(
                path, [("etape", "0"), ("reponses", SurveyAnsweringPagesTests.unescaped(try #require(again.hiddenField("reponses")))), ("profil", "{}"),
                       ("modifier", "1"), ("affichees", "train,pourquoi"), ("r-train", "oui"), ("r-pourquoi", "Trop cher")], from: path
            )
            let resent = try await visitor.submit(
                path, [("etape", "fin"), ("reponses", SurveyAnsweringPagesTests.unescaped(try #require(changed.hiddenField("reponses")))), ("modifier", "1"),
                       ("action", "envoyer")], from: path
            )
            #expect(resent.status == .seeOther)
            try await eventually(timeout: .seconds(10), "response replaced") {
                try await probe.texts(
                    "SELECT value FROM surveys.answers a JOIN surveys.responses r ON r.id = a.response_id WHERE r.survey_id = \(surveyID) AND a.question_id = 'train'"
                ) == ["oui"]
            }
            #expect(try await probe.int("SELECT count(*)::int8 FROM surveys.responses WHERE survey_id = \(surveyID)") == 1)

            // A first response sent again from another spelling's link is refused: one per address.
            let otherSpelling = "\(local.replacingOccurrences(of: ".", with: "").uppercased())@googlemail.com"
            #expect(EmailAddress.normalized(otherSpelling) == normalized)
            let secondLink = try await visitor.submit("/enquetes/\(id)/lien", [("email", otherSpelling)], from: surveyPage)
            #expect(secondLink.status == .seeOther)
            // The notification worker's limit on mails someone else can cause holds this one back.
            try await eventually(timeout: .seconds(10), "the second mail held back") {
                try await probe.int(
                    """
                    SELECT count(*)::int8 FROM notifications.email_deliveries
                    WHERE template = 'survey.answer_link' AND recipient_key = \(normalized) AND status = 'suppressed'
                    """
                ) == 1
            }
            #expect(try TestEnvironment.mailTexts(to: otherSpelling).isEmpty)
            #expect(try await probe.int("SELECT count(*)::int8 FROM surveys.answer_links WHERE email_normalized = \(normalized)") == 2)
        }
    }

    @Test func anExpiredOrForgedLinkGetsAClearFrenchPage() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let id = try await SurveyAnsweringPagesTests.publishedSurvey(stack, client)
            let surveyID = try #require(UUID(uuidString: id))
            let visitor = WebSession(client.anonymous)

            let forged = try await visitor.get("/enquetes/\(id)/repondre?jeton=invente-de-toutes-pieces")
            #expect(forged.status == .notFound)
            #expect(forged.text.contains("Ce lien n&#39;est pas valable") || forged.text.contains("Ce lien n'est pas valable"))
            #expect(forged.text.contains("action=\"/enquetes/\(id)/lien\""))
            #expect(!forged.text.contains("name=\"r-train\""))

            let email = "\(Self.unique("dominique.expire"))@exemple.fr"
            _ = try await visitor.submit("/enquetes/\(id)/lien", [("email", email)], from: "/enquetes/\(id)")
            let token = try await Self.answerToken(to: email, survey: id, probe)
            let path = "/enquetes/\(id)/repondre?jeton=\(token)"
            #expect(try await visitor.get(path).status == .ok)
            try await probe.execute("UPDATE surveys.answer_links SET expires_at = now() - interval '1 minute' WHERE survey_id = \(surveyID)")
            let expired = try await visitor.get(path)
            #expect(expired.status == .gone)
            #expect(expired.text.contains("Ce lien a expiré le"))
            #expect(expired.text.contains("action=\"/enquetes/\(id)/lien\""))
            // Sending with it stores nothing.
            let late = try await visitor.post(path, fields: [
                ("_csrf", try await visitor.csrfToken(from: "/enquetes/\(id)")), ("etape", "fin"), ("reponses", #"{"train":{"choice":"oui"}}"#),
                ("action", "envoyer"),
            ])
            #expect(late.status == .gone)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await probe.int("SELECT count(*)::int8 FROM surveys.responses WHERE survey_id = \(surveyID)") == 0)

            // A link of one survey opens no other.
            let other = try await SurveyAnsweringPagesTests.publishedSurvey(stack, client)
            #expect(try await visitor.get("/enquetes/\(other)/repondre?jeton=\(token)").status == .notFound)
        }
    }

    @Test func aSurveyForSignedInCitizensMailsNoLink() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let (staff, _) = try await SurveyBuilderPagesTests.staffSession(stack, client)
            let fields = SurveyBuilderPagesTests.fields().map { $0.0 == "public" ? ("public", "signed_in") : $0 }
            let created = try await staff.submit("/admin/enquetes/nouvelle", fields + [("action", "enregistrer")], from: "/admin/enquetes/nouvelle")
            let adminPath = try #require(created.location?.split(separator: "?").first.map(String.init))
            #expect(try await staff.submit("\(adminPath)/publier", [], from: adminPath).status == .seeOther)
            let id = String(adminPath.dropFirst("/admin/enquetes/".count))

            let visitor = WebSession(client.anonymous)
            #expect(!(try await visitor.get("/enquetes/\(id)").text.contains("/lien\"")))
            let refused = try await visitor.submit("/enquetes/\(id)/lien", [("email", "claude@exemple.fr")])
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("réservée aux personnes connectées"))
            #expect(try await probe.int("SELECT count(*)::int8 FROM surveys.answer_links") == 0)
        }
    }
}
