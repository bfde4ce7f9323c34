import ConsultationService
import DialogueContracts
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Staff write consultations: every rule checked, every change audited, the status read from
/// the dates, the list open first, and the opening announced once.
@Suite struct ConsultationRequestTests {
    @Test func aConsultationIsCheckedThenStoredWithItsAudit() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            var noUse = sampleConsultation()
            noUse.use = ""
            let refusedUse = await refusal { try await service.create(noUse) }
            #expect(refusedUse?.field == "use")
            #expect(refusedUse?.code == .invalid)

            let backwards = sampleConsultation(opensAt: Date(timeIntervalSinceNow: 86_400), closesAt: Date(timeIntervalSinceNow: 3_600))
            #expect(await refusal { try await service.create(backwards) }?.field == "closes_at")
            let shortExtension = sampleConsultation(closesAt: Date(timeIntervalSinceNow: 86_400), extendedUntil: Date(timeIntervalSinceNow: 3_600))
            #expect(await refusal { try await service.create(shortExtension) }?.field == "extended_until")
            var noTheme = sampleConsultation()
            noTheme.themes = [ConsultationTheme(code: ConsultationTheme.freeCode, label: "")]
            #expect(await refusal { try await service.create(noTheme) }?.field == "themes")
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.consultations") == 0)

            let created = try await service.create(sampleConsultation())
            #expect(created.status == .open)
            #expect(created.definition.themes.count == 7)
            #expect(created.definition.themes.last?.isFree == true)
            #expect(try await service.rpc.request(GetConsultation(consultationID: created.id)) == created)
            let audit = try await service.texts(
                "SELECT action || ' ' || staff_name || ' ' || object_id FROM consultations.staff_audit ORDER BY id"
            )
            #expect(audit == ["consultation.created \(staff.name) \(created.id.uuidString.lowercased())"])
        }
    }

    @Test func theStatusFollowsTheDatesTheExtensionAndTheResults() async throws {
        let definition = sampleConsultation(opensAt: Date(timeIntervalSince1970: 1_000_000), closesAt: Date(timeIntervalSince1970: 2_000_000))
        #expect(definition.status(at: Date(timeIntervalSince1970: 999_999)) == .upcoming)
        #expect(definition.status(at: Date(timeIntervalSince1970: 1_000_000)) == .open)
        #expect(definition.status(at: Date(timeIntervalSince1970: 2_000_000)) == .closed)
        var extended = definition
        extended.extendedUntil = Date(timeIntervalSince1970: 3_000_000)
        #expect(extended.status(at: Date(timeIntervalSince1970: 2_500_000)) == .open)
        #expect(extended.status(at: Date(timeIntervalSince1970: 3_000_000)) == .closed)
        extended.resultsPublished = true
        #expect(extended.status(at: Date(timeIntervalSince1970: 2_500_000)) == .resultsPublished)
    }

    @Test func theListShowsOpenConsultationsFirst() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let closed = try await service.create(sampleConsultation(
                title: "Close", opensAt: Date(timeIntervalSinceNow: -20 * 86_400), closesAt: Date(timeIntervalSinceNow: -86_400)
            ))
            let upcoming = try await service.create(sampleConsultation(
                title: "À venir", opensAt: Date(timeIntervalSinceNow: 86_400), closesAt: Date(timeIntervalSinceNow: 20 * 86_400)
            ))
            let openLater = try await service.create(sampleConsultation(title: "Ouverte longtemps", closesAt: Date(timeIntervalSinceNow: 40 * 86_400)))
            let openSoon = try await service.create(sampleConsultation(title: "Ouverte, bientôt close", closesAt: Date(timeIntervalSinceNow: 2 * 86_400)))
            let list = try await service.rpc.request(ListConsultations())
            #expect(list.items.map(\.id) == [openSoon.id, openLater.id, upcoming.id, closed.id])
            #expect(list.items.map(\.status) == [.open, .open, .upcoming, .closed])
            #expect(list.total == 4)
        }
    }

    @Test func anUpdateFromAnOlderRevisionOrDroppingAThemeWithContributionsIsRefused() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let created = try await service.create(sampleConsultation())
            _ = try await service.submit(proposal(theme: seedThemes[0].code), to: created.id)
            var changed = created.definition
            changed.extendedUntil = changed.closesAt.addingTimeInterval(86_400 * 30)
            let updated = try await service.rpc.request(UpdateConsultation(
                consultationID: created.id, revision: created.revision, definition: changed, staffID: staff.id, staffName: staff.name
            ))
            #expect(updated.revision == created.revision + 1)
            #expect(updated.definition.extendedUntil != nil)

            let stale = await refusal {
                try await service.rpc.request(UpdateConsultation(
                    consultationID: created.id, revision: created.revision, definition: changed, staffID: staff.id, staffName: staff.name
                ))
            }
            #expect(stale?.code == .conflict)
            #expect(stale?.field == "revision")

            var dropped = updated.definition
            dropped.themes.removeFirst()
            let refused = await refusal {
                try await service.rpc.request(UpdateConsultation(
                    consultationID: created.id, revision: updated.revision, definition: dropped, staffID: staff.id, staffName: staff.name
                ))
            }
            #expect(refused?.field == "themes")
            // A theme without contributions may go.
            var droppedUnused = updated.definition
            droppedUnused.themes.remove(at: 2)
            let kept = try await service.rpc.request(UpdateConsultation(
                consultationID: created.id, revision: updated.revision, definition: droppedUnused, staffID: staff.id, staffName: staff.name
            ))
            #expect(kept.definition.themes.count == 6)
            #expect(try await service.texts("SELECT action FROM consultations.staff_audit ORDER BY id") == [
                "consultation.created", "consultation.updated", "consultation.updated",
            ])
        }
    }

    @Test func theOpeningIsAnnouncedOnceAndOnlyOnceTheDateHasCome() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let open = try await service.create(sampleConsultation())
            let upcoming = try await service.create(sampleConsultation(
                title: "Plus tard", opensAt: Date(timeIntervalSinceNow: 86_400), closesAt: Date(timeIntervalSinceNow: 20 * 86_400)
            ))
            try await eventually("the opening announced") { try await service.outbox(ConsultationOpened.messageType).count == 1 }
            // The job runs every 200 ms: several more runs announce nothing more.
            try await Task.sleep(for: .seconds(1))
            let bodies = try await service.outbox(ConsultationOpened.messageType)
            #expect(bodies.count == 1)
            #expect(bodies.first?.lowercased().contains(open.id.uuidString.lowercased()) == true)
            #expect(bodies.first?.lowercased().contains(upcoming.id.uuidString.lowercased()) == false)
        }
    }
}
