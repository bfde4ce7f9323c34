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

/// The orientation report on the site and in the API: staff write a recommendation citing a
/// contribution of the process and publish it; its page links to the contribution and the
/// contribution's page links back (« reprise dans la recommandation n° … »); a contribution of
/// another process is refused (form and JSON, naming the field, nothing stored); a fate other
/// than adoption without its reason comes back next to its field.
@Suite struct RecommendationPagesTests {
    @Test func aPublishedRecommendationAndItsContributionLinkBothWays() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup: a process holding a consultation with a published proposal; another, outside any process
            let (consultation, contribution) = try await ContributionAnswerPagesTests.publishedProposal(stack, probe: probe)
            let (_, foreign) = try await ContributionAnswerPagesTests.publishedProposal(stack, probe: probe, title: "Une proposition d'ailleurs")
            let process = try await stack.rpc.request(CreateProcess(
                draft: ProcessDraft(
                    title: "Ateliers citoyens de la vie associative", policy: "Politique associative", purpose: "Associer les bénévoles du Nord.",
                    phases: [ProcessPhaseDraft(
                        kind: .callForContributions, startsOn: ProcessPagesTests.day(-10), endsOn: ProcessPagesTests.day(10), consultationID: consultation.id
                    )]
                ),
                staffID: UUID(), staffName: "Agnès"
            ))
            let processID = process.id.uuidString.lowercased()
            let (contributionID, foreignID) = (contribution.id.uuidString.lowercased(), foreign.id.uuidString.lowercased())
            let staffPage = "/admin/processus/\(processID)/recommandations"
            let web = try await ProcessPagesTests.session(stack, client, try await stack.makeStaff([.staff]))
            let anonymous = WebSession(client.anonymous)
            let fields: [(String, String)] = [
                ("numero", "1"), ("titre", "Un guichet unique des aides"), ("texte", "Le Département ouvre un guichet unique pour les associations."),
            ]

            // act: the form offers the process's contribution; a foreign one sent anyway is refused
            let form = try await web.get(staffPage)
            let crossing = try await web.submit(staffPage, fields + [("contributions", contributionID), ("contributions", foreignID)], from: staffPage)
            let written = try await web.submit(staffPage, fields + [("contributions", contributionID)], from: staffPage)

            // check
            #expect(form.status == .ok && form.text.contains("value=\"\(contributionID)\"") && !form.text.contains("value=\"\(foreignID)\""))
            #expect(crossing.status == .unprocessableContent)
            #expect(crossing.text.contains("id=\"contributions-error\""))
            #expect(crossing.text.contains("appartient à une consultation d&#39;une autre démarche") || crossing.text.contains("appartient à une consultation d'une autre démarche"))
            #expect(crossing.text.contains("Un guichet unique des aides"))
            #expect(written.status == .seeOther)
            let recommendationID = try #require(try await probe.texts("SELECT id::text FROM consultations.recommendations").first ?? nil)
            let recommendationPage = "/recommandations/\(recommendationID)"
            #expect(try await anonymous.get(recommendationPage).status == .notFound)

            // act: published
            let published = try await web.submit("/admin/recommandations/\(recommendationID)/publier", [], from: staffPage)
            let recommendation = try await anonymous.get(recommendationPage)
            let contributionPage = try await anonymous.get("/contributions/\(contributionID)")
            let report = try await anonymous.get("/processus/\(processID)/recommandations")

            // check: both ways
            #expect(published.status == .seeOther)
            #expect(recommendation.status == .ok)
            #expect(recommendation.text.contains("Recommandation n° 1 : Un guichet unique des aides"))
            #expect(recommendation.text.contains("href=\"/contributions/\(contributionID)\""))
            #expect(contributionPage.text.contains("Reprise dans la recommandation n° 1 du rapport d&#39;orientation")
                || contributionPage.text.contains("Reprise dans la recommandation n° 1 du rapport d'orientation"))
            #expect(contributionPage.text.contains("href=\"\(recommendationPage)\""))
            #expect(report.text.contains("href=\"\(recommendationPage)\"") && report.text.contains("En attente de la décision des élus"))

            // act: a modified fate without its reason, then with it
            let decision = "/admin/recommandations/\(recommendationID)/decision"
            let sort = "decision-\(recommendationID)-sort", raison = "decision-\(recommendationID)-raison"
            let bare = try await web.submit(decision, [(sort, "modified"), (raison, " ")], from: staffPage)
            let decided = try await web.submit(decision, [(sort, "modified"), (raison, "Le guichet ouvre d'abord à Lille.")], from: staffPage)

            // check
            #expect(bare.status == .unprocessableContent)
            #expect(bare.text.contains("id=\"\(raison)-error\"") && bare.text.contains("Dites en quoi la recommandation a été modifiée"))
            #expect(decided.status == .seeOther)
            let after = try await anonymous.get(recommendationPage)
            #expect(after.text.contains("Décision des élus : adoptée avec modifications"))
            #expect(after.text.contains("Le guichet ouvre d"))
        }
    }

    @Test func theAPIRefusesAContributionOfAnotherProcessByNameAndStoresNothing() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let (consultation, contribution) = try await ContributionAnswerPagesTests.publishedProposal(stack, probe: probe)
            let (_, foreign) = try await ContributionAnswerPagesTests.publishedProposal(stack, probe: probe, title: "Une proposition d'ailleurs")
            let process = try await stack.rpc.request(CreateProcess(
                draft: ProcessDraft(
                    title: "Ateliers citoyens", policy: "Politique associative", purpose: "Associer les bénévoles du Nord.",
                    phases: [ProcessPhaseDraft(
                        kind: .callForContributions, startsOn: ProcessPagesTests.day(-10), endsOn: ProcessPagesTests.day(10), consultationID: consultation.id
                    )]
                ),
                staffID: UUID(), staffName: "Agnès"
            ))
            let staff = BearerClient(base: client.anonymous, token: try await stack.issueStaffToken(roles: [.staff]))
            let path = "/api/v1/processes/\(process.id.uuidString.lowercased())/recommendations"
            func body(_ ids: [UUID]) -> String {
                let list = ids.map { "\"\($0.uuidString.lowercased())\"" }.joined(separator: ", ")
                return #"{"number": 2, "title": "Un guichet unique", "text": "Un guichet unique pour les aides aux associations.", "contributions": [\#(list)]}"#
            }

            // act
            let refused = try await staff.post(path, json: body([contribution.id, foreign.id]))
            let created = try await staff.post(path, json: body([contribution.id]))
            let anonymousList = try await client.anonymous.get(path)

            // check
            #expect(refused.status == .badRequest && refused.apiError?.field == "contributions")
            #expect(created.status == .created)
            let view = try created.decode(RecommendationView.self)
            #expect(view.contributions.map(\.contributionID) == [contribution.id] && view.publishedAt == nil)
            #expect(try anonymousList.decode(RecommendationList.self).items.isEmpty)
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.recommendation_citations") == 1)
        }
    }
}
