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

/// Consultations on the site: staff write one through a form that names every problem next to
/// its field and keeps what was typed, with the plain-language hint; everyone reads the list
/// and the page (question, use, dates and extension, themes); a confirmed citizen contributes
/// within the consultation's rules.
@Suite struct ConsultationPagesTests {
    static let themes = "Simplification administrative\nEngagement bénévole et volontaire\nEmploi associatif"

    static func fields(use: String = "Les propositions retenues nourriront l'avis du CESER.", extendedUntil: String = "2099-09-30T18:00") -> [(String, String)] {
        [
            ("title", "Assises de la vie associative"), ("question", "Qu'est-ce qui aiderait votre association au quotidien ?"),
            ("context", "La Région prépare sa politique associative."), ("use", use), ("themes", themes), ("free_theme", "1"),
            ("opens_at", "2026-01-05T09:00"), ("closes_at", "2099-08-01T18:00"), ("extended_until", extendedUntil),
            ("accepted", "both"), ("moderation", "before_publication"), ("action", "enregistrer"),
        ]
    }

    static func session(_ stack: GatewayStack, _ client: any TestClientProtocol, _ account: TestAccount) async throws -> WebSession {
        let web = WebSession(client.anonymous)
        web.setCookie(web.sessionCookieName, try await stack.openSession(for: account))
        return web
    }

    static func create(_ stack: GatewayStack, opensAt: Date = Date(timeIntervalSinceNow: -3_600), closesAt: Date = Date(timeIntervalSinceNow: 86_400 * 30), accepted: AcceptedContributions = .both) async throws -> ConsultationView {
        let themes = ["Simplification administrative", "Emploi associatif"].map { ConsultationTheme(code: ConsultationTheme.code(for: $0), label: $0) }
            + [ConsultationTheme(code: ConsultationTheme.freeCode, label: "")]
        let definition = ConsultationDefinition(
            title: "Assises de la vie associative", question: "Qu'est-ce qui aiderait votre association au quotidien ?", context: "",
            use: "Les propositions retenues nourriront l'avis du CESER.", themes: themes, opensAt: opensAt, closesAt: closesAt, accepted: accepted
        )
        return try await stack.rpc.request(CreateConsultation(definition: definition, staffID: UUID(), staffName: "Agnès"))
    }

    @Test func staffWriteAConsultationThatEveryoneThenReads() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let web = try await Self.session(stack, client, try await stack.makeStaff([.staff]))
            let blank = try await web.get("/admin/consultations/nouvelle")
            #expect(blank.status == .ok)
            #expect(blank.text.contains("À quoi serviront les contributions"))

            let refused = try await web.submit(
                "/admin/consultations/nouvelle", Self.fields(use: "", extendedUntil: "2099-07-01T18:00"), from: "/admin/consultations/nouvelle"
            )
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("<title>Erreur – "))
            #expect(refused.text.contains("href=\"#use\""))
            #expect(refused.text.contains("Dites à quoi serviront les contributions"))
            #expect(refused.text.contains("href=\"#extended_until\""))
            // nothing lost, nothing stored
            #expect(refused.text.contains("Engagement bénévole et volontaire"))
            #expect(refused.text.contains("value=\"2099-07-01T18:00\""))
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.consultations") == 0)

            let saved = try await web.submit("/admin/consultations/nouvelle", Self.fields(), from: "/admin/consultations/nouvelle")
            #expect(saved.status == .seeOther)
            let location = try #require(saved.location)
            #expect(location.hasPrefix("/admin/consultations/"))
            let editor = try await web.get(location)
            #expect(editor.text.contains("Lisibilité"))
            #expect(editor.text.contains("Ouverte"))
            #expect(try await probe.texts("SELECT action FROM consultations.staff_audit") == ["consultation.created"])

            // The editor's address carries the notice's `?statut=`: the id is the 36 characters before it.
            let id = String(location.dropFirst("/admin/consultations/".count).prefix(36))
            let anonymous = WebSession(client.anonymous)
            let list = try await anonymous.get("/consultations")
            #expect(list.status == .ok)
            #expect(list.text.contains("href=\"/consultations/\(id)\""))
            let page = try await anonymous.get("/consultations/\(id)")
            #expect(page.status == .ok)
            #expect(page.text.contains("Qu&#39;est-ce qui aiderait") || page.text.contains("Qu'est-ce qui aiderait"))
            #expect(page.text.contains("Les propositions retenues nourriront"))
            #expect(page.text.contains("Prolongée jusqu&#39;au") || page.text.contains("Prolongée jusqu'au"))
            #expect(page.text.contains("Thématique libre"))
            #expect(page.text.contains("Emploi associatif"))
            #expect(page.text.contains("0 témoignage et 0 proposition") || page.text.contains("0 témoignages et 0 propositions"))
        }
    }

    @Test func aConfirmedCitizenContributesWithinTheConsultationsRules() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let consultation = try await Self.create(stack)
            let id = consultation.id.uuidString.lowercased()
            let path = "/consultations/\(id)/contribuer"

            let unconfirmed = try await Self.session(stack, client, try await stack.makeCitizen(confirmed: false))
            let confirmFirst = try await unconfirmed.get(path).text
            #expect(confirmFirst.contains("confirmez d&#39;abord") || confirmFirst.contains("confirmez d'abord"))
            let blocked = try await unconfirmed.submit(path, [("kind", "proposal")], from: "/consultations/\(id)")
            #expect(blocked.status == .forbidden)

            let web = try await Self.session(stack, client, try await stack.makeCitizen(displayName: "Claire"))
            let form = try await web.get(path + "?type=proposition")
            #expect(form.status == .ok)
            #expect(form.text.contains("Les propositions retenues nourriront"))
            #expect(form.text.contains("name=\"reasons\""))
            let testimonyForm = try await web.get(path + "?type=temoignage")
            #expect(testimonyForm.text.contains("name=\"commune\""))

            let theme = ConsultationTheme.code(for: "Emploi associatif")
            let missingWhy = try await web.submit(
                path, [("kind", "proposal"), ("theme", theme), ("title", "Un guichet unique"), ("text", "Un seul dossier pour toutes les aides.")],
                from: path
            )
            #expect(missingWhy.status == .unprocessableContent)
            #expect(missingWhy.text.contains("href=\"#reasons\""))
            #expect(missingWhy.text.contains("value=\"Un guichet unique\""))
            let unknownTheme = try await web.submit(
                path, [("kind", "proposal"), ("theme", "sante"), ("title", "Un guichet unique"), ("text", "Un seul dossier pour toutes les aides."),
                       ("reasons", "Les bénévoles y passent leurs soirées.")],
                from: path
            )
            #expect(unknownTheme.status == .unprocessableContent)
            #expect(unknownTheme.text.contains("href=\"#theme\""))
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.contributions") == 0)

            let sent = try await web.submit(
                path, [("kind", "proposal"), ("theme", theme), ("title", "Un guichet unique"), ("text", "Un seul dossier pour toutes les aides."),
                       ("reasons", "Les bénévoles y passent leurs soirées.")],
                from: path
            )
            #expect(sent.status == .seeOther)
            #expect(sent.location?.hasPrefix("/consultations/\(id)") == true)
            let page = try await web.get("/consultations/\(id)")
            #expect(page.text.contains("Mes contributions"))
            #expect(page.text.contains("En cours de modération"))
            #expect(page.text.contains("Aucune contribution publiée"))
            // Others do not see it before moderation.
            #expect(!(try await WebSession(client.anonymous).get("/consultations/\(id)").text.contains("Un guichet unique")))
        }
    }

    @Test func nothingIsTakenOutsideTheDatesNorOfAKindTheConsultationRefuses() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let closed = try await Self.create(stack, opensAt: Date(timeIntervalSinceNow: -86_400 * 10), closesAt: Date(timeIntervalSinceNow: -60))
            let testimoniesOnly = try await Self.create(stack, accepted: .testimonies)
            let web = try await Self.session(stack, client, try await stack.makeCitizen())
            let fields = [
                ("kind", "proposal"), ("theme", ConsultationTheme.freeCode), ("title", "Un guichet unique"),
                ("text", "Un seul dossier pour toutes les aides."), ("reasons", "Les bénévoles y passent leurs soirées."),
            ]
            let closedID = closed.id.uuidString.lowercased()
            #expect(try await WebSession(client.anonymous).get("/consultations/\(closedID)").text.contains("elle ne reçoit plus de contributions"))
            let late = try await web.submit("/consultations/\(closedID)/contribuer", fields, from: "/consultations/\(closedID)")
            #expect(late.status == .conflict)
            #expect(late.text.contains("Cette consultation est close"))
            let onlyID = testimoniesOnly.id.uuidString.lowercased()
            let wrongKind = try await web.submit("/consultations/\(onlyID)/contribuer", fields, from: "/consultations/\(onlyID)")
            #expect(wrongKind.status == .unprocessableContent)
            #expect(wrongKind.text.contains("seulement des témoignages"))
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.contributions") == 0)
        }
    }
}
