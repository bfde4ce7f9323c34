import DialogueContracts
import Foundation
import Logging
@testable import NotificationWorker
import Testing
import TestSupport
import Wording

/// Every mail kind, rendered from its templates: values escaped in the HTML part and
/// verbatim in the text part, links absolute on the configured site and built from `SitePath`.
@Suite struct MailTemplateTests {
    /// A name and a title that would be markup if they were not escaped.
    static let name = #"Léa <b>"Lou"</b> & 'Co'"#
    static let title = #"Vélos & <script>alert("x")</script> l'été"#
    static let site = "http://dialogue.test"
    static let renderer = MailRenderer.bundled

    /// The HTML form of a value, written here rather than taken from the code under test.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    /// `value` escaped in the HTML part and as it is in the text part.
    static func expectShown(_ value: String, in mail: OutgoingMail, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(mail.html.contains(escaped(value)), "HTML lacks the escaped value", sourceLocation: sourceLocation)
        #expect(!mail.html.contains(value), "HTML holds the raw value", sourceLocation: sourceLocation)
        #expect(mail.text.contains(value), "text lacks the value as it is", sourceLocation: sourceLocation)
        #expect(!mail.text.contains(escaped(value)), "text holds HTML escapes", sourceLocation: sourceLocation)
    }

    /// `value` nowhere in the mail, in any form.
    static func expectNotShown(_ value: String, in mail: OutgoingMail, sourceLocation: SourceLocation = #_sourceLocation) {
        for part in [mail.text, mail.html] {
            #expect(!part.contains(value) && !part.contains(escaped(value)) && !part.contains("Lou"), sourceLocation: sourceLocation)
        }
    }

    /// The mail's call to action: `label : url` in the text part, a link in the HTML part.
    static func expectAction(_ label: String, _ url: String, in mail: OutgoingMail, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(url.hasPrefix(site + "/"), "not absolute on the site: \(url)", sourceLocation: sourceLocation)
        #expect(mail.text.contains("\(label) : \(url)"), sourceLocation: sourceLocation)
        #expect(mail.html.contains("<a href=\"\(escaped(url))\">"), sourceLocation: sourceLocation)
    }

    /// What every mail has: the greeting (by name, or without one when `named` is false),
    /// the signature, and no template syntax left over.
    static func expectFrame(_ mail: OutgoingMail, named: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(mail.text.hasPrefix(named ? "Bonjour \(name),\n\n" : "Bonjour,\n\n"), sourceLocation: sourceLocation)
        #expect(mail.text.hasSuffix("\n\nDialogue — CESER Hauts-de-France"), sourceLocation: sourceLocation)
        #expect(!mail.text.contains("\n\n\n"), "a blank line too many", sourceLocation: sourceLocation)
        #expect(mail.html.hasPrefix("<!doctype html>\n<html lang=\"fr\">"), sourceLocation: sourceLocation)
        #expect(mail.html.contains(named ? "<p>Bonjour \(escaped(name)),</p>" : "<p>Bonjour,</p>"), sourceLocation: sourceLocation)
        for part in [mail.text, mail.html] {
            #expect(!part.contains("{{") && !part.contains("}}"), sourceLocation: sourceLocation)
        }
    }

    @Test func emailConfirmation() throws {
        let link = SiteAddress(baseURL: Self.site).url(.emailConfirmation(token: "YWJj"))
        let mail = try AccountMails.confirmation(
            AccountEmailConfirmationRequested(accountID: UUID(), email: "lea@exemple.fr", displayName: Self.name, confirmationURL: link, expiresAt: Date()),
            renderer: Self.renderer
        )
        // The name was typed by whoever registered, perhaps not the address's owner.
        Self.expectFrame(mail, named: false)
        Self.expectNotShown(Self.name, in: mail)
        Self.expectAction("Confirmer mon adresse", "\(Self.site)/confirmation?jeton=YWJj", in: mail)
        #expect(mail.subject == "Confirmez votre adresse électronique — Dialogue")
        #expect(mail.text.contains("Si vous n'avez pas créé de compte sur Dialogue, ignorez ce message : aucun compte ne sera activé."))
        #expect(mail.listUnsubscribe == nil)
    }

    @Test func passwordReset() throws {
        let link = SiteAddress(baseURL: Self.site).url(.passwordReset(token: "YWJj"))
        let event = AccountPasswordResetRequested(accountID: UUID(), email: "lea@exemple.fr", displayName: Self.name, resetURL: link, expiresAt: Date())
        let mail = try AccountMails.passwordReset(event, addressConfirmed: true, renderer: Self.renderer)
        Self.expectFrame(mail)
        Self.expectShown(Self.name, in: mail)
        // The name of an account whose address was never confirmed may be anyone's text.
        let unconfirmed = try AccountMails.passwordReset(event, addressConfirmed: false, renderer: Self.renderer)
        Self.expectFrame(unconfirmed, named: false)
        Self.expectNotShown(Self.name, in: unconfirmed)
        Self.expectAction("Choisir un nouveau mot de passe", "\(Self.site)/mot-de-passe/nouveau?jeton=YWJj", in: mail)
        #expect(mail.text.contains("(heure de Paris) et ne sert qu'une fois."))
        #expect(mail.listUnsubscribe == nil)
    }

    @Test func signatureConfirmation() throws {
        let event = PetitionSignatureConfirmationRequested(
            petitionID: UUID(), title: Self.title, email: "lea@exemple.fr", name: Self.name, token: "dG9rZW4", expiresAt: Date()
        )
        let mail = try SignatoryMails.confirmation(event, links: testNotificationLinks, renderer: Self.renderer)
        Self.expectFrame(mail, named: false)
        Self.expectNotShown(Self.name, in: mail)
        Self.expectShown(Self.title, in: mail)
        Self.expectAction("Confirmer ma signature", "\(Self.site)/confirmer-signature?jeton=dG9rZW4", in: mail)
        #expect(mail.text.contains("Vous avez signé la pétition « \(Self.title) » sur Dialogue"))
    }

    @Test func surveyAnswerLink() throws {
        let survey = UUID()
        let event = SurveyAnswerLinkMailRequested(
            surveyID: survey, title: Self.title, email: "lea@exemple.fr", token: "ZW5xdWV0ZQ", expiresAt: Date(), closesAt: Date()
        )
        let mail = try SurveyMails.answerLink(event, links: testNotificationLinks, renderer: Self.renderer)
        Self.expectFrame(mail, named: false)
        Self.expectShown(Self.title, in: mail)
        Self.expectAction("Répondre à l'enquête", "\(Self.site)/enquetes/\(survey.uuidString.lowercased())/repondre?jeton=ZW5xdWV0ZQ", in: mail)
        #expect(mail.text.contains("Vous avez demandé à répondre à l'enquête « \(Self.title) » sur Dialogue"))
        #expect(mail.listUnsubscribe == nil)
    }

    @Test func signedAgain() throws {
        let petition = UUID()
        let event = PetitionSignedAgain(petitionID: petition, title: Self.title, email: "lea@exemple.fr", name: Self.name, firstSignedAt: Date())
        let mail = try SignatoryMails.signedAgain(event, links: testNotificationLinks, renderer: Self.renderer)
        Self.expectFrame(mail, named: false)
        Self.expectNotShown(Self.name, in: mail)
        Self.expectShown(Self.title, in: mail)
        Self.expectAction("Voir la pétition", testNotificationLinks.url(.petition(petition)), in: mail)
        #expect(mail.text.contains("\(Self.site)/petitions/\(petition.uuidString.lowercased())"))
    }

    @Test func answerToSignatory() {
        let petition = UUID()
        let event = PetitionSignatoryNoticeRequested(
            petitionID: petition, signatureID: UUID(), email: "lea@exemple.fr", name: Self.name, accountID: nil, title: Self.title,
            decision: .referralNotRetained, publicPath: SitePath.petition(petition).path
        )
        let mail = SignatoryMails.answer(event, links: testNotificationLinks, renderer: Self.renderer)
        Self.expectFrame(mail)
        Self.expectShown(Self.name, in: mail)
        Self.expectShown(Self.title, in: mail)
        Self.expectAction("Lire la réponse de l'assemblée", "\(Self.site)/petitions/\(petition.uuidString.lowercased())", in: mail)
        #expect(mail.subject == "L'assemblée a répondu à la pétition « \(Self.title) » — Dialogue")
        #expect(mail.text.contains("—\n\nVous recevez ce message, une seule fois, car vous l'avez demandé en signant la pétition."))
        #expect(mail.listUnsubscribe == nil)
    }

    @Test func registrationAttempt() {
        let mail = AccountMails.registrationAttempt(
            AccountRegistrationAttempted(accountID: UUID(), email: "lea@exemple.fr", attemptedAt: Date()), links: testNotificationLinks, renderer: Self.renderer
        )
        Self.expectFrame(mail, named: false)
        Self.expectAction("Se connecter", "\(Self.site)/connexion", in: mail)
        Self.expectAction("Choisir un nouveau mot de passe", "\(Self.site)/mot-de-passe-oublie", in: mail)
        #expect(mail.subject == "Tentative de création de compte avec votre adresse — Dialogue")
        #expect(mail.listUnsubscribe == nil)
    }

    @Test func topicMail() {
        let petition = UUID()
        let account = UUID()
        let notifier = Notifier(links: testNotificationLinks, renderer: Self.renderer, logger: TestEnvironment.logger)
        let message = TopicMessages.milestone(PetitionMilestoneReached(
            petitionID: petition, title: Self.title, percent: 50, signatureCount: 500, threshold: 1000, authorAccountID: account
        ))
        let mail = notifier.mail(message, to: Recipient(accountID: account, email: "lea@exemple.fr", displayName: Self.name))
        Self.expectFrame(mail)
        Self.expectShown(Self.name, in: mail)
        Self.expectShown(Self.title, in: mail)
        Self.expectAction("Voir votre pétition", "\(Self.site)/petitions/\(petition.uuidString.lowercased())", in: mail)
        let unsubscribe = testNotificationLinks.unsubscribeURL(account: account, topic: .petitionMilestones)
        #expect(unsubscribe.hasPrefix("\(Self.site)/desabonnement?jeton="))
        Self.expectAction("Ne plus recevoir ces messages", unsubscribe, in: mail)
        Self.expectAction("Choisir quand vous êtes informé·e", "\(Self.site)/compte/notifications", in: mail)
        #expect(mail.listUnsubscribe == unsubscribe)
        #expect(mail.text.contains("—\n\nVous recevez ce message car vous suivez : \(NotificationTopic.petitionMilestones.frenchLabel.lowercased())."))
    }

    @Test func staffTopicMailLinksToTheBackOffice() {
        let petition = UUID()
        let notifier = Notifier(links: testNotificationLinks, renderer: Self.renderer, logger: TestEnvironment.logger)
        let message = TopicMessages.threshold(
            PetitionThresholdReached(petitionID: petition, title: Self.title, threshold: 1000, signatureCount: 1000, reachedAt: Date())
        )
        let mail = notifier.mail(message, to: Recipient(accountID: UUID(), email: "equipe@ceser.example", displayName: Self.name))
        Self.expectShown(Self.title, in: mail)
        Self.expectAction("Ouvrir la pétition", "\(Self.site)/admin/petitions/\(petition.uuidString.lowercased())", in: mail)
        #expect(message.path == "/admin/petitions/\(petition.uuidString.lowercased())")
    }

    @Test func digest() {
        let account = UUID()
        let petition = testNotificationLinks.url(.petition(UUID()))
        let mail = DigestJob.digest(
            .weekly,
            of: [
                (.petitionMilestones, "« \(Self.title) » : 50 % du seuil", petition, Date()),
                (.contributionModeration, "Pétition « \(Self.title) » : publiée", nil, Date()),
            ],
            to: Recipient(accountID: account, email: "lea@exemple.fr", displayName: Self.name),
            links: testNotificationLinks, renderer: Self.renderer
        )
        Self.expectFrame(mail)
        Self.expectShown(Self.name, in: mail)
        Self.expectShown(Self.title, in: mail)
        #expect(mail.subject == "Votre résumé de la semaine — Dialogue")
        #expect(mail.text.contains(") : \(petition)\n\n"))
        #expect(mail.html.contains("<a href=\"\(petition)\">"))
        for topic in [NotificationTopic.petitionMilestones, .contributionModeration] {
            Self.expectAction(
                "Ne plus rien recevoir sur : \(topic.frenchLabel.lowercased())", testNotificationLinks.unsubscribeURL(account: account, topic: topic),
                in: mail
            )
        }
        Self.expectAction("Choisir quand vous êtes informé·e", "\(Self.site)/compte/notifications", in: mail)
        // Two topics: no single List-Unsubscribe address is right.
        #expect(mail.listUnsubscribe == nil)
    }

    @Test func aMissingOrBrokenTemplateIsRefusedWhenTheTemplatesAreLoaded() throws {
        // setup: a copy of the shipped templates
        let shipped = try #require(MailRenderer.shippedDirectory)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("mail-templates-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: shipped, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        _ = try MailRenderer(directory: copy)
        _ = try MailRenderer.shipped()

        // act and check: a kind's text part, then the HTML layout, gone
        try FileManager.default.removeItem(at: copy.appendingPathComponent("digest.txt.mustache"))
        do {
            _ = try MailRenderer(directory: copy)
            Issue.record("a folder without digest.txt.mustache was accepted")
        } catch {
            #expect(error.description.contains("digest.txt.mustache"))
        }
        try FileManager.default.removeItem(at: copy.appendingPathComponent("layout.html.mustache"))
        do {
            _ = try MailRenderer(directory: copy)
            Issue.record("a folder without layout.html.mustache was accepted")
        } catch {
            // every missing template is named
            #expect(error.description.contains("digest.txt.mustache"))
            #expect(error.description.contains("layout.html.mustache"))
        }

        // a template that does not parse is named too
        try "{{#lines}}sans fin".write(to: copy.appendingPathComponent("topic.txt.mustache"), atomically: true, encoding: .utf8)
        do {
            _ = try MailRenderer(directory: copy)
            Issue.record("a template that does not parse was accepted")
        } catch {
            #expect(error.description.contains("topic.txt.mustache"))
        }
    }
}
