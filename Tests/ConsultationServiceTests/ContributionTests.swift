import ConsultationService
import DialogueContracts
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Citizens contribute: the consultation's dates (and extension), kinds, themes and the
/// lengths are enforced, a refusal stores nothing; a contribution goes to moderation under
/// its consultation's policy, and moderation's decisions are applied once, in order.
@Suite struct ContributionTests {
    @Test func contributionsAreTakenOnlyBetweenOpeningAndClosingTheExtensionIncluded() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let upcoming = try await service.create(sampleConsultation(
                opensAt: Date(timeIntervalSinceNow: 3_600), closesAt: Date(timeIntervalSinceNow: 86_400)
            ))
            let early = await refusal { try await service.submit(proposal(), to: upcoming.id) }
            #expect(early?.code == .conflict)
            #expect(early?.message.contains("pas encore ouverte") == true)

            let closed = try await service.create(sampleConsultation(
                opensAt: Date(timeIntervalSinceNow: -86_400), closesAt: Date(timeIntervalSinceNow: -60)
            ))
            let late = await refusal { try await service.submit(proposal(), to: closed.id) }
            #expect(late?.code == .conflict)
            #expect(late?.message.contains("close") == true)

            let extended = try await service.create(sampleConsultation(
                opensAt: Date(timeIntervalSinceNow: -86_400), closesAt: Date(timeIntervalSinceNow: -60), extendedUntil: Date(timeIntervalSinceNow: 86_400)
            ))
            #expect(extended.status == .open)
            let taken = try await service.submit(proposal(), to: extended.id)
            #expect(taken.state == .inModeration)

            let missing = await refusal { try await service.submit(proposal(), to: UUID()) }
            #expect(missing?.code == .notFound)
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.contributions") == 1)
        }
    }

    @Test func onlyTheKindsThemesAndLengthsTheConsultationAcceptsAreTaken() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let testimoniesOnly = try await service.create(sampleConsultation(accepted: .testimonies))
            let wrongKind = await refusal { try await service.submit(proposal(), to: testimoniesOnly.id) }
            #expect(wrongKind?.field == "kind")
            #expect(try await service.submit(testimony(), to: testimoniesOnly.id).kind == .testimony)

            let both = try await service.create(sampleConsultation())
            let unknownTheme = await refusal { try await service.submit(proposal(theme: "sante"), to: both.id) }
            #expect(unknownTheme?.field == "theme")
            #expect(try await service.submit(proposal(theme: ConsultationTheme.freeCode), to: both.id).theme == ConsultationTheme.freeCode)

            let emptyTitle = await refusal { try await service.submit(proposal(title: "  "), to: both.id) }
            #expect(emptyTitle?.field == "title")
            var tooLong = proposal()
            tooLong.text = String(repeating: "a", count: ContributionDraft.textLength.upperBound + 1)
            #expect(await refusal { try await service.submit(tooLong, to: both.id) }?.field == "text")
            let noReasons = ContributionDraft(kind: .proposal, theme: seedThemes[0].code, title: "Une idée", text: "Une idée assez longue pour compter.")
            #expect(await refusal { try await service.submit(noReasons, to: both.id) }?.field == "reasons")
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.contributions") == 2)
        }
    }

    @Test func aSubmissionGoesToModerationWithItsConsultationsPolicyAndItsFactsButNoAddress() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let before = try await service.create(sampleConsultation(moderation: .beforePublication))
            let after = try await service.create(sampleConsultation(moderation: .afterPublication))
            let proposed = try await service.submit(proposal(), to: before.id)
            let told = try await service.submit(testimony(), to: after.id)

            let proposals = try await service.outbox(ProposalSubmitted.messageType)
            let testimonies = try await service.outbox(TestimonySubmitted.messageType)
            #expect(proposals.count == 1)
            #expect(testimonies.count == 1)
            let proposalSubmission = try MessageCoding.decode(ProposalSubmitted.self, from: Array(proposals[0].utf8))
            #expect(proposalSubmission.content.contentID == proposed.id)
            #expect(proposalSubmission.content.moderationMode == "pre")
            #expect(proposalSubmission.content.consultationID == before.id)
            #expect(proposalSubmission.content.ownerService == .consultations)
            let testimonySubmission = try MessageCoding.decode(TestimonySubmitted.self, from: Array(testimonies[0].utf8))
            #expect(testimonySubmission.content.contentID == told.id)
            #expect(testimonySubmission.content.moderationMode == "post")

            let facts = try await service.outbox(ContributionReceived.messageType).map {
                try MessageCoding.decode(ContributionReceived.self, from: Array($0.utf8)).contribution
            }
            #expect(facts.count == 2)
            let proposalFacts = try #require(facts.first { $0.contributionID == proposed.id })
            #expect(proposalFacts.kind == .proposal)
            #expect(proposalFacts.theme == seedThemes[0].code)
            #expect(proposalFacts.themeLabel == seedThemes[0].label)
            #expect(proposalFacts.origin == .online)
            #expect(proposalFacts.authorDepartement == "02")
            #expect(proposalFacts.authorAgeBand == "25-34")
            #expect(proposalFacts.reasons == proposal().reasons)
            #expect(facts.first { $0.contributionID == told.id }?.commune == "Saint-Quentin")
            for body in try await service.outbox(ContributionReceived.messageType) { #expect(!body.contains("@")) }
        }
    }

    @Test func beforePublicationAContributionWaitsForTheModeratorAndIsPublishedOnce() async throws {
        let database = try await consultationDatabase(withModeration: true)
        try await withConsultationService(database, withModeration: true) { service in
            let consultation = try await service.create(sampleConsultation(moderation: .beforePublication))
            let contribution = try await service.submit(proposal(), to: consultation.id)
            // The worker places it in its queue, hidden (revision 1).
            try await eventually("the item in moderation's queue") {
                let queued = try await service.int("SELECT count(*)::int8 FROM moderation.items WHERE content_id = \(contribution.id) AND NOT visible")
                let applied = try await service.int("SELECT moderation_revision::int8 FROM consultations.contributions WHERE id = \(contribution.id)")
                return queued == 1 && applied == 1
            }
            #expect(try await service.rpc.request(ListContributions(consultationID: consultation.id)).items.isEmpty)
            let mine = try await service.rpc.request(ListContributions(
                consultationID: consultation.id, authorAccountID: try await authorOf(contribution.id, service)
            ))
            #expect(mine.items.map(\.state) == [.inModeration])

            let decision = ModerationDecisionMade(
                itemID: UUID(), contentType: .proposal, contentID: contribution.id, ownerService: .consultations, status: .retained, visible: true,
                reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: UUID(), rule: nil, decidedAt: Date(), revision: 2
            )
            try await publishEvent(decision, topology: service.topology)
            try await publishEvent(decision, topology: service.topology)
            try await eventually("the contribution published") {
                try await service.rpc.request(ListContributions(consultationID: consultation.id)).items.map(\.id) == [contribution.id]
            }
            let shown = try await service.rpc.request(ListContributions(consultationID: consultation.id)).items[0]
            #expect(shown.moderationStatus == .retained)
            #expect(try await service.rpc.request(GetConsultation(consultationID: consultation.id)).proposalCount == 1)
            // An older decision arriving late changes nothing.
            var stale = decision
            stale.revision = 1
            stale.visible = false
            stale.status = .pending
            try await publishEvent(stale, topology: service.topology)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await service.rpc.request(ListContributions(consultationID: consultation.id)).items.count == 1)
            #expect(try await service.outbox(ContributionPublished.messageType).count == 1)
        }
    }

    @Test func afterPublicationAContributionIsShownWithoutWaitingForAModerator() async throws {
        let database = try await consultationDatabase(withModeration: true)
        try await withConsultationService(database, withModeration: true) { service in
            let consultation = try await service.create(sampleConsultation(moderation: .afterPublication))
            let contribution = try await service.submit(testimony(), to: consultation.id)
            try await eventually("the contribution shown") {
                try await service.rpc.request(ListContributions(consultationID: consultation.id)).items.map(\.id) == [contribution.id]
            }
            // Still in moderation's queue, for a moderator to read afterwards.
            #expect(try await service.int("SELECT count(*)::int8 FROM moderation.items WHERE content_id = \(contribution.id) AND status = 'pending'") == 1)
            try await eventually("published once") { try await service.outbox(ContributionPublished.messageType).count == 1 }
            let published = try MessageCoding.decode(
                ContributionPublished.self, from: Array(try await service.outbox(ContributionPublished.messageType)[0].utf8)
            )
            #expect(published.contribution.kind == .testimony)
            #expect(published.contribution.text == testimony().text)
        }
    }

    private func authorOf(_ contribution: UUID, _ service: ConsultationHarness) async throws -> UUID {
        let text = try await service.texts("SELECT author_account_id::text FROM consultations.contributions WHERE id = \(contribution)")
        return try #require(text.first.flatMap { $0 }.flatMap(UUID.init(uuidString:)))
    }
}
