import ConsultationService
import DialogueContracts
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Accountability (*redevabilité*): staff say what became of contributions; each change is
/// audited and announced once, to the author and the current supporters; a reason is required
/// to say « non retenue » and a link to say « intégrée à un rapport »; lists filter on it and
/// the balance sheet's figures are the data's.
@Suite struct AccountabilityTests {
    private func answer(
        _ ids: [UUID], in consultation: UUID, _ status: ContributionAnswerStatus, text: String? = nil, reason: String? = nil, report: String? = nil
    ) -> AnswerContributions {
        AnswerContributions(
            consultationID: consultation, contributionIDs: ids,
            answer: ContributionAnswer(status: status, text: text, reason: reason, reportURL: report), staffID: staff.id, staffName: staff.name
        )
    }

    @Test func eachChangeIsAnnouncedOnceToTheAuthorAndTheCurrentSupporters() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            // setup: a published proposal, two supporters, a third who withdrew
            let consultation = try await service.create(sampleConsultation())
            let author = UUID()
            let proposed = try await service.submit(proposal(), to: consultation.id, author: author)
            try await service.publish(proposed)
            let (first, second, gone) = (UUID(), UUID(), UUID())
            for person in [first, second, gone] {
                _ = try await service.rpc.request(SupportContribution(contributionID: proposed.id, accountID: person))
            }
            _ = try await service.rpc.request(WithdrawSupport(contributionID: proposed.id, accountID: gone))

            // act: retained, the same again, then under study
            let retained = try await service.rpc.request(answer([proposed.id], in: consultation.id, .retained, text: "Reprise dans l'avis."))
            let again = try await service.rpc.request(answer([proposed.id], in: consultation.id, .retained, text: "Reprise dans l'avis."))
            let studied = try await service.rpc.request(answer([proposed.id], in: consultation.id, .underStudy))

            // check
            #expect(retained == AnswerOutcome(changed: [proposed.id], unchanged: []))
            #expect(again == AnswerOutcome(changed: [], unchanged: [proposed.id]))
            #expect(studied.changed == [proposed.id])
            let events = try await service.outbox(ContributionStatusChanged.messageType).map {
                try MessageCoding.decode(ContributionStatusChanged.self, from: Array($0.utf8))
            }
            #expect(events.count == 2)
            let announced = try #require(events.first)
            #expect(announced.authorAccountID == author)
            #expect(Set(announced.supporterAccountIDs) == [first, second])
            #expect(announced.from == .received)
            #expect(announced.answer.status == .retained)
            #expect(announced.answer.text == "Reprise dans l'avis.")
            #expect(events.last?.from == .retained)
            #expect(events.last?.answer.status == .underStudy)
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.staff_audit WHERE action = 'contribution.answered'") == 2)
            // The page shows the latest answer.
            let shown = try await service.rpc.request(GetContribution(contributionID: proposed.id, viewerAccountID: first))
            #expect(shown.answer?.status == .underStudy)
            #expect(shown.answer?.answeredAt != nil)
            #expect(shown.supportedByViewer)
        }
    }

    @Test func notRetainedNeedsAReasonAndInReportALinkAndARefusalStoresNothing() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let consultation = try await service.create(sampleConsultation())
            let proposed = try await service.submit(proposal(), to: consultation.id)
            try await service.publish(proposed)

            let noReason = await refusal { try await service.rpc.request(answer([proposed.id], in: consultation.id, .notRetained, reason: "  ")) }
            let noLink = await refusal { try await service.rpc.request(answer([proposed.id], in: consultation.id, .inReport)) }
            let badLink = await refusal {
                try await service.rpc.request(answer([proposed.id], in: consultation.id, .inReport, report: "javascript:alert(1)"))
            }
            let none = await refusal { try await service.rpc.request(answer([], in: consultation.id, .retained)) }

            #expect(noReason?.field == "reason")
            #expect(noReason?.message.contains("obligatoire") == true)
            #expect(noLink?.field == "report_url")
            #expect(badLink?.field == "report_url")
            #expect(none?.field == "contributions")
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.contributions WHERE answer IS NOT NULL") == 0)
            #expect(try await service.outbox(ContributionStatusChanged.messageType).isEmpty)

            // With its reason, it is stored and the reason travels with the event.
            _ = try await service.rpc.request(answer([proposed.id], in: consultation.id, .notRetained, reason: "Hors des compétences de la Région."))
            let event = try #require(try await service.outbox(ContributionStatusChanged.messageType).first)
            #expect(event.contains("Hors des comp"))
        }
    }

    @Test func aSelectionWithAnotherConsultationsOrAWithdrawnContributionChangesNothing() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let consultation = try await service.create(sampleConsultation())
            let other = try await service.create(sampleConsultation(title: "Mobilités du quotidien"))
            let author = UUID()
            let mine = try await service.submit(proposal(), to: consultation.id, author: author)
            let elsewhere = try await service.submit(proposal(), to: other.id)
            let withdrawn = try await service.submit(testimony(), to: consultation.id, author: author)
            _ = try await service.rpc.request(WithdrawContribution(contributionID: withdrawn.id, accountID: author, reason: "Je me suis trompée."))

            let foreign = await refusal { try await service.rpc.request(answer([mine.id, elsewhere.id], in: consultation.id, .retained)) }
            let gone = await refusal { try await service.rpc.request(answer([mine.id, withdrawn.id], in: consultation.id, .retained)) }

            #expect(foreign?.code == .notFound)
            #expect(foreign?.field == "contributions")
            #expect(gone?.code == .conflict)
            #expect(gone?.field == "contributions")
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.contributions WHERE answer_status <> 'received'") == 0)
            #expect(try await service.outbox(ContributionStatusChanged.messageType).isEmpty)
        }
    }

    @Test func listsFilterOnTheAnswerAndTheBalanceSheetEqualsTheData() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            // setup: 3 proposals and 2 testimonies on two themes; one proposal never published, one testimony withdrawn
            let consultation = try await service.create(sampleConsultation())
            let (simplification, benevolat) = (seedThemes[0].code, seedThemes[1].code)
            let author = UUID()
            let kept = try await service.submit(proposal(theme: simplification, title: "Un guichet unique"), to: consultation.id)
            let reported = try await service.submit(proposal(theme: simplification, title: "Un dossier en ligne"), to: consultation.id)
            let unpublished = try await service.submit(proposal(theme: benevolat, title: "Un congé bénévole"), to: consultation.id)
            let told = try await service.submit(testimony(theme: benevolat), to: consultation.id)
            let withdrawn = try await service.submit(testimony(theme: benevolat), to: consultation.id, author: author)
            for contribution in [kept, reported, told, withdrawn] { try await service.publish(contribution) }
            _ = try await service.rpc.request(WithdrawContribution(contributionID: withdrawn.id, accountID: author, reason: "Doublon du mien."))

            _ = try await service.rpc.request(answer([kept.id, unpublished.id], in: consultation.id, .retained))
            _ = try await service.rpc.request(answer([reported.id], in: consultation.id, .inReport, report: "https://ceser.hautsdefrance.fr/avis-2026.pdf"))
            _ = try await service.rpc.request(answer([told.id], in: consultation.id, .received, text: "Merci, votre témoignage est lu en commission."))

            // act
            let retainedList = try await service.rpc.request(ListContributions(consultationID: consultation.id, answerStatus: .retained))
            let receivedList = try await service.rpc.request(ListContributions(consultationID: consultation.id, answerStatus: .received))
            let sheet = try await service.rpc.request(GetBalanceSheet(consultationID: consultation.id))

            // check: lists show published ones only, by their answer
            #expect(retainedList.items.map(\.id) == [kept.id])
            #expect(receivedList.items.map(\.id) == [told.id])
            #expect(receivedList.items.first?.answer?.text == "Merci, votre témoignage est lu en commission.")
            // the sheet: 4 collected (the withdrawn one aside), 3 published, 4 answered, 3 retained (the report's included)
            #expect(sheet.total == .init(collected: 4, published: 3, answered: 4, retained: 3))
            #expect(sheet.proposals == .init(collected: 3, published: 2, answered: 3, retained: 3))
            #expect(sheet.testimonies == .init(collected: 1, published: 1, answered: 1, retained: 0))
            #expect(sheet.online.collected == 4)
            #expect(sheet.inPerson.collected == 0)
            #expect(sheet.themes.count == seedThemes.count)
            #expect(sheet.themes.first { $0.theme == simplification }?.figures == .init(collected: 2, published: 2, answered: 2, retained: 2))
            #expect(sheet.themes.first { $0.theme == benevolat }?.figures == .init(collected: 2, published: 1, answered: 2, retained: 1))
            #expect(sheet.statuses.first { $0.status == .retained }?.count == 2)
            #expect(sheet.statuses.first { $0.status == .inReport }?.count == 1)
            #expect(sheet.statuses.first { $0.status == .received }?.count == 1)
            #expect(sheet.reports == [.init(contributionID: reported.id, title: "Un dossier en ligne", reportURL: "https://ceser.hautsdefrance.fr/avis-2026.pdf")])
            let median = try #require(sheet.medianDaysToAnswer)
            #expect(median >= 0 && median < 1)
        }
    }

    @Test func onlyAPublishedContributionHasAPublicPage() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let consultation = try await service.create(sampleConsultation())
            let proposed = try await service.submit(proposal(), to: consultation.id)

            let before = await refusal { try await service.rpc.request(GetContribution(contributionID: proposed.id)) }
            try await service.publish(proposed)
            let after = try await service.rpc.request(GetContribution(contributionID: proposed.id))

            #expect(before?.code == .notFound)
            #expect(after.id == proposed.id)
            #expect(after.answer == nil)
            #expect(after.supportedByViewer == false)
        }
    }
}
