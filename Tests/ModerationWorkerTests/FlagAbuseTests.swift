import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Flags as a censor would use them (issue 10, High 2): one person with a visitor's flag and
/// throwaway accounts must not hide a petition nor stop its signatures. Only confirmed
/// accounts old enough count toward a hold, as many as the petition's audience asks; a
/// petition held so leaves the lists but stays signable until a moderator decides.
@Suite struct FlagAbuseTests {
    let topology = TestEnvironment.isolatedTopology()

    /// An open petition, published by a moderator; returns its id and its moderation item's id.
    private func openPetition(_ rpc: RPCClient, _ probe: Probe) async throws -> (petition: UUID, item: UUID) {
        let petition = try await rpc.request(CreatePetition(
            title: "Le TER du soir", text: Samples.clean, reasons: "Les habitants attendent une réponse depuis des années."
        ))
        try await eventually("the petition's moderation item") {
            try await probe.int("SELECT count(*)::int8 FROM moderation.items WHERE content_id = \(petition.id)") == 1
        }
        let itemID = try #require(
            try await probe.texts("SELECT id::text FROM moderation.items WHERE content_id = \(petition.id)").first?.flatMap(UUID.init(uuidString:))
        )
        let item = try await rpc.request(GetModerationItem(itemID: itemID)).summary
        _ = try await rpc.request(DecideModeration(
            items: [ModerationItemRevision(itemID: itemID, revision: item.revision)], status: .published, reasonCode: nil, comment: nil,
            moderatorID: ModerationHarness.moderator.id, moderatorName: ModerationHarness.moderator.name
        ))
        try await eventually("the petition opened") { try await state(petition.id, probe) == "open/true/false" }
        return (petition.id, itemID)
    }

    /// "status/visible/held_by_flags" of the petition in its owner service.
    private func state(_ petition: UUID, _ probe: Probe) async throws -> String? {
        try await probe.texts(
            "SELECT status || '/' || visible::text || '/' || held_by_flags::text FROM petitions.petitions WHERE id = \(petition)"
        ).first ?? nil
    }

    private func flag(_ rpc: RPCClient, _ petition: UUID, by reporter: Reporter, audience: Int? = nil) async throws {
        let outcome = try await rpc.request(FlagContent(
            contentType: .petition, contentID: petition, reporterKey: reporter.key, reasonCode: "autre", comment: "À retirer.",
            reporter: reporter.reporter, audience: audience
        ), timeout: .seconds(30))
        #expect(outcome.recorded)
    }

    /// Signs as a signed-in citizen with a confirmed address (counted at once).
    private func sign(_ petition: UUID, _ commands: AMQPPublisher) async throws {
        try await commands.publish(try OutgoingMessage(
            command: SignPetition(
                petitionID: petition, name: "Camille Martin", email: "camille.\(UUID().uuidString.prefix(8))@example.fr", postcode: "80000",
                signedAt: Date(), confirmedAccountID: UUID()
            ),
            topology: topology
        ))
    }

    private func listed(_ petition: UUID, _ rpc: RPCClient) async throws -> Bool {
        try await rpc.request(ListPetitions(), timeout: .seconds(30)).items.contains { $0.id == petition }
    }

    @Test func aVisitorsFlagAndThrowawayAccountsLeaveThePetitionVisibleAndSignable() async throws {
        try await withPetitionsAndModeration(topology: topology) { rpc, commands, probe in
            // setup
            let (petition, itemID) = try await openPetition(rpc, probe)

            // act: the attack of the review (a visitor's flag and two accounts made for it),
            // then eight more unconfirmed accounts: numbers of them change nothing
            let visitor = Reporter.visitor()
            let throwaways = (0..<10).map { _ in Reporter.account(confirmed: false, createdDaysAgo: 0) }
            try await flag(rpc, petition, by: visitor)
            for account in throwaways { try await flag(rpc, petition, by: account) }
            try await sign(petition, commands)

            // check: still shown, listed and signable; the flags are in the queue for a moderator
            try await eventually("the signature counted") { try await probe.signatureCount(petition) == 1 }
            #expect(try await state(petition, probe) == "open/true/false")
            #expect(try await listed(petition, rpc))
            #expect(try await rpc.request(GetPetition(petitionID: petition)).visible)
            let item = try await rpc.request(GetModerationItem(itemID: itemID))
            #expect(item.summary.visible)
            #expect(item.summary.status == .pending)
            #expect(item.heldByFlags == false)
            #expect(item.summary.flagCount == 11)
            #expect(item.flagTally == ModerationFlagTally(counting: 0, required: 5, audience: nil))
            #expect(item.flags.allSatisfy { !$0.counts })
            let queue = try await rpc.request(ListModerationItems(contentType: .petition, flaggedOnly: true))
            #expect(queue.items.map(\.id) == [itemID])
            // one move into the queue, still visible, by the rule: never a hold
            let rules = try await probe.texts("SELECT coalesce(rule, '-') FROM moderation.decisions WHERE item_id = \(itemID) ORDER BY sequence")
            #expect(rules == ["pre_moderation", "-", "flags_review"])

            // check: the moderator sees who flagged
            let byKey = Dictionary(uniqueKeysWithValues: item.flags.map { ($0.reporterKey, $0) })
            let visitorFlag = try #require(byKey[visitor.key])
            #expect(visitorFlag.reporterKind == .visitor)
            #expect(visitorFlag.accountID == nil)
            #expect(visitorFlag.accountCreatedAt == nil)
            let throwawayFlag = try #require(byKey[throwaways[0].key])
            #expect(throwawayFlag.reporterKind == .unconfirmedAccount)
            #expect(throwawayFlag.accountID == throwaways[0].accountID)
            let created = try #require(throwawayFlag.accountCreatedAt)
            #expect(abs(created.timeIntervalSince(throwaways[0].reporter.accountCreatedAt!)) < 1)
        }
    }

    @Test func youngConfirmedAccountsDoNotHideAPetition() async throws {
        try await withPetitionsAndModeration(topology: topology) { rpc, commands, probe in
            // setup
            let (petition, itemID) = try await openPetition(rpc, probe)

            // act: three, then six confirmed accounts a day old (the minimum is 7 days)
            for _ in 0..<6 { try await flag(rpc, petition, by: .account(confirmed: true, createdDaysAgo: 1)) }
            try await sign(petition, commands)

            // check
            try await eventually("the signature counted") { try await probe.signatureCount(petition) == 1 }
            #expect(try await state(petition, probe) == "open/true/false")
            #expect(try await listed(petition, rpc))
            let item = try await rpc.request(GetModerationItem(itemID: itemID))
            #expect(item.summary.visible)
            #expect(item.flagTally.counting == 0)
            #expect(item.flags.allSatisfy { $0.reporterKind == .confirmedAccount && !$0.counts })
        }
    }

    @Test func enoughOldConfirmedAccountsTakeThePetitionOutOfTheListsButItStaysSignable() async throws {
        try await withPetitionsAndModeration(topology: topology) { rpc, commands, probe in
            // setup
            let (petition, itemID) = try await openPetition(rpc, probe)

            // act: four trusted accounts, then a fifth (the petitions' default is 5)
            for _ in 0..<4 { try await flag(rpc, petition, by: .trusted()) }
            let afterFour = try await rpc.request(GetModerationItem(itemID: itemID))
            try await flag(rpc, petition, by: .trusted())

            // check: held by the flags rule; the petition leaves the lists, its page and signing go on
            #expect(afterFour.summary.visible)
            #expect(afterFour.flagTally == ModerationFlagTally(counting: 4, required: 5, audience: nil))
            let held = try await rpc.request(GetModerationItem(itemID: itemID))
            #expect(held.summary.visible == false)
            #expect(held.heldByFlags)
            #expect(held.history.last?.decidedBy == "Règle automatique : masqué après signalements")
            try await eventually("the petition held by flags") { try await state(petition, probe) == "open/true/true" }
            #expect(try await listed(petition, rpc) == false)
            #expect(try await rpc.request(GetPetition(petitionID: petition)).id == petition)
            try await sign(petition, commands)
            try await eventually("the signature counted while held") { try await probe.signatureCount(petition) == 1 }

            // act: a moderator keeps it published
            _ = try await rpc.request(DecideModeration(
                items: [ModerationItemRevision(itemID: itemID, revision: held.summary.revision)], status: .published, reasonCode: nil,
                comment: nil, moderatorID: ModerationHarness.moderator.id, moderatorName: ModerationHarness.moderator.name
            ))

            // check: listed again; the earlier flags no longer count, a new one does not hold it
            try await eventually("the petition listed again") { try await state(petition, probe) == "open/true/false" }
            #expect(try await listed(petition, rpc))
            try await flag(rpc, petition, by: .trusted())
            let reviewed = try await rpc.request(GetModerationItem(itemID: itemID))
            #expect(reviewed.summary.visible)
            #expect(reviewed.flagTally.counting == 1)
        }
    }

    @Test func aModeratorsHidingStillStopsSignatures() async throws {
        try await withPetitionsAndModeration(topology: topology) { rpc, commands, probe in
            // setup: held by flags, then rejected by a moderator
            let (petition, itemID) = try await openPetition(rpc, probe)
            for _ in 0..<5 { try await flag(rpc, petition, by: .trusted()) }
            let held = try await rpc.request(GetModerationItem(itemID: itemID)).summary
            _ = try await rpc.request(DecideModeration(
                items: [ModerationItemRevision(itemID: itemID, revision: held.revision)], status: .rejected, reasonCode: "propos_injurieux",
                comment: nil, moderatorID: ModerationHarness.moderator.id, moderatorName: ModerationHarness.moderator.name
            ))

            // act
            try await eventually("the petition hidden by the moderator") { try await state(petition, probe) == "open/false/false" }
            try await sign(petition, commands)

            // check: refused for good (dead-lettered), not counted
            try await eventually("the signature refused") {
                try await BrokerAdmin.messageCount(
                    queue: topology.deadLetterQueue(of: topology.commandsQueue("petitions")), settings: TestEnvironment.amqp
                ) == 1
            }
            #expect(try await probe.signatureCount(petition) == 0)
        }
    }

    @Test func theFlagsNeededGrowWithTheAudience() async throws {
        try await withModerationWorker { harness in
            // setup: a published forum post (3 flags hold one), read by 1,000 people: 3 + 1000 / 100
            try await harness.setPolicy(.forumPost, mode: "post", flagsToHold: 3, audiencePerExtraFlag: 100)
            let post = try await harness.submit(ForumPostSubmitted.self, text: Samples.clean)
            let itemID = try await harness.itemID(of: post)

            // act
            for _ in 0..<12 { try await harness.flag(post, by: .trusted(), audience: 1_000) }
            let afterTwelve = try await harness.rpc.request(GetModerationItem(itemID: itemID))
            try await harness.flag(post, by: .trusted(), audience: 1_000)

            // check
            #expect(afterTwelve.summary.visible)
            #expect(afterTwelve.flagTally == ModerationFlagTally(counting: 12, required: 13, audience: 1_000))
            #expect(try await harness.rpc.request(GetModerationItem(itemID: itemID)).summary.visible == false)
        }
    }

    @Test func flagsNeverHideATypeWhosePolicySaysZero() async throws {
        try await withModerationWorker { harness in
            // setup
            try await harness.setPolicy(.forumPost, mode: "post", flagsToHold: 0)
            let post = try await harness.submit(ForumPostSubmitted.self, text: Samples.clean)
            let itemID = try await harness.itemID(of: post)

            // act
            for _ in 0..<4 { try await harness.flag(post, by: .trusted()) }

            // check: in the queue, still shown
            let item = try await harness.rpc.request(GetModerationItem(itemID: itemID))
            #expect(item.summary.visible)
            #expect(item.summary.status == .pending)
            #expect(item.flagTally == ModerationFlagTally(counting: 4, required: nil, audience: nil))
        }
    }

    @Test func aFlagOfTheFirstVersionIsRecordedButNeverCounts() async throws {
        try await withModerationWorker { harness in
            // setup: a flag as a gateway of before this change sends it (no reporter, version 1)
            try await harness.setPolicy(.forumPost, mode: "post", flagsToHold: 1)
            let post = try await harness.submit(ForumPostSubmitted.self, text: Samples.clean)
            let itemID = try await harness.itemID(of: post)
            struct FirstVersionFlag: Encodable {
                let contentType: ContentType
                let contentID: UUID
                let reporterKey: String
                let reasonCode: String
            }
            let body = try MessageCoding.encode(FirstVersionFlag(
                contentType: .forumPost, contentID: post, reporterKey: "account:" + UUID().uuidString.lowercased(), reasonCode: "spam"
            ))

            // act
            let reply = try await harness.rpc.client.call(
                service: ServiceName.moderation.rawValue, type: FlagContent.messageType, body: body, timeout: .seconds(30),
                headers: [EnvelopeHeader.schemaVersion: .int(1)]
            )

            // check: read and recorded, as a signal only
            #expect(try MessageCoding.decode(FlagOutcome.self, from: reply.body) == FlagOutcome(recorded: true))
            let item = try await harness.rpc.request(GetModerationItem(itemID: itemID))
            #expect(item.summary.visible)
            #expect(item.flags.map(\.reporterKind) == [.unknown])
            #expect(item.flagTally.counting == 0)
        }
    }
}
