import DialogueContracts
import Foundation
import Messaging
import NotificationWorker
import PetitionsService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The lifecycle after the threshold: referred → answered → closed, each step recorded,
/// refused from the wrong status, and told to the author; the answer told to every
/// signatory who asked for it, once.
@Suite struct LifecycleTests {
    let topology = TestEnvironment.isolatedTopology()

    /// The petitions service and the notification worker on one database, an RPC client
    /// as the gateway's, and the petitions role's own client for calling jobs directly.
    struct Platform: Sendable {
        let rpc: RPCClient
        let probe: Probe
        let petitions: PostgresClient
        let topology: MessagingTopology

        /// An author with a confirmed address the notification worker knows; returns (account, address).
        func author() async throws -> (UUID, String) {
            let (account, address) = (UUID(), "autrice-\(UUID().uuidString.prefix(8).lowercased())@exemple.fr")
            try await publishEvent(AccountContactChanged(
                accountID: account, email: address, displayName: "Nadia", emailConfirmed: true, disabled: false, staffRoles: [], changedAt: Date()
            ), topology: topology)
            try await eventually("the author known to the worker") {
                try await probe.int("SELECT count(*)::int8 FROM notifications.recipients WHERE account_id = \(account)") == 1
            }
            return (account, address)
        }

        /// A visible petition past its threshold (as the counter leaves it), by `author`.
        func petitionPastItsThreshold(author: UUID?, title: String = "Rouvrir la maternité de Saint-Pol") async throws -> UUID {
            let id = try await probe.insertPetition(threshold: 2, title: title)
            try await probe.execute(
                "UPDATE petitions.petitions SET status = 'threshold_reached', signature_count = 2, author_account_id = \(author) WHERE id = \(id)"
            )
            return id
        }

        /// A signature row as the signing flow leaves it.
        func insertSignature(
            _ petition: UUID, email: String, wantsAnswer: Bool = true, confirmed: Bool = true, invalidated: Bool = false
        ) async throws {
            try await probe.execute(
                """
                INSERT INTO petitions.signatures
                    (id, petition_id, name, email, email_normalized, postcode, departement, signed_at, wants_answer, confirmed_at, invalidated_at)
                VALUES (\(UUID()), \(petition), 'Signataire', \(email), \(email), '80000', '80', now(), \(wantsAnswer),
                        CASE WHEN \(confirmed) THEN now() END, CASE WHEN \(invalidated) THEN now() END)
                """
            )
        }

        func history(_ petition: UUID) async throws -> [String?] {
            try await probe.texts(
                """
                SELECT from_status || '>' || to_status || '|' || coalesce(changed_by_name, '-') || '|' || coalesce(note, '-')
                FROM petitions.status_changes WHERE petition_id = \(petition) ORDER BY id
                """
            )
        }
    }

    private func withPlatform(_ body: @Sendable (Platform) async throws -> Void) async throws {
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        try await migrate(.notifications, directory: NotificationWorker.migrationsDirectory, on: database)
        let petitions = ServicePlatform.forTest(.petitions, database: database, topology: topology)
        let notifications = ServicePlatform.forTest(.notifications, database: database, topology: topology)
        let rpc = RPCClient(settings: TestEnvironment.amqp, topology: topology, logger: TestEnvironment.logger)
        let services = try petitionsProcess(petitions, threshold: 2) + notificationsProcess(notifications) + [rpc]
        try await withRunningServices(services) {
            try await waitUntilReady([petitions, notifications], [{ rpc.isConnected }])
            try await Probe.on(database) { probe in
                try await body(Platform(rpc: rpc, probe: probe, petitions: petitions.database, topology: topology))
            }
        }
        await deleteQueues(of: topology, services: [.petitions, .notifications])
    }

    private static let staff = (id: UUID(), name: "Agent du CESER")
    private static let answerText = "L'assemblée a adopté un rapport sur la périnatalité dans le Pas-de-Calais.\nElle demande le maintien des maternités de proximité."

    private func failure(_ body: () async throws -> Void) async -> RequestFailure? {
        do {
            try await body()
            return nil
        } catch let failure as RequestFailure {
            return failure
        } catch {
            return RequestFailure(code: .internal, message: "unexpected: \(error)")
        }
    }

    @Test func referAnswerCloseAreRecordedRefusedOutOfOrderAndToldToTheAuthor() async throws {
        try await withPlatform { platform in
            // setup
            let (author, address) = try await platform.author()
            let petition = try await platform.petitionPastItsThreshold(author: author)
            let rpc = platform.rpc
            let answer = AnswerPetition(
                petitionID: petition, decision: .reportAdopted, text: Self.answerText, reportURL: "https://ceser.example/rapports/perinatalite.pdf",
                staffID: Self.staff.id, staffName: Self.staff.name
            )

            // act and check: out of order, refused, nothing changed
            let early = await failure { _ = try await rpc.request(answer) }
            #expect(early?.code == .conflict)
            #expect(early?.message.contains("transmise à l'assemblée") == true)
            let closing = await failure { _ = try await rpc.request(ClosePetition(petitionID: petition, reason: "Doublon d'une autre pétition", staffID: Self.staff.id, staffName: Self.staff.name)) }
            #expect(closing?.code == .conflict)
            #expect(try await platform.probe.texts("SELECT status FROM petitions.petitions WHERE id = \(petition)") == ["threshold_reached"])

            // refer
            let referred = try await rpc.request(ReferPetition(
                petitionID: petition, note: "Commission Santé, séance du 12 mars", staffID: Self.staff.id, staffName: Self.staff.name
            ))
            #expect(referred.status == .referred)
            #expect(referred.referredAt != nil)
            let twice = await failure { _ = try await rpc.request(ReferPetition(petitionID: petition, note: nil, staffID: Self.staff.id, staffName: Self.staff.name)) }
            #expect(twice?.code == .conflict)

            // answer: bad input refused, then published
            var short = answer
            short.text = "Trop cour"
            #expect(await failure { _ = try await rpc.request(short) }?.field == "text")
            var script = answer
            script.reportURL = "javascript:alert(1)"
            #expect(await failure { _ = try await rpc.request(script) }?.field == "report_url")
            let answered = try await rpc.request(answer)
            #expect(answered.status == .answered)
            #expect(answered.answer?.decision == .reportAdopted)
            #expect(answered.answer?.text == Self.answerText)
            #expect(answered.answer?.reportURL == "https://ceser.example/rapports/perinatalite.pdf")

            // the public page shows the referral and the answer
            let detail = try await rpc.request(GetPetitionDetail(petitionID: petition))
            #expect(detail.referredAt == referred.referredAt)
            #expect(detail.answer == answered.answer)

            // close
            let closed = try await rpc.request(ClosePetition(petitionID: petition, reason: nil, staffID: Self.staff.id, staffName: Self.staff.name))
            #expect(closed.status == .closed)
            #expect(closed.closedAt != nil)
            #expect(await failure { _ = try await rpc.request(answer) }?.code == .conflict)

            // the history, the events, the author's mails
            #expect(try await platform.history(petition) == [
                "open>threshold_reached|-|-",
                "threshold_reached>referred|Agent du CESER|Commission Santé, séance du 12 mars",
                "referred>answered|Agent du CESER|-",
                "answered>closed|Agent du CESER|-",
            ])
            #expect(closed.history.map(\.to) == [.thresholdReached, .referred, .answered, .closed])
            #expect(try await platform.probe.outboxRows(PetitionStatusChanged.messageType, petition: petition) == 3)
            try await eventually(timeout: .seconds(20), "the author told of each step") { try TestEnvironment.mails(to: address).count == 3 }
            let texts = try TestEnvironment.mailTexts(to: address)
            #expect(texts.count == 3)
            let referral = texts.first { $0.contains("a été transmise à l'assemblée") }
            #expect(referral?.contains("Précision de l'équipe : Commission Santé, séance du 12 mars") == true)
            let answerMail = texts.first { $0.contains("Décision : Rapport adopté par l'assemblée.") }
            #expect(answerMail?.contains("https://ceser.example/rapports/perinatalite.pdf") == true)
            #expect(texts.contains { $0.contains("est close : l'assemblée y a répondu") })
        }
    }

    @Test func anOpenPetitionClosesEarlyOnlyWithAReason() async throws {
        try await withPlatform { platform in
            // setup
            let (author, address) = try await platform.author()
            let petition = try await platform.probe.insertPetition(threshold: 100)
            try await platform.probe.execute("UPDATE petitions.petitions SET author_account_id = \(author) WHERE id = \(petition)")

            // act: without a reason, then with one
            let refused = await failure {
                _ = try await platform.rpc.request(ClosePetition(petitionID: petition, reason: "  ", staffID: Self.staff.id, staffName: Self.staff.name))
            }
            let closed = try await platform.rpc.request(ClosePetition(
                petitionID: petition, reason: "Retirée à la demande de son autrice.", staffID: Self.staff.id, staffName: Self.staff.name
            ))

            // check
            #expect(refused?.code == .invalid)
            #expect(refused?.field == "reason")
            #expect(closed.status == .closed)
            #expect(closed.closingReason == "Retirée à la demande de son autrice.")
            #expect(try await platform.history(petition) == ["open>closed|Agent du CESER|Retirée à la demande de son autrice."])
            try await eventually("the author told") { try TestEnvironment.mails(to: address).count == 1 }
            #expect(try TestEnvironment.mailTexts(to: address).first?.contains("Motif : Retirée à la demande de son autrice.") == true)
        }
    }

    @Test func theEndOfTheCollectionClosesRecordsAndTellsTheAuthor() async throws {
        try await withPlatform { platform in
            // setup: one petition whose collection ended, one still collecting
            let (author, address) = try await platform.author()
            let ended = try await platform.probe.insertPetition(threshold: 100, title: "Un collège à Hesdin")
            let running = try await platform.probe.insertPetition(threshold: 100, title: "Une piscine à Hesdin")
            try await platform.probe.execute(
                "UPDATE petitions.petitions SET author_account_id = \(author), closes_at = now() - interval '1 minute' WHERE id = \(ended)"
            )
            try await platform.probe.execute("UPDATE petitions.petitions SET closes_at = now() + interval '1 day' WHERE id = \(running)")

            // act
            let closed = try await PetitionSettingsStore(client: platform.petitions, rules: PetitionRules(), logger: TestEnvironment.logger).closeEnded()

            // check
            #expect(closed == 1)
            #expect(try await platform.history(ended) == ["open>closed|-|-"])
            #expect(try await platform.history(running).isEmpty)
            #expect(try await platform.probe.outboxRows(PetitionStatusChanged.messageType, petition: ended) == 1)
            try await eventually("the author told") { try TestEnvironment.mails(to: address).count == 1 }
            #expect(try TestEnvironment.mailTexts(to: address).first?.contains("sa période de collecte est terminée") == true)
        }
    }

    @Test func signatoriesWhoAskedAreToldOfTheAnswerOnceEachInChunks() async throws {
        try await withPlatform { platform in
            // setup: five who asked (confirmed, valid), and those who must not be told
            let petition = try await platform.petitionPastItsThreshold(author: nil, title: "Des trains le dimanche entre Amiens et Abbeville")
            let asked = (0..<5).map { "signataire\($0)-\(UUID().uuidString.prefix(6).lowercased())@exemple.fr" }
            for address in asked { try await platform.insertSignature(petition, email: address) }
            let silent = "sans-nouvelles-\(UUID().uuidString.prefix(6).lowercased())@exemple.fr"
            let unconfirmed = "non-confirme-\(UUID().uuidString.prefix(6).lowercased())@exemple.fr"
            let invalidated = "invalide-\(UUID().uuidString.prefix(6).lowercased())@exemple.fr"
            try await platform.insertSignature(petition, email: silent, wantsAnswer: false)
            try await platform.insertSignature(petition, email: unconfirmed, confirmed: false)
            try await platform.insertSignature(petition, email: invalidated, invalidated: true)
            // An erased account's signature: its address was emptied by the anonymisation.
            try await platform.probe.execute(
                """
                INSERT INTO petitions.signatures (id, petition_id, name, email, email_normalized, postcode, signed_at, wants_answer, confirmed_at)
                VALUES (\(UUID()), \(petition), 'Participant anonyme', '', 'erased:x', '', now(), true, now())
                """
            )
            let notices = SignatoryAnswerNotices(client: platform.petitions, logger: TestEnvironment.logger)
            // Nothing to tell before the answer.
            #expect(try await notices.run() == 0)
            _ = try await platform.rpc.request(ReferPetition(petitionID: petition, note: nil, staffID: Self.staff.id, staffName: Self.staff.name))
            _ = try await platform.rpc.request(AnswerPetition(
                petitionID: petition, decision: .referralRetained, text: Self.answerText, reportURL: nil, staffID: Self.staff.id,
                staffName: Self.staff.name
            ))

            // act: one chunk of two, as if the job stopped there, then the job resumes
            let first = try await notices.nextChunk(limit: 2)
            let rest = try await notices.run(chunkSize: 2)
            let again = try await notices.run(chunkSize: 2)

            // check: every one who asked told once, the others never
            #expect(first.marked == 2)
            // The erased signature is marked without a notice, in whichever chunk it falls.
            #expect(first.notices + rest == 5)
            #expect(again == 0)
            #expect(try await platform.probe.outboxRows(PetitionSignatoryNoticeRequested.messageType, petition: petition) == 5)
            #expect(try await platform.probe.int(
                "SELECT count(*)::int8 FROM petitions.signatures WHERE petition_id = \(petition) AND answer_notified_at IS NOT NULL"
            ) == 6)  // the five, and the erased one marked without a notice
            try await eventually(timeout: .seconds(20), "every signatory who asked mailed") {
                try asked.allSatisfy { try TestEnvironment.mails(to: $0).count == 1 }
            }
            let text = try #require(try TestEnvironment.mailTexts(to: asked[0]).first)
            #expect(text.contains("http://dialogue.test/petitions/\(petition.uuidString.lowercased())"))
            #expect(text.contains("Décision : Saisine retenue"))
            for address in [silent, unconfirmed, invalidated] {
                #expect(try await platform.probe.int("SELECT count(*)::int8 FROM notifications.email_deliveries WHERE recipient = \(address)") == 0)
            }
            #expect(try await platform.probe.int(
                "SELECT count(*)::int8 FROM notifications.email_deliveries WHERE template = 'petition.answer_to_signatory'"
            ) == 5)
        }
    }
}
