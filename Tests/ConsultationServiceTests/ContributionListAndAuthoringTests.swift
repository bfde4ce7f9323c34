import ConsultationService
import DialogueContracts
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Lists by theme, kind and moderation's say, sorted by supports, newest, or in a random order
/// stable per visitor; and what an author may do to their own contribution, and nobody else.
@Suite struct ContributionListAndAuthoringTests {
    @Test func theRandomOrderIsStableForOneVisitorAndDiffersBetweenVisitors() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let consultation = try await service.create(sampleConsultation())
            for index in 0..<24 {
                let contribution = try await service.submit(proposal(title: "Proposition numéro \(index)"), to: consultation.id)
                try await service.publish(contribution)
            }
            func page(_ seed: String, offset: Int = 0, limit: Int = 24) async throws -> [UUID] {
                try await service.rpc.request(ListContributions(
                    consultationID: consultation.id, order: .random, randomSeed: seed, limit: limit, offset: offset
                )).items.map(\.id)
            }
            let first = try await page("visiteur-a")
            #expect(first.count == 24)
            #expect(try await page("visiteur-a") == first)
            // Pages of the same order follow each other without repeating.
            #expect(try await page("visiteur-a", limit: 10) + page("visiteur-a", offset: 10, limit: 14) == first)
            let other = try await page("visiteur-b")
            #expect(Set(other) == Set(first))
            #expect(other != first)
            let newest = try await service.rpc.request(ListContributions(consultationID: consultation.id, order: .newest, limit: 24)).items.map(\.id)
            #expect(first != newest)
        }
    }

    @Test func listsFilterByThemeKindAndModerationAndSortBySupports() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let consultation = try await service.create(sampleConsultation())
            let popular = try await service.submit(proposal(theme: seedThemes[0].code, title: "Populaire"), to: consultation.id)
            let quiet = try await service.submit(proposal(theme: seedThemes[0].code, title: "Discrète"), to: consultation.id)
            let told = try await service.submit(testimony(theme: seedThemes[1].code), to: consultation.id)
            for contribution in [popular, quiet, told] { try await service.publish(contribution) }
            for _ in 0..<3 { _ = try await service.rpc.request(SupportContribution(contributionID: popular.id, accountID: UUID())) }
            _ = try await service.rpc.request(SupportContribution(contributionID: quiet.id, accountID: UUID()))

            let bySupports = try await service.rpc.request(ListContributions(consultationID: consultation.id, order: .supports))
            #expect(bySupports.items.map(\.id) == [popular.id, quiet.id, told.id])
            #expect(bySupports.items.map(\.supportCount) == [3, 1, 0])
            let newest = try await service.rpc.request(ListContributions(consultationID: consultation.id, order: .newest))
            #expect(newest.items.map(\.id) == [told.id, quiet.id, popular.id])
            let theme = try await service.rpc.request(ListContributions(consultationID: consultation.id, theme: seedThemes[1].code))
            #expect(theme.items.map(\.id) == [told.id])
            let proposals = try await service.rpc.request(ListContributions(consultationID: consultation.id, kind: .proposal))
            #expect(Set(proposals.items.map(\.id)) == [popular.id, quiet.id])
            #expect(proposals.total == 2)
            let paged = try await service.rpc.request(ListContributions(consultationID: consultation.id, order: .supports, limit: 1, offset: 1))
            #expect(paged.items.map(\.id) == [quiet.id])
            #expect(paged.total == 3)
            try await service.publish(popular, revision: 9)
            let decision = ModerationDecisionMade(
                itemID: UUID(), contentType: .proposal, contentID: quiet.id, ownerService: .consultations, status: .retained, visible: true,
                reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: UUID(), rule: nil, decidedAt: Date(), revision: 10
            )
            try await publishEvent(decision, topology: service.topology)
            try await eventually("retained") {
                try await service.rpc.request(ListContributions(consultationID: consultation.id, moderationStatus: .retained)).items.map(\.id) == [quiet.id]
            }
        }
    }

    @Test func anAuthorEditsUntilTheFirstSupportAndTheEditGoesBackToModeration() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let consultation = try await service.create(sampleConsultation(moderation: .beforePublication))
            let author = UUID()
            let contribution = try await service.submit(proposal(), to: consultation.id, author: author)
            try await service.publish(contribution)
            var changed = proposal(title: "Un guichet unique, en ligne")
            changed.theme = seedThemes[2].code

            let stranger = await refusal {
                try await service.rpc.request(EditContribution(contributionID: contribution.id, accountID: UUID(), draft: changed))
            }
            #expect(stranger?.code == .notFound)

            let edited = try await service.rpc.request(EditContribution(contributionID: contribution.id, accountID: author, draft: changed))
            #expect(edited.title == "Un guichet unique, en ligne")
            #expect(edited.theme == seedThemes[2].code)
            #expect(edited.state == .inModeration)
            #expect(try await service.outbox(ProposalSubmitted.messageType).count == 2)
            #expect(try await service.rpc.request(ListContributions(consultationID: consultation.id)).items.isEmpty)

            try await service.publish(contribution, revision: 9)
            _ = try await service.rpc.request(SupportContribution(contributionID: contribution.id, accountID: UUID()))
            let locked = await refusal {
                try await service.rpc.request(EditContribution(contributionID: contribution.id, accountID: author, draft: proposal()))
            }
            #expect(locked?.code == .conflict)
            #expect(locked?.message.contains("soutenu") == true)
        }
    }

    @Test func anAuthorWithdrawsWithAReasonAndNobodyElseCan() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let consultation = try await service.create(sampleConsultation())
            let author = UUID()
            let contribution = try await service.submit(proposal(), to: consultation.id, author: author)
            try await service.publish(contribution)
            let stranger = await refusal {
                try await service.rpc.request(WithdrawContribution(contributionID: contribution.id, accountID: UUID(), reason: "Pas d'accord"))
            }
            #expect(stranger?.code == .notFound)
            let noReason = await refusal {
                try await service.rpc.request(WithdrawContribution(contributionID: contribution.id, accountID: author, reason: " "))
            }
            #expect(noReason?.field == "reason")
            #expect(try await service.rpc.request(ListContributions(consultationID: consultation.id)).items.count == 1)

            let withdrawn = try await service.rpc.request(WithdrawContribution(contributionID: contribution.id, accountID: author, reason: "Doublon"))
            #expect(withdrawn.state == .withdrawn)
            #expect(withdrawn.withdrawalReason == "Doublon")
            #expect(try await service.rpc.request(ListContributions(consultationID: consultation.id)).items.isEmpty)
            let mine = try await service.rpc.request(ListContributions(consultationID: consultation.id, authorAccountID: author))
            #expect(mine.items.map(\.state) == [.withdrawn])
            let edit = await refusal {
                try await service.rpc.request(EditContribution(contributionID: contribution.id, accountID: author, draft: proposal()))
            }
            #expect(edit?.code == .conflict)
        }
    }
}
