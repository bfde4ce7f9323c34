import DialogueContracts
import Foundation
import Testing
import TestSupport

/// Forum statements and comments on contributions have a policy row of their own (migration
/// 003), seen and changed in the back-office like the other types', and applied to what is
/// submitted without a mode of its own.
@Suite struct StatementAndCommentPolicyTests {
    @Test func everyContentTypeHasAPolicyRowStaffCanSee() async throws {
        try await withModerationWorker { harness in
            // act
            let settings = try await harness.rpc.request(GetModerationSettings())

            // check: one row per type, the two late types post-moderated like forum posts
            #expect(Set(settings.policies.map(\.contentType)) == Set(ContentType.allCases))
            for type in [ContentType.statement, .contributionComment] {
                #expect(settings.policies.first { $0.contentType == type } == ModerationPolicy(
                    contentType: type, mode: "post", holdScore: 60, flagsToHold: 3, flagAccountMinimumDays: 7, audiencePerExtraFlag: 100
                ))
            }
        }
    }

    @Test func aSubmittedStatementOrCommentIsPlacedByItsTypesPolicy() async throws {
        try await withModerationWorker { harness in
            // act: without a row both would be held before publication (the safe fallback)
            let statement = try await harness.submit(StatementSubmitted.self, text: "Il faut plus de trains le soir entre Amiens et Abbeville.")
            let comment = try await harness.submit(ContributionCommentSubmitted.self, text: Samples.clean)
            let statementItem = try await harness.item(of: statement)
            let commentItem = try await harness.item(of: comment)
            // staff then hold statements before publication: the next one follows the changed row
            try await harness.setPolicy(.statement, mode: "pre")
            let held = try await harness.submit(StatementSubmitted.self, text: "Le covoiturage mérite une prime régionale.")
            let heldItem = try await harness.item(of: held)

            // check
            #expect(statementItem.summary.visible && statementItem.summary.contentType == .statement)
            #expect(try await harness.decisionEvents(of: statement).map(\.rule) == ["post_moderation"])
            #expect(commentItem.summary.visible && commentItem.summary.contentType == .contributionComment)
            #expect(try await harness.decisionEvents(of: comment).map(\.rule) == ["post_moderation"])
            #expect(heldItem.summary.visible == false)
            #expect(try await harness.decisionEvents(of: held).map(\.rule) == ["pre_moderation"])
        }
    }
}
