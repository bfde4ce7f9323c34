import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// A moderator sanctions flag abuse: a reporter's flags stop counting, past and future,
/// with an entry in moderation's audit trail; restoring them makes them count again.
@Suite struct FlagSanctionTests {
    private func sanction(
        _ harness: ModerationHarness, _ reporter: Reporter, _ action: FlagSanctionAction, reason: String = "Signale tout ce qui le contredit."
    ) async throws -> FlagSanctionOutcome {
        try await harness.rpc.request(SanctionFlagReporter(
            reporterKey: reporter.key, action: action, reason: reason, moderatorID: ModerationHarness.moderator.id,
            moderatorName: ModerationHarness.moderator.name
        ))
    }

    @Test func ignoringAReporterShowsWhatItsFlagsHidAndItsNextFlagsMoveNothing() async throws {
        try await withModerationWorker { harness in
            // setup: three trusted accounts hold a published forum post (3 flags hold one)
            let abuser = Reporter.trusted()
            let post = try await harness.submit(ForumPostSubmitted.self, text: Samples.clean)
            let itemID = try await harness.itemID(of: post)
            try await harness.flag(post, by: abuser)
            try await harness.flag(post, by: .trusted())
            try await harness.flag(post, by: .trusted())
            #expect(try await harness.rpc.request(GetModerationItem(itemID: itemID)).heldByFlags)

            // act
            let outcome = try await sanction(harness, abuser, .ignore)

            // check: shown again, still in the queue, the abuser's flag marked ignored
            #expect(outcome == FlagSanctionOutcome(flags: 1, itemsShownAgain: 1))
            let shown = try await harness.rpc.request(GetModerationItem(itemID: itemID))
            #expect(shown.summary.visible)
            #expect(shown.summary.status == .pending)
            #expect(shown.heldByFlags == false)
            #expect(shown.flagTally.counting == 2)
            let abuserFlag = try #require(shown.flags.first { $0.reporterKey == abuser.key })
            #expect(abuserFlag.ignored)
            #expect(abuserFlag.counts == false)
            #expect(shown.flags.filter(\.counts).count == 2)
            #expect(shown.flagSanctions.map(\.action) == [.ignore])
            #expect(shown.flagSanctions.first?.moderatorName == "Claire Moreau")
            #expect(shown.flagSanctions.first?.reason == "Signale tout ce qui le contredit.")
            let shownAgain = try #require(try await harness.decisionEvents(of: post).last)
            #expect(shownAgain.visible)
            #expect(shownAgain.rule == "flags_discounted")
            // the audit trail
            #expect(try await harness.probe.texts(
                "SELECT action || '|' || decided_by_name || '|' || decided_by::text FROM moderation.flag_sanctions WHERE reporter_key = \(abuser.key)"
            ) == ["ignore|Claire Moreau|\(ModerationHarness.moderator.id.uuidString.lowercased())"])

            // act: the abuser flags a post a moderator published
            let other = try await harness.submit(ForumPostSubmitted.self, text: Samples.cleanOther)
            let otherID = try await harness.itemID(of: other)
            _ = try await harness.decide([try await harness.item(of: other).summary], .published)
            let recorded = try await harness.flag(other, by: abuser)

            // check: recorded for the moderators, but not even back in the queue
            #expect(recorded)
            let untouched = try await harness.rpc.request(GetModerationItem(itemID: otherID))
            #expect(untouched.summary.status == .published)
            #expect(untouched.summary.visible)
            #expect(untouched.flags.map(\.ignored) == [true])
            #expect(try await harness.decisionEvents(of: other).map(\.status) == [.pending, .published])
        }
    }

    @Test func restoringAReporterMakesItsFlagsCountAgain() async throws {
        try await withModerationWorker { harness in
            // setup: held by three flags, one reporter ignored (shown again)
            let reporter = Reporter.trusted()
            let post = try await harness.submit(ForumPostSubmitted.self, text: Samples.clean)
            let itemID = try await harness.itemID(of: post)
            for flagger in [reporter, .trusted(), .trusted()] { try await harness.flag(post, by: flagger) }
            _ = try await sanction(harness, reporter, .ignore)
            #expect(try await harness.rpc.request(GetModerationItem(itemID: itemID)).summary.visible)

            // act
            let outcome = try await sanction(harness, reporter, .restore, reason: "Erreur de ma part.")

            // check: held again, both sanctions in the trail
            #expect(outcome == FlagSanctionOutcome(flags: 1, itemsShownAgain: 0))
            let held = try await harness.rpc.request(GetModerationItem(itemID: itemID))
            #expect(held.summary.visible == false)
            #expect(held.heldByFlags)
            #expect(held.flagSanctions.map(\.action) == [.ignore, .restore])
            #expect(held.flags.allSatisfy { !$0.ignored && $0.counts })
        }
    }

    @Test func aSanctionNeedsAReasonAndAReporterWhoFlagged() async throws {
        try await withModerationWorker { harness in
            // setup
            let reporter = Reporter.visitor()
            let post = try await harness.submit(ForumPostSubmitted.self, text: Samples.clean)
            _ = try await harness.itemID(of: post)
            try await harness.flag(post, by: reporter)

            // act
            let noReason = await #expect(throws: RequestFailure.self) { try await sanction(harness, reporter, .ignore, reason: " ") }
            let unknown = await #expect(throws: RequestFailure.self) { try await sanction(harness, .visitor(), .ignore) }

            // check: nothing recorded
            #expect(noReason?.code == .invalid)
            #expect(noReason?.field == "reason")
            #expect(unknown?.code == .notFound)
            #expect(unknown?.field == "reporter_key")
            #expect(try await harness.probe.int("SELECT count(*)::int8 FROM moderation.flag_sanctions") == 0)
            #expect(try await harness.probe.int("SELECT count(*)::int8 FROM moderation.ignored_flag_reporters") == 0)
        }
    }
}
