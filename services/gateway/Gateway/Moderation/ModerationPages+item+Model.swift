import DialogueContracts
import Foundation
import ServiceKit
import Wording

// What an item's moderation page (`admin-moderation-item`) shows.

/// One decision on an item, as its history and the moderation log show it.
struct DecisionLine {
    let before: String
    let after: String
    let visibility: String
    /// Empty without a reason or comment (the cells stay empty).
    let reason: String
    let comment: String
    let by: String
    let at: String
    let isoAt: String

    init(_ record: ModerationDecisionRecord) {
        before = record.before?.frenchLabel ?? "—"
        after = record.after.frenchLabel
        visibility = record.visibleAfter ? "Visible" : "Masqué"
        reason = record.reasonLabel ?? ""
        comment = record.comment ?? ""
        by = record.decidedBy
        at = FrenchDate.dateTime(record.decidedAt)
        isoAt = record.decidedAt.ISO8601Format()
    }
}

/// `/admin/moderation/elements/{id}`: the item, its checks, flags and history, the decision
/// form, and the author's blocking form.
struct ModeratedItemPage {
    struct Finding {
        let rule: String
        let score: Int
        let reason: String
    }

    /// The citizens' flags, nil without any (the block then says so).
    struct FlagList {
        struct Flag {
            let reason: String
            let comment: String?
            let at: String
        }

        let items: [Flag]

        init?(_ flags: [ModerationFlagView]) {
            guard !flags.isEmpty else { return nil }
            items = flags.map { Flag(reason: $0.reasonLabel, comment: $0.comment, at: FrenchDate.dateTime($0.flaggedAt)) }
        }
    }

    /// The author's account, when the item has one: blocked already, or the form to block it.
    struct Author {
        let accountID: String
        let blocked: Bool
        let blockError: String?
    }

    let errors: ErrorSummary?
    let item: ModeratedItem
    /// The item's whole text (read inside the `item` section).
    let text: String
    /// The item on the public site: a path of this site only, so an item never links elsewhere.
    let publicPath: String?
    let findings: [Finding]
    let noFindings: Bool
    let flagList: FlagList?
    let history: [DecisionLine]
    let decisionForm: DecisionForm
    let conflicts: ConflictList?
    let author: Author?
}
