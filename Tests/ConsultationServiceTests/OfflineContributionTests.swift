import ConsultationService
import DialogueContracts
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Contributions gathered in person: recorded all or none, published at once with their
/// origin (never sent to moderation), counted by origin; supports counted on paper apart.
@Suite struct OfflineContributionTests {
    static let origin = OfflineOrigin(place: "Salle des fêtes d'Hirson", collectedOn: "2026-03-14", session: "Forum des associations", channel: .workshop)

    private func record(_ entries: [OfflineContributionEntry], in consultation: UUID) -> RecordOfflineContributions {
        RecordOfflineContributions(consultationID: consultation, entries: entries, staffID: staff.id, staffName: staff.name)
    }

    @Test func aValidBatchIsStoredWholePublishedWithItsOriginAndCountedInPerson() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            // setup: one online contribution beside
            let consultation = try await service.create(sampleConsultation())
            _ = try await service.submit(testimony(), to: consultation.id)
            let entries = [
                OfflineContributionEntry(draft: proposal(), authorName: "Jeanne", origin: Self.origin),
                OfflineContributionEntry(draft: testimony(), authorName: "  ", origin: Self.origin),
                OfflineContributionEntry(draft: proposal(theme: seedThemes[2].code, title: "Des locaux partagés"), authorName: nil, origin: Self.origin),
            ]

            // act
            let recorded = try await service.rpc.request(record(entries, in: consultation.id))

            // check: stored, shown at once, with their origin
            #expect(recorded.items.count == 3)
            #expect(recorded.items.allSatisfy { $0.state == .published && $0.collected == Self.origin })
            #expect(recorded.items.map(\.authorName) == ["Jeanne", nil, nil])
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.contributions WHERE origin = 'in_person' AND visible") == 3)
            let listed = try await service.rpc.request(ListContributions(consultationID: consultation.id, limit: 20))
            #expect(listed.total == 3)
            #expect(listed.items.allSatisfy { $0.collected == Self.origin })
            let page = try await service.rpc.request(GetContribution(contributionID: recorded.items[0].id, viewerAccountID: nil))
            #expect(page.collected?.session == "Forum des associations")
            // never sent to moderation, announced to the synthesis as in person, audited once
            #expect(try await service.outbox(ProposalSubmitted.messageType).isEmpty)
            let published = try await service.outbox(ContributionPublished.messageType).map {
                try MessageCoding.decode(ContributionPublished.self, from: Array($0.utf8))
            }
            #expect(published.count == 3 && published.allSatisfy { $0.contribution.origin == .inPerson })
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.staff_audit WHERE action = 'contribution.offline_recorded'") == 1)
            // counted by origin
            let sheet = try await service.rpc.request(GetBalanceSheet(consultationID: consultation.id))
            #expect(sheet.inPerson.collected == 3)
            #expect(sheet.inPerson.published == 3)
            #expect(sheet.online.collected == 1)
        }
    }

    @Test func oneBadEntryStoresNothingAndNamesItsEntryAndField() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let consultation = try await service.create(sampleConsultation(accepted: .proposals))
            let good = OfflineContributionEntry(draft: proposal(), authorName: nil, origin: Self.origin)

            // act: an unknown theme second, a short title third, a testimony where only proposals go, a day in the future
            let unknownTheme = await refusal {
                try await service.rpc.request(record([good, OfflineContributionEntry(draft: proposal(theme: "inconnue"), authorName: nil, origin: Self.origin)], in: consultation.id))
            }
            let shortTitle = await refusal {
                try await service.rpc.request(record([good, good, OfflineContributionEntry(draft: proposal(title: "Ab"), authorName: nil, origin: Self.origin)], in: consultation.id))
            }
            let wrongKind = await refusal {
                try await service.rpc.request(record([OfflineContributionEntry(draft: testimony(), authorName: nil, origin: Self.origin)], in: consultation.id))
            }
            let future = OfflineOrigin(place: "Lille", collectedOn: "2099-01-01", session: "Atelier", channel: .inSitu)
            let futureDay = await refusal {
                try await service.rpc.request(record([OfflineContributionEntry(draft: proposal(), authorName: nil, origin: future)], in: consultation.id))
            }

            // check: nothing stored, each refusal names its entry and field
            #expect(unknownTheme?.field == "entries[1].theme")
            #expect(unknownTheme?.message.hasPrefix("Contribution n° 2 :") == true)
            #expect(shortTitle?.field == "entries[2].title")
            #expect(wrongKind?.field == "entries[0].kind")
            #expect(futureDay?.field == "entries[0].collected_on")
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.contributions") == 0)
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.outbox WHERE message_type = 'contribution.published'") == 0)
        }
    }

    @Test func paperSupportsAreCountedApartFromOnlineOnes() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            // setup: a published proposal supported once online, a published testimony
            let consultation = try await service.create(sampleConsultation())
            let proposed = try await service.submit(proposal(), to: consultation.id)
            try await service.publish(proposed)
            _ = try await service.rpc.request(SupportContribution(contributionID: proposed.id, accountID: UUID()))
            let told = try await service.rpc.request(record([OfflineContributionEntry(draft: testimony(), authorName: nil, origin: Self.origin)], in: consultation.id))
            func paper(_ id: UUID, _ count: Int, on day: Date = Date(), place: String = "Marché de Laon") -> RecordPaperSupports {
                RecordPaperSupports(contributionID: id, count: count, collectedOn: day, place: place, staffID: staff.id, staffName: staff.name)
            }

            // act
            let first = try await service.rpc.request(paper(proposed.id, 30))
            let second = try await service.rpc.request(paper(proposed.id, 12))
            let none = await refusal { try await service.rpc.request(paper(proposed.id, 0)) }
            let noPlace = await refusal { try await service.rpc.request(paper(proposed.id, 5, place: " ")) }
            let future = await refusal { try await service.rpc.request(paper(proposed.id, 5, on: Date(timeIntervalSinceNow: 5 * 86_400))) }
            let onTestimony = await refusal { try await service.rpc.request(paper(told.items[0].id, 5)) }

            // check: the online count untouched, the paper one apart
            #expect(first.paperSupportCount == 30)
            #expect(second.paperSupportCount == 42)
            let shown = try await service.rpc.request(GetContribution(contributionID: proposed.id, viewerAccountID: nil))
            #expect(shown.supportCount == 1)
            #expect(shown.paperSupportCount == 42)
            #expect(none?.field == "count")
            #expect(none?.message == "Le nombre de soutiens va de 1 à 100 000.")
            #expect(noPlace?.field == "place")
            #expect(future?.field == "collected_on")
            #expect(onTestimony?.code == .conflict)
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.contribution_paper_supports") == 2)
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.staff_audit WHERE action = 'contribution.paper_supports_recorded'") == 2)
            // sorted by supports, paper ones count
            let sorted = try await service.rpc.request(ListContributions(consultationID: consultation.id, order: .supports, limit: 20))
            #expect(sorted.items.first?.id == proposed.id)
        }
    }
}
