import DialogueContracts
import Foundation
import ServiceKit

/// `/admin/petitions/{id}/fraude`: the fastest sources of the last hour, the invalidation form
/// and its preview, past invalidations, and the block list with its form.
struct PetitionFraudPage {
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

    init(
        petition: PetitionView, overview: FraudOverview, criteria: PetitionFraudPages.Criteria, errors: FormErrors,
        preview: InvalidationPreview?, blockForm: FormFields
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
    }
}
