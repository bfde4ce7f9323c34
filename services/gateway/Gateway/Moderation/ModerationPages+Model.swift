import DialogueContracts
import Foundation
import ServiceKit
import Wording

// What the moderation queue's templates (`admin-moderation`, `moderation-decision-fields`,
// `moderation-conflicts`) show; the item's page shows the same facts and forms.

/// An item in brief, as a row of the queue and the head of the item's page show it.
struct ModeratedItem {
    let id: String
    let type: String
    /// The title, or the start of the text for content without one.
    let title: String
    let excerpt: String
    let author: String
    let status: String
    let visible: Bool
    let score: Int
    /// `high`, `medium` or `low`: the score's colour.
    let scoreLevel: String
    let flags: Int
    let at: String
    let isoAt: String
    let revision: Int
    /// The value a decision form sends for this item: its id and the revision the moderator saw.
    let choice: String

    init(_ item: ModerationItemSummary) {
        id = item.id.uuidString.lowercased()
        type = item.contentType.frenchLabel
        title = item.title ?? String(item.excerpt.prefix(80))
        excerpt = item.excerpt
        author = item.authorName ?? "Anonyme"
        status = item.status.frenchLabel
        visible = item.visible
        score = item.score
        scoreLevel = item.score >= 60 ? "high" : item.score >= 30 ? "medium" : "low"
        flags = item.flagCount
        at = FrenchDate.dateTime(item.submittedAt)
        isoAt = item.submittedAt.ISO8601Format()
        revision = item.revision
        choice = "\(id):\(item.revision)"
    }
}

/// The decision, reason and comment fields (the `moderation-decision-fields` partial), shared
/// by the queue's bulk form and the item's form.
struct DecisionForm {
    let decisionChoices: [Choice]
    let reasonChoices: [Choice]
    /// The comment as typed, when the form comes back refused.
    let comment: String?
    let decisionError: String?
    let reasonError: String?

    /// The form as sent (`decision`, `motif`, `commentaire`), with the decision reasons still in use.
    init(_ form: FormFields, reasons: [ModerationReason], errors: FormErrors) {
        decisionChoices = [ModerationStatus.published, .retained, .notRetained, .rejected].map {
            Choice(value: $0.rawValue, label: $0.frenchLabel, checked: $0.rawValue == form["decision"])
        }
        reasonChoices = reasons.map { Choice(value: $0.code, label: $0.label, selected: $0.code == form["motif"]) }
        comment = form["commentaire"]
        decisionError = errors["decision"]
        reasonError = errors["motif"]
    }
}

/// The items someone else decided first (the `moderation-conflicts` partial).
struct ConflictList {
    struct Item {
        let id: String
        let title: String
        let status: String
        let by: String
        let at: String
    }

    let items: [Item]

    /// Nil without conflicts, so the block is not shown.
    init?(_ conflicts: [ModerationConflict]) {
        guard !conflicts.isEmpty else { return nil }
        items = conflicts.map { conflict in
            Item(
                id: conflict.itemID.uuidString.lowercased(), title: conflict.title, status: conflict.status.frenchLabel,
                by: conflict.decidedBy, at: FrenchDate.dateTime(conflict.decidedAt)
            )
        }
    }
}

/// `/admin/moderation`: the filters as sent, one page of the queue and the bulk decision form.
struct ModerationQueuePage {
    /// A queued item and whether the refused bulk form had selected it.
    struct Row {
        let item: ModeratedItem
        let checked: Bool
    }

    /// One of the filters, carried by the bulk form so a refusal comes back to the same queue.
    struct HiddenField {
        let name: String
        let value: String
    }

    let errors: ErrorSummary?
    let total: Int
    let plural: Bool
    let empty: Bool
    let items: [Row]
    let statusChoices: [Choice]
    let typeChoices: [Choice]
    let scoreChoices: [Choice]
    let waitingChoices: [Choice]
    let flaggedOnly: Bool
    let filterFields: [HiddenField]
    let decisionForm: DecisionForm
    let selectionError: String?
    /// The queue with these filters, where the bulk form comes back to.
    let returnPath: String
    let conflicts: ConflictList?
    /// How many decisions were saved when others were in conflict.
    let decided: String?
    let next: String?
    let first: String?
}
