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

/// While a citizen writes a proposal, the closest published contributions are shown — with the
/// « vérifier les contributions similaires » button, and at the first sending — each with
/// « soutenir plutôt celle-ci »; nothing typed is lost and nothing is stored until they send again.
@Suite struct SimilarContributionPagesTests {
    @Test func aProposalsFirstSendingShowsTheClosestOnesThenTheSecondGoesThrough() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup: a published proposal on the same subject
            let (consultation, existing) = try await ContributionAnswerPagesTests.publishedProposal(stack, probe: probe, title: "Un guichet unique pour les aides")
            let id = consultation.id.uuidString.lowercased()
            let path = "/consultations/\(id)/contribuer"
            let web = try await ConsultationPagesTests.session(stack, client, try await stack.makeCitizen(displayName: "Inès"))
            let theme = ConsultationTheme.code(for: "Emploi associatif")
            let fields = [
                ("kind", "proposal"), ("theme", theme), ("title", "Un guichet pour toutes les aides"),
                ("text", "Un seul guichet régional pour les aides aux associations."), ("reasons", "Les bénévoles perdent des soirées en dossiers."),
            ]

            // act
            let checked = try await web.submit(path, [("kind", "proposal"), ("title", "Guichet unique"), ("action", "verifier")], from: path)
            let first = try await web.submit(path, fields, from: path)
            let storedAfterFirst = try await probe.int("SELECT count(*)::int8 FROM consultations.contributions")
            let second = try await web.submit(path, fields + [("similaires_vus", "1")], from: path)

            // check: the button shows them, even before the form is complete, with no error
            #expect(checked.status == .ok)
            #expect(checked.text.contains("Des contributions proches de la vôtre"))
            #expect(checked.text.contains("href=\"/contributions/\(existing.id.uuidString.lowercased())\""))
            #expect(!checked.text.contains("<title>Erreur"))
            #expect(checked.text.contains("value=\"Guichet unique\""))
            // the first sending shows them, keeps everything typed, stores nothing
            #expect(first.status == .ok)
            #expect(first.text.contains("Soutenir plutôt celle-ci"))
            #expect(first.text.contains("action=\"/contributions/\(existing.id.uuidString.lowercased())/soutien\""))
            #expect(first.text.contains("name=\"similaires_vus\" value=\"1\""))
            #expect(first.text.contains("value=\"Un guichet pour toutes les aides\""))
            #expect(first.text.contains("Les bénévoles perdent des soirées en dossiers."))
            #expect(storedAfterFirst == 1)
            // the second goes through
            #expect(second.status == .seeOther)
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.contributions") == 2)
        }
    }
}
