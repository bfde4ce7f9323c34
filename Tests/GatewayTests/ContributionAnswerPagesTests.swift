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

/// Accountability on the site: staff answer published contributions (a reason required for
/// « non retenue », the form back with the message next to the field and the selection kept);
/// the contribution's page and the consultation's filter show the answer; the balance sheet
/// counts it; the API reads the same and lets a staff token answer.
@Suite struct ContributionAnswerPagesTests {
    /// A published proposal of a new open consultation.
    static func publishedProposal(_ stack: GatewayStack, probe: Probe, title: String = "Un guichet unique") async throws -> (ConsultationView, ContributionView) {
        let consultation = try await ConsultationPagesTests.create(stack)
        let draft = ContributionDraft(
            kind: .proposal, theme: ConsultationTheme.code(for: "Emploi associatif"), title: title, text: "Un seul dossier pour toutes les aides.",
            reasons: "Les bénévoles y passent leurs soirées."
        )
        let contribution = try await stack.rpc.request(SubmitContribution(
            consultationID: consultation.id, draft: draft, authorAccountID: UUID(), authorName: "Claire"
        ))
        try await publishEvent(
            ModerationDecisionMade(
                itemID: UUID(), contentType: .proposal, contentID: contribution.id, ownerService: .consultations, status: .published, visible: true,
                reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: UUID(), rule: nil, decidedAt: Date(), revision: 5
            ),
            topology: stack.topology
        )
        try await eventually("the contribution shown") {
            try await probe.int("SELECT count(*)::int8 FROM consultations.contributions WHERE id = \(contribution.id) AND visible") == 1
        }
        return (consultation, contribution)
    }

    @Test func staffAnswerAndEveryoneSeesWhatBecameOfTheContribution() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let (consultation, contribution) = try await Self.publishedProposal(stack, probe: probe)
            let (id, contributionID) = (consultation.id.uuidString.lowercased(), contribution.id.uuidString.lowercased())
            let path = "/admin/consultations/\(id)/contributions"
            let web = try await ConsultationPagesTests.session(stack, client, try await stack.makeStaff([.staff]))

            // act: no reason, then with one
            let list = try await web.get(path)
            let refused = try await web.submit(path, [("contributions", contributionID), ("status", "not_retained"), ("reason", "")], from: path)
            let storedAfterRefusal = try await probe.int("SELECT count(*)::int8 FROM consultations.contributions WHERE answer IS NOT NULL")
            let saved = try await web.submit(
                path, [("contributions", contributionID), ("status", "not_retained"), ("reason", "Cela relève de l'État."), ("text", "Merci de votre idée.")],
                from: path
            )

            // check: the staff page
            #expect(list.status == .ok)
            #expect(list.text.contains("value=\"\(contributionID)\""))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("<title>Erreur – "))
            #expect(refused.text.contains("href=\"#reason\""))
            #expect(refused.text.contains("Dites pourquoi la contribution n&#39;est pas retenue") || refused.text.contains("Dites pourquoi la contribution n'est pas retenue"))
            // nothing lost: the selection and the status stay
            #expect(refused.text.contains("value=\"\(contributionID)\" checked"))
            #expect(refused.text.contains("value=\"not_retained\" checked"))
            #expect(storedAfterRefusal == 0)
            #expect(saved.status == .seeOther)
            #expect(try await probe.texts("SELECT answer_status FROM consultations.contributions") == ["not_retained"])

            // check: the public pages
            let anonymous = WebSession(client.anonymous)
            let page = try await anonymous.get("/contributions/\(contributionID)")
            #expect(page.status == .ok)
            #expect(page.text.contains("Non retenue"))
            #expect(page.text.contains("Cela relève de l"))
            #expect(page.text.contains("Merci de votre idée."))
            let filtered = try await anonymous.get("/consultations/\(id)?suite=non-retenue")
            #expect(filtered.text.contains("href=\"/contributions/\(contributionID)\""))
            #expect(filtered.text.contains("Suite donnée : <strong>Non retenue</strong>"))
            let otherFilter = try await anonymous.get("/consultations/\(id)?suite=retenue")
            #expect(!otherFilter.text.contains("href=\"/contributions/\(contributionID)\""))
            let sheet = try await anonymous.get("/consultations/\(id)/bilan")
            #expect(sheet.status == .ok)
            #expect(sheet.text.contains("1 contribution recueillie, 0 retenue, 1 a reçu une réponse."))
            #expect(sheet.text.contains("href=\"/consultations/\(id)?thematique=emploi-associatif#contributions\""))

            // check: a citizen may not answer
            let citizen = try await ConsultationPagesTests.session(stack, client, try await stack.makeCitizen())
            #expect(try await citizen.get(path).status != .ok)
        }
    }

    @Test func theAPIReadsTheAnswerAndTheBalanceSheetAndAStaffTokenAnswers() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let (consultation, contribution) = try await Self.publishedProposal(stack, probe: probe)
            let id = consultation.id.uuidString.lowercased()
            let staffClient = BearerClient(base: client, token: try await stack.issueToken(for: try await stack.makeStaff([.staff])))
            let citizenClient = BearerClient(base: client, token: try await stack.issuePersonalToken(for: try await stack.makeCitizen()))
            let answersPath = "/api/v1/consultations/\(id)/answers"
            func body(_ status: String, report: String? = nil) -> String {
                var fields: [String: Any] = ["contributions": [contribution.id.uuidString.lowercased()], "status": status]
                if let report { fields["report_url"] = report }
                return String(decoding: try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
            }

            let forbidden = try await citizenClient.post(answersPath, json: body("retained"))
            let noLink = try await staffClient.post(answersPath, json: body("in_report"))
            let badStatus = try await staffClient.post(answersPath, json: body("maybe"))
            let answered = try await staffClient.post(answersPath, json: body("in_report", report: "https://ceser.hautsdefrance.fr/avis.pdf"))
            let read = try await client.get("/api/v1/consultations/contributions/\(contribution.id.uuidString.lowercased())")
            let sheet = try await client.get("/api/v1/consultations/\(id)/balance-sheet")
            let listed = try await client.get("/api/v1/consultations/\(id)/contributions?answer_status=in_report")
            let badFilter = try await client.get("/api/v1/consultations/\(id)/contributions?answer_status=perhaps")

            #expect(forbidden.status == .forbidden)
            #expect(noLink.status == .badRequest)
            #expect(noLink.apiError?.field == "report_url")
            #expect(badStatus.apiError?.field == "status")
            #expect(answered.status == .ok)
            #expect(try answered.decode(AnswerOutcome.self) == AnswerOutcome(changed: [contribution.id], unchanged: []))
            #expect(try read.decode(ContributionView.self).answer?.reportURL == "https://ceser.hautsdefrance.fr/avis.pdf")
            let figures = try sheet.decode(ConsultationBalanceSheet.self)
            #expect(figures.total == .init(collected: 1, published: 1, answered: 1, retained: 1))
            #expect(figures.reports.map(\.contributionID) == [contribution.id])
            #expect(try listed.decode(ContributionList.self).items.map(\.id) == [contribution.id])
            #expect(badFilter.apiError?.field == "answer_status")
        }
    }
}
