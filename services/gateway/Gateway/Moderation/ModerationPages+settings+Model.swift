import DialogueContracts
import Foundation
import Wording

// What the moderation log and settings templates (`admin-moderation-log`,
// `admin-moderation-settings`) show.

/// `/admin/moderation/journal`: one page of decisions, newest first.
struct ModerationLogPage {
    struct Entry {
        let itemID: String
        /// The item's title, or its type for content without one.
        let title: String
        let type: String
        let before: String
        let after: String
        let visibility: String
        let reason: String
        let comment: String
        let by: String
        let at: String
        let isoAt: String

        init(_ entry: ModerationDecisionLog.Entry) {
            let line = DecisionLine(entry.record)
            itemID = entry.record.itemID.uuidString.lowercased()
            title = entry.title ?? entry.contentType.frenchLabel
            type = entry.contentType.frenchLabel
            before = line.before
            after = line.after
            visibility = line.visibility
            reason = line.reason
            comment = line.comment
            by = line.by
            at = line.at
            isoAt = line.isoAt
        }
    }

    let entries: [Entry]
    let empty: Bool
    /// The query string (`?avant=…`) of the older decisions.
    let next: String?
    /// The newest decisions, when this page is not them.
    let first: String?
}

/// `/admin/moderation/reglages`: the rules per content type and the reasons, editable by administrators.
struct ModerationSettingsPage {
    struct Policy {
        /// The content type's code, which names the form's fields.
        let type: String
        let label: String
        let pre: Bool
        let post: Bool
        let holdScore: Int
        let flagsToHold: Int
        let flagAccountMinimumDays: Int
        let audiencePerExtraFlag: Int

        init(_ policy: ModerationPolicy) {
            type = policy.contentType.rawValue
            label = policy.contentType.frenchLabel
            pre = policy.mode == "pre"
            post = policy.mode == "post"
            holdScore = policy.holdScore
            flagsToHold = policy.flagsToHold
            flagAccountMinimumDays = policy.flagAccountMinimumDays
            audiencePerExtraFlag = policy.audiencePerExtraFlag
        }
    }

    struct Reason {
        let code: String
        let label: String
        /// What the reason is for, in words: a decision or a flag.
        let kind: String
        let active: Bool

        init(_ reason: ModerationReason) {
            code = reason.code
            label = reason.label
            kind = reason.kind == "flag" ? "Signalement" : "Décision"
            active = reason.active
        }
    }

    let errors: ErrorSummary?
    let canEdit: Bool
    let policies: [Policy]
    let reasons: [Reason]
}
