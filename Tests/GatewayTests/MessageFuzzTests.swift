import ConsultationService
import DialogueContracts
import Foundation
import Gateway
import Messaging
import PostgresNIO
import ServiceKit
import TestSupport
import Testing

/// Broken messages sent to every queue of every service, between valid ones: each broken one
/// is parked in the queue's dead-letter queue with the reason, or (an RPC request with a
/// caller waiting) answered `invalid` with the reason; the valid ones around them are handled.
@Suite struct MessageFuzzTests {
    /// Fixed, so that a failure can be replayed; printed with each failure.
    static let seed: UInt64 = 0x17_F022

    /// A small generator with a seed (SplitMix64), for random bodies that are the same each run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// One broken message: what is wrong with it, and what its dead-letter reason must say.
    struct Broken {
        let label: String
        let message: OutgoingMessage
        let reasonContains: String
    }

    /// The broken variants of a valid message (its type, body and headers), aimed at `queue`,
    /// whose consumer reads bodies up to `largestBody` bytes.
    static func brokenVariants(
        of valid: OutgoingMessage, queue: String, largestBody: Int = RetryPolicy.defaultMaximumBodyBytes, generator: inout SeededGenerator
    ) -> [Broken] {
        func variant(_ label: String, reason: String, _ change: (inout OutgoingMessage) -> Void) -> Broken {
            var message = OutgoingMessage(
                exchange: "", routingKey: queue, body: valid.body, messageID: "fuzz-\(label)-\(UUID().uuidString.lowercased())",
                type: valid.type, headers: valid.headers
            )
            change(&message)
            return Broken(label: label, message: message, reasonContains: reason)
        }
        let randomBytes = (0..<256).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let cut = Int.random(in: 1..<max(2, valid.body.count - 1), using: &generator)
        return [
            variant("random-bytes", reason: "unreadable") { $0.body = randomBytes },
            variant("truncated-json", reason: "unreadable") { $0.body = Array(valid.body.prefix(cut)) },
            variant("empty-body", reason: "unreadable") { $0.body = [] },
            variant("json-of-another-shape", reason: "unreadable") { $0.body = Array(#"{"fuzz": [1, 2, {"x": null}]}"#.utf8) },
            variant("unknown-type", reason: "fuzz.unknown_type") { $0.type = "fuzz.unknown_type" },
            variant("future-version", reason: "schema version 99") { $0.headers[EnvelopeHeader.schemaVersion] = .int(99) },
            variant("version-zero", reason: "not a positive integer") { $0.headers[EnvelopeHeader.schemaVersion] = .int(0) },
            variant("negative-version", reason: "not a positive integer") { $0.headers[EnvelopeHeader.schemaVersion] = .int(-3) },
            variant("version-as-text", reason: "not a positive integer") { $0.headers[EnvelopeHeader.schemaVersion] = .string("deux") },
            variant("oversized", reason: "over the limit") {
                // Valid JSON, so that only its size is wrong.
                $0.body = Array(#"{"padding": ""#.utf8) + Array(repeating: UInt8(ascii: "a"), count: largestBody) + Array(#""}"#.utf8)
            },
        ]
    }

    /// Valid events, one per events queue, that each service handles without anything else in place.
    static func validEvents() throws -> [(ServiceName, OutgoingMessage)] {
        func event<Event: DialogueEvent>(_ event: Event) throws -> OutgoingMessage {
            OutgoingMessage(
                exchange: "", routingKey: "", body: try MessageCoding.encode(event), messageID: "valid-\(UUID().uuidString.lowercased())",
                type: Event.messageType, headers: [EnvelopeHeader.schemaVersion: .int(Int64(Event.schemaVersion))]
            )
        }
        let decision = { ModerationDecisionMade(
            itemID: UUID(), contentType: .surveyAnswer, contentID: UUID(), ownerService: .surveys, status: .published, visible: true,
            reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: nil, rule: "post_moderation", decidedAt: Date(), revision: 1
        ) }
        let erased = { AccountErased(accountID: UUID(), normalizedEmails: ["efface-\(UUID().uuidString.prefix(8).lowercased())@exemple.fr"], erasedAt: Date()) }
        return [
            (.gateway, try event(StaffActionRecorded(
                service: .surveys, entryID: Int.random(in: 1_000_000...9_000_000), occurredAt: Date(), staffID: nil, staffName: "Fuzz",
                action: "fuzz.checked", objectType: "fuzz", objectID: nil, details: [:]
            ))),
            (.petitions, try event(erased())),
            (.surveys, try event(erased())),
            (.notifications, try event(erased())),
            (.consultations, try event(decision())),
            (.synthesis, try event(decision())),
            (.moderation, try event(PetitionSubmitted(content: SubmittedContent(
                contentID: UUID(), ownerService: .petitions, title: "Un titre", text: "Un texte à modérer.", authorAccountID: nil, authorName: nil,
                submittedAt: Date()
            )))),
        ]
    }

    @Test func brokenMessagesToEveryQueueAreDeadLetteredWithTheirReasonAndValidOnesAroundThemAreHandled() async throws {
        let stack = try await GatewayStack.make(withModerationWorker: true)
        let topology = stack.topology
        let amqp = TestEnvironment.amqp
        try await stack.run(settings: .forSecurityTests()) { _, probe in
            let publisher = AMQPPublisher(settings: amqp, name: "fuzz", logger: TestEnvironment.logger)
            try await withRunningServices([publisher]) {
                try await eventually("publisher connected") { publisher.isConnected }
                var generator = SeededGenerator(state: Self.seed)
                var expected: [String: [Broken]] = [:]  // dead-letter queue → what must land there
                var handled: [(schema: String, messageID: String)] = []
                let platforms: [ServiceName: ServicePlatform] = [
                    .gateway: stack.gateway, .petitions: stack.petitions!, .surveys: stack.surveys, .consultations: stack.consultations,
                    .notifications: stack.notifications, .synthesis: stack.synthesis, .moderation: stack.moderation!,
                ]

                // Every events queue: a valid event, the broken ones, another valid event.
                for (service, valid) in try Self.validEvents() {
                    let queue = topology.eventsQueue(service.rawValue)
                    let broken = Self.brokenVariants(of: valid, queue: queue, generator: &generator)
                    // Another event of the same kind, with content of its own (the same event twice is one).
                    let second = try #require(try Self.validEvents().first { $0.0 == service }).1
                    for message in [valid] + broken.map(\.message) + [second] {
                        var aimed = message
                        aimed.routingKey = queue
                        try await publisher.publish(aimed)
                    }
                    expected[topology.deadLetterQueue(of: queue)] = broken
                    let schema = platforms[service]!.settings.service.schema
                    handled += [(schema, valid.messageID), (schema, second.messageID)]
                }

                // The petitions command queue: signatures around the broken ones.
                let petition = try await probe.insertPetition(threshold: 1_000)
                func signature() throws -> OutgoingMessage {
                    let address = "signataire-\(UUID().uuidString.prefix(8).lowercased())@exemple.fr"
                    return try OutgoingMessage(
                        command: SignPetition(petitionID: petition, name: "Camille Fuzz", email: address, postcode: "59000", signedAt: Date()),
                        topology: topology
                    )
                }
                let commands = topology.commandsQueue(ServiceName.petitions.rawValue)
                let firstSignature = try signature()
                let brokenCommands = Self.brokenVariants(of: firstSignature, queue: commands, generator: &generator)
                for message in [firstSignature] + brokenCommands.map(\.message) + [try signature()] {
                    var aimed = message
                    aimed.exchange = ""
                    aimed.routingKey = commands
                    try await publisher.publish(aimed)
                }
                expected[topology.deadLetterQueue(of: commands)] = brokenCommands

                // Every RPC queue: without a reply address a request is parked; with one, a
                // broken request is answered `invalid` with the reason, and a valid one answered.
                let validRequests: [(ServiceName, String, [UInt8], Int)] = [
                    (.petitions, GetPetitionSettings.messageType, try MessageCoding.encode(GetPetitionSettings()), GetPetitionSettings.schemaVersion),
                    (.surveys, GetSurveySettings.messageType, try MessageCoding.encode(GetSurveySettings()), GetSurveySettings.schemaVersion),
                    (.moderation, GetModerationSettings.messageType, try MessageCoding.encode(GetModerationSettings()), GetModerationSettings.schemaVersion),
                    (.notifications, ListFailedDeliveries.messageType, try MessageCoding.encode(ListFailedDeliveries()), ListFailedDeliveries.schemaVersion),
                    (.consultations, ListConsultations.messageType, try MessageCoding.encode(ListConsultations()), ListConsultations.schemaVersion),
                    (.synthesis, GetTextTrends.messageType,
                     try MessageCoding.encode(GetTextTrends(source: .petitions, from: Date().addingTimeInterval(-30 * 86_400), until: Date())),
                     GetTextTrends.schemaVersion),
                ]
                for (service, type, body, version) in validRequests {
                    let queue = topology.rpcQueue(service.rawValue)
                    let valid = OutgoingMessage(exchange: "", routingKey: queue, body: body, type: type, headers: [EnvelopeHeader.schemaVersion: .int(Int64(version))])
                    // consultation-service takes larger requests (attachments).
                    let largestBody = service == .consultations ? ConsultationService.largestRequestBytes : RetryPolicy.defaultMaximumBodyBytes
                    let broken = Self.brokenVariants(of: valid, queue: queue, largestBody: largestBody, generator: &generator)
                    // Parked: no reply address (each variant), and an oversized request even with one.
                    for variant in broken { try await publisher.publish(variant.message) }
                    var parked = broken.map { Broken(label: $0.label, message: $0.message, reasonContains: "without reply_to") }
                    let oversized = try #require(broken.first { $0.label == "oversized" })
                    parked.removeAll { $0.label == "oversized" }
                    parked.append(oversized)
                    // The oversized one is over the limit before anything reads its reply address.
                    expected[topology.deadLetterQueue(of: queue)] = parked

                    // Answered: each broken one (but the oversized) with a caller waiting, around valid ones.
                    let before = try await stack.rpc.call(service: service.rawValue, type: type, body: body, headers: valid.headers)
                    #expect(before.headers[RPCHeader.status]?.stringValue == RPCStatus.ok.rawValue, "\(service) valid request")
                    // (A request without fields, such as a settings read, rightly ignores unknown keys.)
                    for variant in broken where variant.label != "oversized" && variant.label != "json-of-another-shape" {
                        let reply = try await stack.rpc.call(
                            service: service.rawValue, type: variant.message.type, body: variant.message.body, headers: variant.message.headers
                        )
                        let failure = try? MessageCoding.decode(RequestFailure.self, from: reply.body)
                        #expect(reply.headers[RPCHeader.status]?.stringValue == RPCStatus.invalid.rawValue, "\(service) \(variant.label) (seed \(Self.seed))")
                        #expect(failure?.code == .invalid, "\(service) \(variant.label)")
                        let reason = variant.label == "unknown-type" ? "fuzz.unknown_type" : variant.reasonContains
                        #expect(failure?.message.contains(reason) == true, "\(service) \(variant.label): \(failure?.message ?? "no failure")")
                    }
                    let after = try await stack.rpc.call(service: service.rawValue, type: type, body: body, headers: valid.headers)
                    #expect(after.headers[RPCHeader.status]?.stringValue == RPCStatus.ok.rawValue, "\(service) valid request after")
                }

                // check: the valid events and signatures were handled
                for (schema, messageID) in handled {
                    try await eventually(timeout: .seconds(30), "\(schema) handled \(messageID)") {
                        try await probe.int("SELECT count(*)::int8 FROM \(unescaped: schema).inbox WHERE message_id = \(messageID)") == 1
                    }
                }
                try await eventually(timeout: .seconds(30), "both signatures recorded") { try await probe.signatureRows(petition) == 2 }

                // each broken message is in its queue's dead letters, with a reason that says why
                @Sendable func deadLetterReasons(in queue: String) async throws -> [String: String] {
                    let dead = try await BrokerAdmin.peek(queue: queue, limit: 500, settings: amqp)
                    return Dictionary(dead.compactMap { message in
                        message.messageID.map { ($0, message.headers["dialogue-dead-letter-reason"]?.stringValue ?? "") }
                    }, uniquingKeysWith: { first, _ in first })
                }
                for (deadQueue, broken) in expected {
                    let ids = broken.map(\.message.messageID)
                    try await eventually(timeout: .seconds(30), "\(deadQueue) holds its \(broken.count) broken messages") {
                        let reasons = try await deadLetterReasons(in: deadQueue)
                        return ids.allSatisfy { reasons[$0] != nil }
                    }
                    let reasons = try await deadLetterReasons(in: deadQueue)
                    for variant in broken {
                        let reason = reasons[variant.message.messageID] ?? ""
                        #expect(reason.contains(variant.reasonContains), "\(deadQueue) \(variant.label): \(reason) (seed \(Self.seed))")
                    }
                }
                // and no queue is left holding anything
                for service in platforms.keys {
                    for queue in [topology.eventsQueue(service.rawValue)] {
                        try await eventually(timeout: .seconds(30), "\(queue) drained") {
                            try await BrokerAdmin.messageCount(queue: queue, settings: amqp) == 0
                        }
                    }
                }
            }
        }
    }
}
