import DialogueContracts
import DialogueCtl
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import SynthesisReporter
import Testing
import TestSupport
import TextTrends

/// The reporter's read model of public texts, fed by events only: a petition counts in the
/// trends once moderation shows it, a rejected one never, and a malformed event is parked
/// with its reason while the others are kept.
@Suite struct TextDocumentTests {
    let topology = TestEnvironment.isolatedTopology()
    let reasonHeader = "dialogue-dead-letter-reason"

    /// Runs the reporter on a fresh `synthesis` schema with an RPC client until `body` returns.
    func withReporter(_ body: @Sendable (RPCClient, TestDatabase) async throws -> Void) async throws {
        let database = try await TestDatabase.make()
        try await migrate(.synthesis, directory: SynthesisReporter.migrationsDirectory, on: database)
        let platform = ServicePlatform.forTest(.synthesis, database: database, topology: topology)
        let rpc = RPCClient(settings: TestEnvironment.amqp, topology: topology, logger: TestEnvironment.logger)
        try await withRunningServices([platform.database, platform.publisher, platform.outboxRelay()] + SynthesisReporter.parts(on: platform) + [rpc]) {
            try await eventually(timeout: .seconds(20), "synthesis reporter ready") {
                await platform.readiness.failing().isEmpty && rpc.isConnected
            }
            try await body(rpc, database)
        }
        await deleteQueues(of: topology, services: [.synthesis])
    }

    static func submitted(_ id: UUID, title: String, text: String, owner: ServiceName = .petitions) -> PetitionSubmitted {
        PetitionSubmitted(content: SubmittedContent(
            contentID: id, ownerService: owner, title: title, text: text, authorAccountID: nil, authorName: "Camille",
            publicPath: SitePath.petition(id).path, submittedAt: Date()
        ))
    }

    func count(_ table: String, _ database: TestDatabase) async throws -> Int {
        try await Probe.on(database) { probe in
            try await probe.texts(PostgresQuery(unsafeSQL: "SELECT count(*)::text FROM synthesis.\(table)")).first.flatMap { $0.flatMap { Int($0) } } ?? -1
        }
    }

    @Test func aPetitionCountsOnceModerationShowsItAndARejectedOneNever() async throws {
        try await withReporter { rpc, database in
            // setup: two published petitions, one whose decision arrives before its text, one
            // rejected, one still waiting for moderation: all five about the hospital's emergencies
            let texts: [(UUID, String, String)] = [
                (UUID(), "Sauvons les urgences de l'hôpital de Cambrai", "Les urgences ferment la nuit depuis l'été."),
                (UUID(), "Urgences de nuit à Douai", "Rouvrir les urgences de nuit de l'hôpital."),
                (UUID(), "Des médecins aux urgences", "Il manque des médecins aux urgences de l'hôpital."),
                (UUID(), "Urgences : texte rejeté", "Les urgences de l'hôpital, texte injurieux."),
                (UUID(), "Urgences en attente", "Les urgences de l'hôpital, texte pas encore modéré."),
            ]
            let (first, second, early, rejected, waiting) = (texts[0].0, texts[1].0, texts[2].0, texts[3].0, texts[4].0)

            // act
            try await publishPetitionDecision(early, topology: topology)
            for (id, title, text) in texts { try await publishEvent(Self.submitted(id, title: title, text: text), topology: topology) }
            try await publishPetitionDecision(first, topology: topology)
            try await publishPetitionDecision(second, topology: topology)
            try await publishPetitionDecision(rejected, status: .rejected, topology: topology)
            // a decision on a forum post is kept under its own source, never among the petitions
            try await publishEvent(
                ModerationDecisionMade(
                    itemID: UUID(), contentType: .forumPost, contentID: UUID(), ownerService: .consultations, status: .published, visible: true,
                    reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: nil, rule: nil, decidedAt: Date(), revision: 1
                ),
                topology: topology
            )
            try await eventually("texts and decisions kept") {
                let documents = try await count("text_documents", database)
                let decisions = try await count("text_moderation WHERE source = 'petitions'", database)
                let postDecisions = try await count("text_moderation WHERE source = 'forum_posts'", database)
                return documents == 5 && decisions == 4 && postDecisions == 1
            }
            let trends = try await rpc.request(GetTextTrends(
                source: .petitions, from: Date(timeIntervalSinceNow: -86_400), until: Date(timeIntervalSinceNow: 86_400)
            ))

            // check: three texts count, and every trend links to them only
            #expect(trends.documentCount == 3)
            let shown = Set([first, second, early])
            let emergencies = trends.keyWords.first { $0.label == "urgences" }
            #expect(Set(emergencies?.documentIDs ?? []) == shown)
            #expect(trends.keyPhrases.contains { $0.label == "urgences de l'hôpital" })
            let linked = Set((trends.keyWords + trends.keyPhrases).flatMap(\.documentIDs))
            #expect(linked.isSubset(of: shown))
            #expect(!linked.contains(rejected) && !linked.contains(waiting))
            #expect(Set(trends.documents.map(\.id)) == linked)
            #expect(trends.documents.first { $0.id == second }?.title == "Urgences de nuit à Douai")
            // every trend's texts hold its words, after normalisation
            let extractor = TermExtractor()
            let byID = Dictionary(uniqueKeysWithValues: texts.map { ($0.0, $0.1 + "\n" + $0.2) })
            for trend in trends.keyWords + trends.keyPhrases {
                let key = try #require(extractor.key(of: trend.label), "\(trend.label)")
                for id in trend.documentIDs { #expect(extractor.contains(key, in: byID[id] ?? ""), "\(trend.label) in \(id)") }
            }

            // act: moderation rejects a published petition afterwards
            try await publishPetitionDecision(second, status: .rejected, revision: 2, topology: topology)
            try await eventually("the rejected petition leaves the trends") {
                try await rpc.request(GetTextTrends(
                    source: .petitions, from: Date(timeIntervalSinceNow: -86_400), until: Date(timeIntervalSinceNow: 86_400)
                )).documentCount == 2
            }
            // and an older decision arriving late does not bring it back
            try await publishPetitionDecision(second, status: .published, revision: 1, topology: topology)
            try await publishPetitionDecision(first, status: .published, revision: 3, topology: topology)
            try await eventually("the late decision handled") {
                try await Probe.on(database) { probe in
                    try await probe.texts("SELECT revision::text FROM synthesis.text_moderation WHERE id = \(first)") == ["3"]
                }
            }
            let after = try await rpc.request(GetTextTrends(
                source: .petitions, from: Date(timeIntervalSinceNow: -86_400), until: Date(timeIntervalSinceNow: 86_400)
            ))
            #expect(after.documentCount == 2)
            #expect(!after.keyWords.flatMap(\.documentIDs).contains(second))
        }
    }

    @Test func aPeriodThatEndsBeforeItStartsIsRefusedNamingTheField() async throws {
        try await withReporter { rpc, _ in
            // act
            let refusal = await #expect(throws: RequestFailure.self) {
                try await rpc.request(GetTextTrends(source: .petitions, from: Date(), until: Date(timeIntervalSinceNow: -3_600)))
            }
            let tooLong = await #expect(throws: RequestFailure.self) {
                try await rpc.request(GetTextTrends(source: .petitions, from: Date(timeIntervalSinceNow: -800 * 86_400), until: Date()))
            }

            // check
            #expect(refusal?.code == .invalid)
            #expect(refusal?.field == "until")
            #expect(tooLong?.field == "from")
        }
    }

    @Test func malformedPetitionEventsAreDeadLetteredWithTheirReasonAndTheOthersKept() async throws {
        try await withReporter { _, database in
            // setup: a publisher of raw messages on the events exchange
            let publisher = AMQPPublisher(
                settings: TestEnvironment.amqp, name: "test-raw-events", declarations: topology.exchanges, logger: TestEnvironment.logger
            )
            try await withRunningServices([publisher]) {
                try await eventually("publisher connected") { publisher.isConnected }
                func raw(_ body: [UInt8], id: String) -> OutgoingMessage {
                    OutgoingMessage(
                        exchange: topology.eventsExchange, routingKey: PetitionSubmitted.messageType, body: body, messageID: id,
                        type: PetitionSubmitted.messageType, headers: ["schema-version": .int(1)]
                    )
                }
                let valid = UUID()
                let ids = (unreadable: "unreadable-\(UUID())", foreign: "foreign-\(UUID())", empty: "empty-\(UUID())")

                // act
                try await publisher.publish(raw(Array(#"{"content": {"contentID": "pas un identifiant"}"#.utf8), id: ids.unreadable))
                try await publisher.publish(raw(try MessageCoding.encode(Self.submitted(UUID(), title: "Titre", text: "Texte", owner: .surveys)), id: ids.foreign))
                try await publisher.publish(raw(try MessageCoding.encode(Self.submitted(UUID(), title: "  ", text: "\n")), id: ids.empty))
                try await publisher.publish(raw(try MessageCoding.encode(Self.submitted(valid, title: "Des bus", text: "Plus de bus.")), id: "valid-\(valid)"))

                // check
                let deadQueue = topology.deadLetterQueue(of: topology.eventsQueue("synthesis"))
                try await eventually("malformed events parked") {
                    try await BrokerAdmin.messageCount(queue: deadQueue, settings: TestEnvironment.amqp) == 3
                }
                let dead = try await BrokerAdmin.peek(queue: deadQueue, limit: 10, settings: TestEnvironment.amqp)
                let reasons = Dictionary(uniqueKeysWithValues: dead.map { ($0.messageID ?? "-", $0.headers[reasonHeader]?.stringValue ?? "") })
                #expect(reasons[ids.unreadable]?.contains("unreadable petition.submitted body") == true)
                #expect(reasons[ids.foreign]?.contains("owned by surveys") == true)
                #expect(reasons[ids.empty]?.contains("neither title nor text") == true)
                try await eventually("the valid text kept") { try await count("text_documents", database) == 1 }
            }
        }
    }
}
