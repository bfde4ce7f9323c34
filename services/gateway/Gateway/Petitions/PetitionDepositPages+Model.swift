import DialogueContracts
import Foundation
import ServiceKit
import Wording

// What the deposit templates (`petition-new`, `petition-preview`, `petition-deposited`,
// `account-petitions`) show.

/// `/petitions/nouvelle`: the form, filled with the draft when it comes back.
struct PetitionDepositForm {
    let errors: ErrorSummary?
    let titleField: FormField
    let textField: FormField
    let reasonsField: FormField
    let themeError: String?
    let themes: [Choice]
}

/// The preview of a draft, exactly as its page will show it, with the petitions like it.
struct PetitionPreview {
    struct Similar {
        let id: String
        let title: String
        let status: String
        let count: String
        let plural: Bool
    }

    /// The draft as typed, carried in hidden fields to « Modifier » or « Déposer ».
    let title: String
    let text: String
    let reasons: String
    let themeCode: String
    let theme: String?
    let author: String
    /// What the petition's page will say once deposited.
    let status: String
    let body: PetitionText
    let hasSimilar: Bool
    let similar: [Similar]

    init(draft: PetitionDraft, author: String, similar: [PetitionView]) {
        title = draft.title
        text = draft.text
        reasons = draft.reasons
        themeCode = draft.theme ?? ""
        theme = PetitionTheme.label(of: draft.theme)
        self.author = author
        status = PetitionStatus.inModeration.label
        body = PetitionText(text: draft.text, reasons: draft.reasons)
        hasSimilar = !similar.isEmpty
        self.similar = similar.map { petition in
            Similar(
                id: petition.id.uuidString.lowercased(), title: petition.title, status: petition.status.label,
                count: petition.signatureCount.formatted(.number.locale(Locale(identifier: "fr_FR"))), plural: petition.signatureCount > 1
            )
        }
    }
}

/// The page after a deposit.
struct PetitionDeposited {
    let title: String
}

/// « Mes pétitions »: the author's petitions, with moderation's say on each.
struct AuthorPetitionsPage {
    struct Item {
        let title: String
        /// The public page, once published.
        let link: String?
        let createdAt: String
        let theme: String?
        let status: String
        /// Why moderation did not publish it (or hid it).
        let reason: String?
        let counted: Bool
        let count: String
        let threshold: String

        init(_ item: AuthorPetitionList.Item) {
            let petition = item.petition
            let published = petition.visible && petition.status != .inModeration
            title = petition.title
            link = published ? SitePath.petition(petition.id).path : nil
            createdAt = FrenchDate.day(petition.createdAt)
            theme = PetitionTheme.label(of: petition.theme)
            status = PetitionDepositPages.authorStatusLabel(petition)
            reason = petition.visible ? nil : item.moderationReason
            counted = published
            count = petition.signatureCount.formatted(.number.locale(Locale(identifier: "fr_FR")))
            threshold = petition.threshold.formatted(.number.locale(Locale(identifier: "fr_FR")))
        }
    }

    let items: [Item]
    let empty: Bool

    init(items: [Item]) {
        self.items = items
        self.empty = items.isEmpty
    }
}
