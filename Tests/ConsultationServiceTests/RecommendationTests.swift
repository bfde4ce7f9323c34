import ConsultationService
import DialogueContracts
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The orientation report of a process over RPC, against the real service, database and
/// broker: a recommendation cites only published contributions of its own process's
/// consultations (a refusal stores nothing); once published it and its contributions link to
/// each other; its people are told once at publication, at the decision and as milestones
/// move; a fate other than a plain adoption needs a reason.
@Suite struct RecommendationTests {
    /// A process whose first phase holds `consultation`.
    static func process(holding consultation: UUID, title: String, on service: ConsultationHarness) async throws -> ProcessView {
        let draft = ProcessHarness.draft(title: title, phases: [
            ProcessPhaseDraft(kind: .callForContributions, startsOn: ProcessHarness.day(-20), endsOn: ProcessHarness.day(-5), consultationID: consultation),
            ProcessPhaseDraft(kind: .orientationReport, startsOn: ProcessHarness.day(-4), endsOn: ProcessHarness.day(30)),
        ])
        return try await service.rpc.request(CreateProcess(draft: draft, staffID: staff.id, staffName: staff.name))
    }

    /// A published proposal of `consultation` by `author`.
    static func published(
        _ title: String, in consultation: UUID, author: UUID = UUID(), on service: ConsultationHarness
    ) async throws -> ContributionView {
        let contribution = try await service.submit(proposal(title: title), to: consultation, author: author)
        try await service.publish(contribution)
        return contribution
    }

    static func write(
        _ number: Int, citing contributions: [UUID], in process: UUID, title: String = "Un guichet unique des aides aux associations"
    ) -> WriteRecommendation {
        WriteRecommendation(
            processID: process,
            draft: RecommendationDraft(
                number: number, title: title, text: "Le Département ouvre un guichet unique pour les aides aux associations.",
                contributionIDs: contributions
            ),
            staffID: staff.id, staffName: staff.name
        )
    }

    static func decide(_ id: UUID, _ fate: RecommendationFate, _ reason: String? = nil) -> DecideRecommendation {
        DecideRecommendation(recommendationID: id, fate: fate, reason: reason, staffID: staff.id, staffName: staff.name)
    }

    /// How the service refuses a decision, or nil when it takes it. (No closure here: the
    /// Swift 6.3.1 compiler crashed on this test's closures, in its SendNonSendable pass.)
    static func decisionRefusal(of decision: DecideRecommendation, on service: ConsultationHarness) async -> RequestFailure? {
        do {
            _ = try await service.rpc.request(decision)
            return nil
        } catch {
            return error as? RequestFailure
        }
    }

    func events<Event: DialogueEvent>(_: Event.Type, _ service: ConsultationHarness) async throws -> [Event] {
        try await service.outbox(Event.messageType).map { try MessageCoding.decode(Event.self, from: Array($0.utf8)) }
    }

    @Test func aContributionOfAnotherProcessIsRefusedByNameAndNothingIsStored() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            // setup: two processes, each holding its own consultation
            let ours = try await service.create(sampleConsultation(title: "Assises de la jeunesse"))
            let theirs = try await service.create(sampleConsultation(title: "Assises du sport"))
            let process = try await Self.process(holding: ours.id, title: "Ateliers citoyens de la jeunesse", on: service)
            _ = try await Self.process(holding: theirs.id, title: "Ateliers citoyens du sport", on: service)
            let own = try await Self.published("Des maisons des jeunes ouvertes le soir", in: ours.id, on: service)
            let foreign = try await Self.published("Des stades ouverts aux clubs amateurs", in: theirs.id, on: service)
            let unpublished = try await service.submit(proposal(title: "Une proposition encore en modération"), to: ours.id)

            // act
            let crossing = await refusal { try await service.rpc.request(Self.write(1, citing: [own.id, foreign.id], in: process.id)) }
            let hidden = await refusal { try await service.rpc.request(Self.write(1, citing: [unpublished.id], in: process.id)) }
            let unknown = await refusal { try await service.rpc.request(Self.write(1, citing: [UUID()], in: process.id)) }
            let first = try await service.rpc.request(Self.write(1, citing: [own.id], in: process.id))
            let sameNumber = await refusal { try await service.rpc.request(Self.write(1, citing: [own.id], in: process.id, title: "Une autre recommandation")) }

            // check: each refusal names its field, in French; only the valid one is stored
            #expect(crossing?.code == .invalid && crossing?.field == "contributions")
            #expect(crossing?.message.contains("« Des stades ouverts aux clubs amateurs » appartient à une consultation d'une autre démarche") == true)
            #expect(hidden?.field == "contributions" && hidden?.message.contains("n'est pas publiée") == true)
            #expect(unknown?.field == "contributions")
            #expect(sameNumber?.code == .invalid && sameNumber?.field == "number")
            #expect(first.contributions.map(\.contributionID) == [own.id])
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.recommendations") == 1)
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.recommendation_citations") == 1)
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.staff_audit WHERE action = 'recommendation.written'") == 1)
        }
    }

    @Test func aPublishedRecommendationAndItsContributionsLinkToEachOther() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            // setup: a draft citing two contributions, in staff's order
            let consultation = try await service.create(sampleConsultation())
            let process = try await Self.process(holding: consultation.id, title: "Ateliers citoyens de la vie associative", on: service)
            let first = try await Self.published("Un guichet unique pour les subventions", in: consultation.id, on: service)
            let second = try await Self.published("Un seul dossier pour toutes les aides", in: consultation.id, on: service)
            let draft = try await service.rpc.request(Self.write(3, citing: [second.id, first.id, second.id], in: process.id))

            // check: a draft is nobody's business but staff's
            #expect(draft.publishedAt == nil)
            #expect(try await service.rpc.request(ListContributionRecommendations(contributionID: first.id)).items.isEmpty)
            #expect(await refusal { try await service.rpc.request(GetRecommendation(recommendationID: draft.id)) }?.code == .notFound)
            #expect(try await service.rpc.request(ListRecommendations(processID: process.id)).items.isEmpty)
            #expect(try await service.rpc.request(ListRecommendations(processID: process.id, includeDrafts: true)).items.map(\.id) == [draft.id])

            // act
            let published = try await service.rpc.request(PublishRecommendation(recommendationID: draft.id, staffID: staff.id, staffName: staff.name))

            // check: both ways
            #expect(published.publishedAt != nil)
            let read = try await service.rpc.request(GetRecommendation(recommendationID: draft.id))
            #expect(read.contributions.map(\.contributionID) == [second.id, first.id])
            #expect(read.contributions.first?.consultationID == consultation.id)
            #expect(read.number == 3 && read.processID == process.id && read.processTitle == "Ateliers citoyens de la vie associative")
            for contribution in [first, second] {
                let back = try await service.rpc.request(ListContributionRecommendations(contributionID: contribution.id))
                #expect(back.items.map(\.recommendationID) == [draft.id])
                #expect(back.items.first?.number == 3 && back.items.first?.processID == process.id)
            }
            #expect(try await service.rpc.request(ListRecommendations(processID: process.id)).items.map(\.id) == [draft.id])
            // Published, it no longer changes.
            let rewrite = await refusal {
                try await service.rpc.request(WriteRecommendation(
                    processID: process.id, recommendationID: draft.id,
                    draft: RecommendationDraft(number: 3, title: "Autre titre", text: "Un autre texte de recommandation.", contributionIDs: []),
                    staffID: staff.id, staffName: staff.name
                ))
            }
            #expect(rewrite?.code == .conflict)
        }
    }

    @Test func publishingTellsTheAuthorsAndCurrentSupportersOnceEach() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            // setup: one author of two cited proposals, two supporters, one who withdrew
            let consultation = try await service.create(sampleConsultation())
            let process = try await Self.process(holding: consultation.id, title: "Ateliers citoyens de la vie associative", on: service)
            let author = UUID()
            let first = try await Self.published("Un guichet unique pour les subventions", in: consultation.id, author: author, on: service)
            let second = try await Self.published("Un seul dossier pour toutes les aides", in: consultation.id, author: author, on: service)
            let (supporter, gone) = (UUID(), UUID())
            for person in [supporter, gone] { _ = try await service.rpc.request(SupportContribution(contributionID: first.id, accountID: person)) }
            _ = try await service.rpc.request(SupportContribution(contributionID: second.id, accountID: supporter))
            _ = try await service.rpc.request(WithdrawSupport(contributionID: first.id, accountID: gone))
            let draft = try await service.rpc.request(Self.write(1, citing: [first.id, second.id], in: process.id))

            // act: published twice
            let publish = PublishRecommendation(recommendationID: draft.id, staffID: staff.id, staffName: staff.name)
            let once = try await service.rpc.request(publish)
            let twice = try await service.rpc.request(publish)

            // check
            #expect(once.publishedAt == twice.publishedAt)
            let events = try await events(RecommendationPublished.self, service)
            #expect(events.count == 1)
            #expect(events.first?.recipientAccountIDs.sorted { $0.uuidString < $1.uuidString } == [author, supporter].sorted { $0.uuidString < $1.uuidString })
            #expect(events.first?.contributionIDs == [first.id, second.id])
            #expect(events.first?.number == 1)
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.staff_audit WHERE action = 'recommendation.published'") == 1)
        }
    }

    @Test func aFateOtherThanAdoptionNeedsItsReasonAndEachChangeIsToldOnce() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            // setup
            let consultation = try await service.create(sampleConsultation())
            let process = try await Self.process(holding: consultation.id, title: "Ateliers citoyens de la vie associative", on: service)
            let author = UUID()
            let cited = try await Self.published("Un guichet unique pour les subventions", in: consultation.id, author: author, on: service)
            let draft = try await service.rpc.request(Self.write(1, citing: [cited.id], in: process.id))
            let unpublished = try await service.rpc.request(Self.write(2, citing: [cited.id], in: process.id, title: "Une recommandation restée brouillon"))
            _ = try await service.rpc.request(PublishRecommendation(recommendationID: draft.id, staffID: staff.id, staffName: staff.name))

            // act and check: nothing is decided on a draft
            #expect(await Self.decisionRefusal(of: Self.decide(unpublished.id, .adopted), on: service)?.code == .conflict)
            let modifiedBare = await Self.decisionRefusal(of: Self.decide(draft.id, .modified, "   "), on: service)
            let rejectedBare = await Self.decisionRefusal(of: Self.decide(draft.id, .rejected), on: service)
            #expect(modifiedBare?.code == .invalid && modifiedBare?.field == "reason")
            #expect(modifiedBare?.message == "Dites en quoi la recommandation a été modifiée : c'est obligatoire.")
            #expect(rejectedBare?.field == "reason" && rejectedBare?.message.contains("écartée") == true)
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.recommendations WHERE fate IS NOT NULL") == 0)

            let adopted = try await service.rpc.request(Self.decide(draft.id, .adopted))
            _ = try await service.rpc.request(Self.decide(draft.id, .adopted))
            let modified = try await service.rpc.request(Self.decide(draft.id, .modified, "Le guichet ouvre d'abord dans deux arrondissements."))

            #expect(adopted.decision?.fate == .adopted && adopted.decision?.reason == nil)
            #expect(modified.decision?.fate == .modified && modified.decision?.reason == "Le guichet ouvre d'abord dans deux arrondissements.")
            let events = try await events(RecommendationDecided.self, service)
            #expect(events.map(\.decision.fate) == [.adopted, .modified])
            #expect(events.allSatisfy { $0.recipientAccountIDs == [author] })
            #expect(try await service.rpc.request(ListContributionRecommendations(contributionID: cited.id)).items.first?.fate == .modified)
        }
    }

    @Test func milestonesBelongToAdoptedRecommendationsAndEachMoveIsToldOnce() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            // setup: two published recommendations, one set aside, one adopted
            let consultation = try await service.create(sampleConsultation())
            let process = try await Self.process(holding: consultation.id, title: "Ateliers citoyens de la vie associative", on: service)
            let author = UUID()
            let cited = try await Self.published("Un guichet unique pour les subventions", in: consultation.id, author: author, on: service)
            var ids: [UUID] = []
            for number in [1, 2] {
                let draft = try await service.rpc.request(Self.write(number, citing: [cited.id], in: process.id, title: "Recommandation numéro \(number)"))
                _ = try await service.rpc.request(PublishRecommendation(recommendationID: draft.id, staffID: staff.id, staffName: staff.name))
                ids.append(draft.id)
            }
            _ = try await service.rpc.request(DecideRecommendation(
                recommendationID: ids[0], fate: .rejected, reason: "Le budget ne le permet pas.", staffID: staff.id, staffName: staff.name
            ))
            _ = try await service.rpc.request(DecideRecommendation(recommendationID: ids[1], fate: .adopted, reason: nil, staffID: staff.id, staffName: staff.name))
            func save(_ recommendation: UUID, _ milestone: UUID? = nil, progress: Int, status: MilestoneStatus) -> SaveMilestone {
                SaveMilestone(
                    recommendationID: recommendation, milestoneID: milestone,
                    draft: MilestoneDraft(title: "Ouverture du guichet à Lille", dueOn: "2028-06-30", progress: progress, status: status),
                    staffID: staff.id, staffName: staff.name
                )
            }

            // act
            let onRejected = await refusal { try await service.rpc.request(save(ids[0], progress: 0, status: .planned)) }
            let doneHalfway = await refusal { try await service.rpc.request(save(ids[1], progress: 50, status: .done)) }
            let added = try await service.rpc.request(save(ids[1], progress: 0, status: .planned))
            let milestone = try #require(added.milestones.first)
            _ = try await service.rpc.request(save(ids[1], milestone.id, progress: 0, status: .planned))
            let moved = try await service.rpc.request(save(ids[1], milestone.id, progress: 40, status: .inProgress))

            // check
            #expect(onRejected?.code == .conflict)
            #expect(doneHalfway?.code == .invalid && doneHalfway?.field == "progress")
            #expect(added.milestones.count == 1 && milestone.dueOn == "2028-06-30" && milestone.status == .planned)
            #expect(moved.milestones.map(\.progress) == [40] && moved.milestones.first?.status == .inProgress)
            let events = try await events(MilestoneUpdated.self, service)
            #expect(events.map(\.milestone.progress) == [0, 40])
            #expect(events.map(\.previousProgress) == [nil, 0])
            #expect(events.allSatisfy { $0.recipientAccountIDs == [author] && $0.number == 2 })
            let page = try await service.rpc.request(GetRecommendation(recommendationID: ids[1]))
            #expect(page.milestones.map(\.id) == [milestone.id])
        }
    }
}
