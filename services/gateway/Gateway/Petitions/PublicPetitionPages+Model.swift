import DialogueContracts
import Foundation
import ServiceKit
import Wording

// What the public petition templates (`petitions`, `petition` and its partials) show.

/// A petition's count against its threshold, as the list and the page draw it.
struct PetitionProgress {
    /// The count, written the French way (« 1 234 »).
    let count: String
    let threshold: String
    /// The `<progress>` element's value, capped at its maximum.
    let rawCount: Int
    let rawThreshold: Int
    let percent: Int
    let plural: Bool
    /// Signatures collected on paper, when there are any (page only).
    var paperCount: Int?

    init(_ petition: PetitionView, paperCount: Int? = nil) {
        let french = Locale(identifier: "fr_FR")
        count = petition.signatureCount.formatted(.number.locale(french))
        threshold = petition.threshold.formatted(.number.locale(french))
        rawCount = min(petition.signatureCount, petition.threshold)
        rawThreshold = petition.threshold
        percent = min(100, petition.signatureCount * 100 / max(petition.threshold, 1))
        plural = petition.signatureCount > 1
        self.paperCount = paperCount.flatMap { $0 > 0 ? $0 : nil }
    }
}

/// `/petitions`: the search form as sent, one page of results and the links to the others.
struct PetitionListPage {
    struct Item {
        let id: String
        let title: String
        let status: String
        let progress: PetitionProgress

        init(_ petition: PetitionView) {
            id = petition.id.uuidString.lowercased()
            title = petition.title
            status = petition.status.label
            progress = PetitionProgress(petition)
        }
    }

    let words: String?
    let openSelected: Bool
    let closedSelected: Bool
    let mostSigned: Bool
    let newest: Bool
    let closingSoon: Bool
    let total: Int
    let plural: Bool
    let empty: Bool
    let items: [Item]
    let previous: String?
    let next: String?
    let pageInfo: String?
}

/// A petition's text and reasons in paragraphs (the `petition-text` partial), for the public
/// page and the deposit's preview alike.
struct PetitionText {
    let paragraphs: [String]
    let reasonParagraphs: [String]
    let hasReasons: Bool

    init(text: String, reasons: String?) {
        paragraphs = Self.paragraphs(text)
        reasonParagraphs = Self.paragraphs(reasons ?? "")
        hasReasons = !reasonParagraphs.isEmpty
    }

    static func paragraphs(_ text: String) -> [String] {
        text.components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// The assembly's answer as the public and staff pages show it (the `petition-answer` partial).
struct PetitionAnswerSection {
    let decision: String
    let paragraphs: [String]
    let answeredAt: String
    let isoAnsweredAt: String
    let reportURL: String?

    init(_ answer: PetitionAnswer) {
        decision = answer.decision.frenchLabel
        paragraphs = PetitionText.paragraphs(answer.text)
        answeredAt = FrenchDate.day(answer.answeredAt)
        isoAnsweredAt = answer.answeredAt.ISO8601Format()
        reportURL = answer.reportURL
    }
}

/// `/petitions/{id}`: the petition, its progress, how to sign it, its figures.
struct PetitionPage {
    struct Link {
        let label: String
        let url: String
    }

    struct PlaceCount {
        let name: String
        let count: Int
    }

    struct DayCount {
        let day: String
        let count: Int
    }

    let id: String
    let title: String
    let theme: String?
    let author: String
    let status: String
    let openedAt: String?
    let closesAt: String?
    let referredAt: String?
    let shownNames: [String]
    let hasShownNames: Bool
    let answer: PetitionAnswerSection?
    let progress: PetitionProgress
    let signing: SigningSection
    let places: [PlaceCount]
    let chart: SignatureChart.Model?
    let days: [DayCount]
    let share: [Link]
    let figures: [Link]
    let body: PetitionText

    init(_ detail: PetitionDetail, signing: SigningSection, shareLinks: [Link]) {
        let petition = detail.petition
        let slug = petition.id.uuidString.lowercased()
        id = slug
        title = petition.title
        theme = PetitionTheme.label(of: petition.theme)
        author = detail.authorName ?? PetitionAuthor.anonymous
        status = petition.status.label
        openedAt = detail.openedAt.map(FrenchDate.day)
        closesAt = detail.closesAt.map(FrenchDate.day)
        referredAt = detail.referredAt.map(FrenchDate.day)
        shownNames = detail.shownNames ?? []
        hasShownNames = !shownNames.isEmpty
        answer = detail.answer.map(PetitionAnswerSection.init)
        progress = PetitionProgress(petition, paperCount: detail.paperCount)
        self.signing = signing
        places = detail.byPlace.map { place in
            PlaceCount(
                name: place.departement.flatMap { code in Region.departements[code].map { "\($0) (\(code))" } } ?? "Hors Hauts-de-France",
                count: place.count
            )
        }
        chart = SignatureChart(days: Array(detail.byDay.suffix(30))).model
        days = detail.byDay.suffix(30).reversed().map { DayCount(day: PublicPetitionPages.frenchDay($0.day), count: $0.count) }
        share = shareLinks
        figures = [
            Link(label: "Signatures par département (CSV)", url: "/petitions/\(slug)/departements.csv"),
            Link(label: "Signatures par jour (CSV)", url: "/petitions/\(slug)/jours.csv"),
            Link(label: "Tous les chiffres (JSON)", url: "/petitions/\(slug)/chiffres.json"),
        ]
        body = PetitionText(text: petition.text, reasons: petition.reasons)
    }
}

/// The signing section of a petition's page (the `petition-sign` partial): the form, or why
/// there is none.
struct SigningSection {
    /// The form as the `petition-sign` partial shows it.
    struct Form {
        let name: FormField
        /// Absent for a signed-in citizen, who signs with their account's address.
        let email: FormField?
        let postcode: FormField
        let consent: Bool
        let showName: Bool
        let wantsAnswer: Bool
        let accountEmail: String?
        let consentError: String?
        let errors: ErrorSummary?
    }

    var closed = false
    /// The day a signed-in citizen signed, when they already have.
    var alreadySigned: String?
    var pending = false
    var form: Form?
}

/// What became of a signature or its confirmation, with the way back to the petition.
struct SignatureResult {
    let heading: String
    let paragraphs: [String]
    let petitionID: String?
    let title: String?
}

/// The page of a mailed confirmation link: its button confirms (a GET never does).
struct SignatureConfirmationForm {
    let token: String
    let title: String?
}
