import DialogueContracts
import Foundation
import ServiceKit
import Wording

// What the staff petition templates (`admin-petition` and its lifecycle partial,
// `admin-petition-settings`) show.

/// `/admin/petitions/{id}`: the petition's facts and counts, its paper batches and the form to
/// add one, and its lifecycle.
struct StaffPetitionPage {
    struct Batch {
        let count: Int
        let day: String
        let place: String
        let names: String
        let by: String
        let at: String
    }

    let errors: ErrorSummary?
    let id: String
    let title: String
    let author: String
    let status: String
    let visible: Bool
    /// Moderation's decision and its reason.
    let moderation: String
    let count: Int
    let online: Int
    let paper: Int
    let threshold: Int
    let batches: [Batch]
    let hasBatches: Bool
    let canControlFraud: Bool
    let countField: FormField
    let dayField: FormField
    let placeField: FormField
    let names: String?
    let namesError: String?
    let lifecycle: PetitionLifecycleSection

    init(
        _ view: StaffPetitionView, errors: ErrorSummary?, canControlFraud: Bool, countField: FormField, dayField: FormField,
        placeField: FormField, names: String?, namesError: String?, lifecycle: PetitionLifecycleSection
    ) {
        let petition = view.petition
        self.errors = errors
        id = petition.id.uuidString.lowercased()
        title = petition.title
        author = view.authorName ?? "—"
        status = petition.status.label
        visible = petition.visible
        moderation = [view.moderationStatus.flatMap(ModerationStatus.init(rawValue:))?.frenchLabel, view.moderationReason]
            .compactMap { $0 }.joined(separator: " — ")
        count = petition.signatureCount
        online = petition.signatureCount - view.paperCount
        paper = view.paperCount
        threshold = petition.threshold
        batches = view.batches.map { batch in
            Batch(
                count: batch.count, day: PublicPetitionPages.frenchDay(batch.collectedOn), place: batch.place,
                names: batch.names.isEmpty ? "—" : "\(batch.names.count) noms", by: batch.enteredBy, at: FrenchDate.dateTime(batch.enteredAt)
            )
        }
        hasBatches = !view.batches.isEmpty
        self.canControlFraud = canControlFraud
        self.countField = countField
        self.dayField = dayField
        self.placeField = placeField
        self.names = names
        self.namesError = namesError
        self.lifecycle = lifecycle
    }
}

/// The lifecycle part of the staff page: what happened, and a form for each step allowed now.
struct PetitionLifecycleSection {
    struct Closing {
        let at: String
        let reason: String?
    }

    struct Change {
        let at: String
        let isoAt: String
        let from: String
        let to: String
        let by: String
        let note: String
    }

    struct ReferForm {
        let field: FormField
    }

    struct AnswerForm {
        struct Decision {
            let value: String
            let label: String
            let checked: Bool
        }

        let decisions: [Decision]
        let text: FormField
        let report: FormField
        let decisionError: String?
    }

    struct CloseForm {
        /// Closing before the end of the collection, which needs a reason.
        let early: Bool
        let field: FormField
    }

    let referredAt: String?
    let answer: PetitionAnswerSection?
    let closing: Closing?
    let history: [Change]
    let hasHistory: Bool
    let noAction: Bool
    var referForm: ReferForm?
    var answerForm: AnswerForm?
    var closeForm: CloseForm?

    init(_ lifecycle: PetitionLifecycleView, noAction: Bool) {
        referredAt = lifecycle.referredAt.map(FrenchDate.dateTime)
        answer = lifecycle.answer.map(PetitionAnswerSection.init)
        closing = lifecycle.closedAt.map { Closing(at: FrenchDate.dateTime($0), reason: lifecycle.closingReason) }
        history = lifecycle.history.map { change in
            Change(
                at: FrenchDate.dateTime(change.at), isoAt: change.at.ISO8601Format(), from: change.from.label,
                to: change.to.label, by: change.byName ?? "La plateforme", note: change.note ?? "—"
            )
        }
        hasHistory = !lifecycle.history.isEmpty
        self.noAction = noAction
    }
}

/// `/admin/reglages-petitions`: the rules new petitions open under.
struct PetitionSettingsPage {
    let errors: ErrorSummary?
    let thresholdField: FormField
    let daysField: FormField
    let milestonesField: FormField
}
