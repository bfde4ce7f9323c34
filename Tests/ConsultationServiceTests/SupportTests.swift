import ConsultationService
import DialogueContracts
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Supports of proposals: one per person even under parallel requests, withdrawn and given
/// again, counted exactly, and refused on one's own, a testimony, a withdrawn or unpublished
/// proposal, or after the closing.
@Suite struct SupportTests {
    @Test func parallelRequestsOfOnePersonLeaveOneSupportAndManyPeopleAreAllCounted() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let consultation = try await service.create(sampleConsultation())
            let proposed = try await service.submit(proposal(), to: consultation.id)
            try await service.publish(proposed)
            let eager = UUID()
            let others = (0..<30).map { _ in UUID() }
            let outcomes = try await withThrowingTaskGroup(of: SupportOutcome.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await service.rpc.request(SupportContribution(contributionID: proposed.id, accountID: eager)) }
                }
                for person in others {
                    group.addTask { try await service.rpc.request(SupportContribution(contributionID: proposed.id, accountID: person)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.count(where: \.changed) == 31)
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.contribution_supports WHERE contribution_id = \(proposed.id)") == 31)
            let listed = try await service.rpc.request(ListContributions(consultationID: consultation.id, viewerAccountID: eager))
            #expect(listed.items.first?.supportCount == 31)
            #expect(listed.items.first?.supportedByViewer == true)
            #expect(try await service.outbox(ContributionSupported.messageType).count == 31)
            // The count is spread over slots, never one row for everyone.
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.contribution_support_counts WHERE contribution_id = \(proposed.id)") > 1)
        }
    }

    @Test func aSupportIsWithdrawnAndGivenAgain() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let consultation = try await service.create(sampleConsultation())
            let proposed = try await service.submit(proposal(), to: consultation.id)
            try await service.publish(proposed)
            let person = UUID()
            #expect(try await service.rpc.request(SupportContribution(contributionID: proposed.id, accountID: person)).supportCount == 1)
            let withdrawn = try await service.rpc.request(WithdrawSupport(contributionID: proposed.id, accountID: person))
            #expect(withdrawn == SupportOutcome(contributionID: proposed.id, supporting: false, changed: true, supportCount: 0))
            let again = try await service.rpc.request(WithdrawSupport(contributionID: proposed.id, accountID: person))
            #expect(again.changed == false)
            #expect(again.supportCount == 0)
            let viewer = try await service.rpc.request(ListContributions(consultationID: consultation.id, viewerAccountID: person))
            #expect(viewer.items.first?.supportedByViewer == false)
            let back = try await service.rpc.request(SupportContribution(contributionID: proposed.id, accountID: person))
            #expect(back == SupportOutcome(contributionID: proposed.id, supporting: true, changed: true, supportCount: 1))
            #expect(try await service.outbox(ContributionSupported.messageType).count == 2)
            #expect(try await service.outbox(ContributionSupportWithdrawn.messageType).count == 1)
        }
    }

    @Test func nobodySupportsTheirOwnATestimonyAWithdrawnAnUnpublishedOrAClosedOne() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let consultation = try await service.create(sampleConsultation())
            let author = UUID()
            let proposed = try await service.submit(proposal(), to: consultation.id, author: author)
            let unpublished = await refusal { try await service.rpc.request(SupportContribution(contributionID: proposed.id, accountID: UUID())) }
            #expect(unpublished?.code == .notFound)
            try await service.publish(proposed)

            let own = await refusal { try await service.rpc.request(SupportContribution(contributionID: proposed.id, accountID: author)) }
            #expect(own?.code == .conflict)
            #expect(own?.message.contains("votre propre proposition") == true)

            let told = try await service.submit(testimony(), to: consultation.id)
            try await service.publish(told)
            let testimonySupport = await refusal { try await service.rpc.request(SupportContribution(contributionID: told.id, accountID: UUID())) }
            #expect(testimonySupport?.field == "contribution")

            try await Probe.on(service.database) { probe in
                try await probe.execute("UPDATE consultations.contributions SET withdrawn_at = now(), withdrawal_reason = 'doublon' WHERE id = \(proposed.id)")
            }
            let withdrawn = await refusal { try await service.rpc.request(SupportContribution(contributionID: proposed.id, accountID: UUID())) }
            #expect(withdrawn?.message.contains("retiré") == true)

            let ended = try await service.create(sampleConsultation(
                opensAt: Date(timeIntervalSinceNow: -86_400), closesAt: Date(timeIntervalSinceNow: 5)
            ))
            let late = try await service.submit(proposal(), to: ended.id)
            try await service.publish(late)
            try await Task.sleep(for: .seconds(5))
            let closed = await refusal { try await service.rpc.request(SupportContribution(contributionID: late.id, accountID: UUID())) }
            #expect(closed?.message.contains("close") == true)
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.contribution_supports") == 0)
        }
    }
}
