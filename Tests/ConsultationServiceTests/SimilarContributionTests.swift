import ConsultationService
import DialogueContracts
import Foundation
import ServiceKit
import Testing
import TestSupport

/// Suggestions while a proposal is written: the consultation's published contributions
/// sharing stemmed French words with the draft, the most relevant first; nothing unpublished,
/// withdrawn, or from another consultation.
@Suite struct SimilarContributionTests {
    private func draft(_ title: String, _ text: String) -> ContributionDraft {
        ContributionDraft(kind: .proposal, theme: seedThemes[0].code, title: title, text: text, reasons: "Pour que nos bénévoles gagnent du temps.")
    }

    @Test func theClosestPublishedContributionsComeFirst() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            // setup
            let consultation = try await service.create(sampleConsultation())
            let other = try await service.create(sampleConsultation(title: "Mobilités du quotidien"))
            let author = UUID()
            let closest = try await service.submit(
                draft("Un dossier unique pour les subventions", "Un seul dossier de subvention pour toutes nos associations de la région."),
                to: consultation.id
            )
            let partly = try await service.submit(draft("Des subventions versées plus tôt", "Verser nos aides avant l'été aux clubs sportifs."), to: consultation.id)
            let unrelated = try await service.submit(draft("Des bus le dimanche", "Faire rouler des cars régionaux le dimanche matin."), to: consultation.id)
            let unpublished = try await service.submit(draft("Un dossier unique de subventions", "Le même dossier pour toutes nos subventions."), to: consultation.id)
            let withdrawn = try await service.submit(
                draft("Dossier unique des subventions", "Un dossier unique pour nos subventions."), to: consultation.id, author: author
            )
            let elsewhere = try await service.submit(draft("Un dossier unique pour les subventions", "Un seul dossier de subvention."), to: other.id)
            for contribution in [closest, partly, unrelated, withdrawn, elsewhere] { try await service.publish(contribution) }
            _ = try await service.rpc.request(WithdrawContribution(contributionID: withdrawn.id, accountID: author, reason: "Doublon."))

            // act: the words are inflected differently from the stored texts. (« les » is no stop
            // word of PostgreSQL's French list: its stem « le » would match nearly every text, so
            // these texts avoid it.)
            let found = try await service.rpc.request(FindSimilarContributions(
                consultationID: consultation.id, title: "Dossiers uniques de subvention", text: "Nos associations remplissent trop de dossiers."
            ))
            let nothing = try await service.rpc.request(FindSimilarContributions(consultationID: consultation.id, title: "le la des", text: "de du"))

            // check
            #expect(found.items.map(\.id) == [closest.id, partly.id])
            #expect(!found.items.contains { [unrelated.id, unpublished.id, withdrawn.id, elsewhere.id].contains($0.id) })
            #expect(nothing.items.isEmpty)
        }
    }
}
