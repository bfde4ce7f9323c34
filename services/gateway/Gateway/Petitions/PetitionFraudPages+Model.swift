import DialogueContracts
import Foundation
import ServiceKit

/// `/admin/petitions/{id}/fraude`: the signatures held for review by source with their
/// decision forms, the fastest sources of the last hour, the invalidation form and its
/// preview, past invalidations, and the block list with its form.
struct PetitionFraudPage {
    /// A decision on held signatures sent back with an error.
    struct HeldForm {
        let source: HeldSignatureSource
        let reason: String
    }

    struct HeldRow {
        let network: String
        let networkLabel: String
        let agent: String
        let agentLabel: String
        let signatures: Int
        let confirmed: Int
        let rules: String
        let first: String
        let last: String
        let fieldID: String
        let reason: String
        let reasonError: String?
    }

    struct HeldDecision {
        let at: String
        let by: String
        let source: String
        let released: Bool
        let signatures: Int
        let counted: Int
        let reason: String
    }

    /// The id of the reason field of a source's row: stable across requests, so an error
    /// comes back next to the row it belongs to.
    static func heldFieldID(_ source: HeldSignatureSource) -> String {
        let network = (source.network ?? "inconnu").map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        return "retenue-\(network)-\(source.agent.rawValue)"
    }

    static func networkLabel(_ network: String?) -> String { network ?? "Adresse inconnue" }

    struct Source {
        let value: String
        let signatures: Int
        let last: String
        /// The preview of invalidating this source's signatures.
        let previewURL: String
    }

    struct PastInvalidation {
        let at: String
        let by: String
        let criteria: String
        let signatures: Int
        let counted: Int
        let reason: String
    }

    struct BlockedEntry {
        let kind: String
        let kindLabel: String
        let value: String
        let reason: String
        let by: String
        let at: String
    }

    /// What an invalidation with the typed criteria would remove, before it is confirmed.
    struct Preview {
        let signatures: Int
        let counted: Int
        let plural: Bool
        let countedPlural: Bool
        let none: Bool
        let address: String
        let domain: String
        let from: String
        let until: String
        let reason: String
        let reasonError: String?
    }

    let errors: ErrorSummary?
    let id: String
    let title: String
    let count: Int
    let lastHour: Int
    let pending: Int
    let invalidated: Int
    let addresses: [Source]
    let domains: [Source]
    let hasAddresses: Bool
    let hasDomains: Bool
    let invalidations: [PastInvalidation]
    let hasInvalidations: Bool
    let blockList: [BlockedEntry]
    let hasBlockList: Bool
    let ipField: FormField
    let domainField: FormField
    let fromField: FormField
    let untilField: FormField
    let preview: Preview?
    let kinds: [Choice]
    let blockValueField: FormField
    let blockReason: String?
    let blockReasonError: String?
    let heldTotal: Int
    let held: [HeldRow]
    let hasHeld: Bool
    let heldDecisions: [HeldDecision]
    let hasHeldDecisions: Bool

    init(
        petition: PetitionView, overview: FraudOverview, criteria: PetitionFraudPages.Criteria, errors: FormErrors,
        preview: InvalidationPreview?, blockForm: FormFields, heldForm: HeldForm? = nil
    ) {
        let slug = petition.id.uuidString.lowercased()
        func sources(_ list: [FraudOverview.Source], byAddress: Bool) -> [Source] {
            list.map { source in
                var criteria = PetitionFraudPages.Criteria()
                if byAddress { criteria.address = source.value } else { criteria.domain = source.value }
                return Source(
                    value: source.value, signatures: source.signatures, last: FrenchDate.dateTime(source.last),
                    previewURL: "/admin/petitions/\(slug)/fraude/apercu?\(criteria.query)"
                )
            }
        }
        self.errors = errors.summary
        id = slug
        title = petition.title
        count = petition.signatureCount
        lastHour = overview.lastHour
        pending = overview.pending
        invalidated = overview.invalidated
        addresses = sources(overview.addresses, byAddress: true)
        domains = sources(overview.domains, byAddress: false)
        hasAddresses = !overview.addresses.isEmpty
        hasDomains = !overview.domains.isEmpty
        invalidations = overview.invalidations.map { invalidation in
            let selection = invalidation.selection
            let criteria = [
                selection.clientAddress.map { "adresse \($0)" }, selection.emailDomain.map { "domaine \($0)" },
                selection.from.map { "du \(FrenchDate.dateTime($0))" }, selection.until.map { "au \(FrenchDate.dateTime($0))" },
            ].compactMap { $0 }.joined(separator: ", ")
            return PastInvalidation(
                at: FrenchDate.dateTime(invalidation.decidedAt), by: invalidation.decidedBy, criteria: criteria,
                signatures: invalidation.signatures, counted: invalidation.counted, reason: invalidation.reason
            )
        }
        hasInvalidations = !overview.invalidations.isEmpty
        blockList = overview.blockList.map { entry in
            BlockedEntry(
                kind: entry.kind.rawValue, kindLabel: PetitionFraudPages.kindLabel(entry.kind), value: entry.value, reason: entry.reason,
                by: entry.addedBy, at: FrenchDate.dateTime(entry.addedAt)
            )
        }
        hasBlockList = !overview.blockList.isEmpty
        ipField = FormField(
            name: "ip", label: "Adresse IP ou réseau", value: criteria.address, hint: "Par exemple 203.0.113.7 ou 203.0.113.0/24.", error: errors["ip"]
        )
        domainField = FormField(
            name: "domaine", label: "Domaine des adresses électroniques", value: criteria.domain, hint: "Par exemple exemple.fr.",
            error: errors["domaine"]
        )
        fromField = FormField(name: "du", label: "Signées à partir du (heure de Paris)", type: "datetime-local", value: criteria.from, error: errors["du"])
        untilField = FormField(name: "au", label: "Signées avant le (heure de Paris)", type: "datetime-local", value: criteria.until, error: errors["au"])
        self.preview = preview.map { preview in
            Preview(
                signatures: preview.signatures, counted: preview.counted, plural: preview.signatures > 1, countedPlural: preview.counted > 1,
                none: preview.signatures == 0, address: criteria.address, domain: criteria.domain, from: criteria.from, until: criteria.until,
                reason: criteria.reason, reasonError: errors["raison"]
            )
        }
        kinds = BlockListEntry.Kind.allCases.map { Choice(value: $0.rawValue, label: PetitionFraudPages.kindLabel($0), selected: blockForm["type"] == $0.rawValue) }
        blockValueField = FormField(
            name: "valeur", label: "Valeur à bloquer", value: blockForm["valeur"],
            hint: "Une adresse IP ou un réseau, un domaine, ou une adresse électronique.", error: errors["valeur"], required: true
        )
        blockReason = blockForm["motif"]
        blockReasonError = errors["motif"]
        heldTotal = overview.held.reduce(0) { $0 + $1.signatures }
        held = overview.held.map { group in
            let fieldID = Self.heldFieldID(group.source)
            return HeldRow(
                network: group.source.network ?? "", networkLabel: Self.networkLabel(group.source.network), agent: group.source.agent.rawValue,
                agentLabel: PetitionFraudPages.agentLabel(group.source.agent), signatures: group.signatures, confirmed: group.confirmed,
                rules: group.rules.map(PetitionFraudPages.ruleLabel).joined(separator: ", "),
                first: FrenchDate.dateTime(group.first), last: FrenchDate.dateTime(group.last), fieldID: fieldID,
                reason: heldForm.flatMap { $0.source == group.source ? $0.reason : nil } ?? "", reasonError: errors[fieldID]
            )
        }
        hasHeld = !overview.held.isEmpty
        heldDecisions = overview.heldReviews.map { review in
            HeldDecision(
                at: FrenchDate.dateTime(review.decidedAt), by: review.decidedBy,
                source: "\(Self.networkLabel(review.source.network)), \(PetitionFraudPages.agentLabel(review.source.agent))",
                released: review.decision == .release, signatures: review.signatures, counted: review.counted, reason: review.reason
            )
        }
        hasHeldDecisions = !overview.heldReviews.isEmpty
    }
}
