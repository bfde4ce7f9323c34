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

    /// The citizens' flags, nil without any (the block then says so): who flagged, whether
    /// the flag counts toward an automatic hold, and the form to sanction the reporter.
    struct FlagList {
        struct Flag {
            let reason: String
            let comment: String?
            let at: String
            let isoAt: String
            /// Who flagged, in words: a visitor, an account (confirmed or not) and its age.
            let reporter: String
            /// The reporter's account id, for a flag from an account.
            let accountID: String?
            let counts: Bool
            let ignored: Bool
            /// What the sanction form sends: the reporter's opaque key.
            let reporterKey: String
            /// The row's number, which names its form's fields (ids stay unique on the page).
            let line: Int
            /// What the sanction button says: about an account, or a visitor's address.
            let sanctionTarget: String
            let sanctionError: String?
        }

        let items: [Flag]
        /// "2 signalements comptent sur 5 requis…", or that flags never hide this type.
        let tally: String

        init?(_ detail: ModerationItemDetail, errors: FormErrors, failedLine: Int?) {
            guard !detail.flags.isEmpty else { return nil }
            items = detail.flags.enumerated().map { line, flag in
                Flag(
                    reason: flag.reasonLabel, comment: flag.comment, at: FrenchDate.dateTime(flag.flaggedAt),
                    isoAt: flag.flaggedAt.ISO8601Format(), reporter: Self.reporter(flag), accountID: flag.accountID?.uuidString.lowercased(),
                    counts: flag.counts, ignored: flag.ignored, reporterKey: flag.reporterKey, line: line,
                    sanctionTarget: flag.accountID == nil ? "de ce signaleur" : "de ce compte",
                    sanctionError: line == failedLine ? errors["sanction-\(line)"] : nil
                )
            }
            let tally = detail.flagTally
            let counting = "\(tally.counting) signalement\(tally.counting > 1 ? "s comptent" : " compte") pour le masquage automatique"
            self.tally = if let required = tally.required {
                counting + " sur \(required) requis" + (tally.audience.map { " (public : \($0) personne\($0 > 1 ? "s" : ""))" } ?? "") + "."
            } else {
                counting + " : pour ce type de contenu, les signalements ne masquent jamais rien."
            }
        }

        /// "Compte confirmé, créé le 2 décembre 2026 à 10 h 00 (5 jours avant son signalement)".
        private static func reporter(_ flag: ModerationFlagView) -> String {
            guard let created = flag.accountCreatedAt else { return flag.reporterKind.frenchLabel }
            let days = Int(flag.flaggedAt.timeIntervalSince(created) / 86_400)
            let age = days < 1 ? "le jour même de son signalement" : "\(days) jour\(days > 1 ? "s" : "") avant son signalement"
            return "\(flag.reporterKind.frenchLabel), créé le \(FrenchDate.dateTime(created)) (\(age))"
        }
    }

    /// The sanctions of the item's reporters, oldest first (moderation's audit trail).
    struct SanctionLine {
        let action: String
        let reason: String
        let by: String
        let at: String
        let isoAt: String

        init(_ record: FlagSanctionRecord) {
            action = record.action.frenchLabel
            reason = record.reason
            by = record.moderatorName
            at = FrenchDate.dateTime(record.at)
            isoAt = record.at.ISO8601Format()
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
    let sanctions: [SanctionLine]
    let hasSanctions: Bool
    /// Says so when the flags rule hid the item, not a moderator (a petition so held stays signable).
    let heldByFlags: String?
    let history: [DecisionLine]
    let decisionForm: DecisionForm
    let conflicts: ConflictList?
    let author: Author?
}
