import DialogueContracts
import Foundation
import ServiceKit
import Wording

struct ConsultationListPage {
    struct Row {
        let id: String
        let title: String
        let question: String
        let status: String
        let isOpen: Bool
        let dates: String
        let counts: String

        init(_ view: ConsultationView) {
            id = view.id.uuidString.lowercased()
            title = view.definition.title
            question = view.definition.question
            status = view.status.label
            isOpen = view.status == .open
            dates = ConsultationDates(view.definition).summary
            counts = ContributionCounts(view).text
        }
    }

    let rows: [Row]
    let hasRows: Bool
}

/// « 3 témoignages et 1 proposition ».
struct ContributionCounts {
    let text: String

    init(_ view: ConsultationView) {
        func count(_ number: Int, _ one: String, _ many: String) -> String { number == 1 ? "1 \(one)" : "\(number) \(many)" }
        switch view.definition.accepted {
        case .testimonies: text = count(view.testimonyCount, "témoignage", "témoignages")
        case .proposals: text = count(view.proposalCount, "proposition", "propositions")
        case .both:
            text = count(view.testimonyCount, "témoignage", "témoignages") + " et " + count(view.proposalCount, "proposition", "propositions")
        }
    }
}

/// One contribution as the consultation's page shows it.
struct ContributionItem {
    let id: String
    let kind: String
    let theme: String
    let title: String
    let text: String
    let reasons: String?
    let commune: String?
    let author: String
    let date: String
    /// For the author's own list: where it stands.
    let state: String?
    let retained: Bool
    let isProposal: Bool
    let supports: String
    /// The support button: shown on others' published proposals of an open consultation, to a signed-in visitor.
    let canSupport: Bool
    let supported: Bool
    let consultationID: String

    /// The author's links to change or withdraw it (their own list only).
    let editLink: String?
    let withdrawLink: String?
    let withdrawalReason: String?
    /// What became of it (every published contribution shows its status).
    let answer: AnswerBlock?
    /// Its own page, once published.
    let link: String?
    /// « Recueillie lors de … » for a contribution gathered in person.
    let collected: String?
    /// Its image or PDF, once published.
    let attachment: AttachmentBlock?

    init(_ contribution: ContributionView, themes: [ConsultationTheme], showState: Bool = false, canSupport: Bool = false, isMine: Bool = false) {
        id = contribution.id.uuidString.lowercased()
        kind = contribution.kind.label
        theme = themes.first { $0.code == contribution.theme }?.shownLabel ?? contribution.theme
        title = contribution.title
        text = contribution.text
        reasons = contribution.reasons
        commune = contribution.commune
        author = contribution.authorName ?? "Anonyme"
        date = FrenchDate.day(contribution.publishedAt ?? contribution.createdAt)
        state = showState ? Self.stateLabel(contribution.state) : nil
        retained = contribution.moderationStatus == .retained
        isProposal = contribution.kind == .proposal
        supports = Self.supportsText(contribution)
        collected = contribution.collected?.publicLabel
        self.canSupport = canSupport && contribution.kind == .proposal && contribution.state == .published
        supported = contribution.supportedByViewer
        consultationID = contribution.consultationID.uuidString.lowercased()
        let path = "/contributions/\(contribution.id.uuidString.lowercased())"
        editLink = isMine && contribution.editable ? "\(path)/modifier" : nil
        withdrawLink = isMine && contribution.state != .withdrawn ? "\(path)/retirer" : nil
        withdrawalReason = isMine ? contribution.withdrawalReason : nil
        answer = contribution.state == .published ? AnswerBlock(contribution.answer) : nil
        link = contribution.state == .published ? SitePath.contribution(contribution.id).path : nil
        attachment = contribution.state == .published ? contribution.attachment.map { AttachmentBlock($0, contributionID: contribution.id) } : nil
    }

    /// « 3 soutiens », or with paper ones counted apart « 12 soutiens, dont 9 sur papier ».
    static func supportsText(_ contribution: ContributionView) -> String {
        let total = contribution.supportCount + contribution.paperSupportCount
        let text = total == 1 ? "1 soutien" : "\(total) soutiens"
        guard contribution.paperSupportCount > 0 else { return text }
        return text + ", dont \(contribution.paperSupportCount) sur papier"
    }

    static func stateLabel(_ state: ContributionState) -> String {
        switch state {
        case .inModeration: "En cours de modération"
        case .published: "Publiée"
        case .hidden: "Non publiée par la modération"
        case .withdrawn: "Retirée"
        }
    }
}

struct ConsultationPage {
    struct Theme {
        let label: String
    }

    let id: String
    let title: String
    let status: String
    let question: String
    let context: String?
    let use: String
    let opens: String
    let closes: String
    let extension_: String?
    let themes: [Theme]
    let counts: String
    let isOpen: Bool
    let closedMessage: String?
    let signedIn: Bool
    let acceptsTestimonies: Bool
    let acceptsProposals: Bool
    let contributions: [ContributionItem]
    let hasContributions: Bool
    let mine: [ContributionItem]
    let hasMine: Bool

    let themeChoices: [Choice]
    let kindChoices: [Choice]
    let orderChoices: [Choice]
    let answerChoices: [Choice]
    let balanceSheetLink: String
    let retainedOnly: Bool
    let showsKindFilter: Bool
    let totalText: String
    let previousPage: String?
    let nextPage: String?
    let pageText: String?

    init(_ view: ConsultationView, published: ContributionList, mine: [ContributionView], signedIn: Bool, filters: ContributionFilters) {
        let definition = view.definition
        id = view.id.uuidString.lowercased()
        title = definition.title
        status = view.status.label
        question = definition.question
        context = definition.context.isEmpty ? nil : definition.context
        use = definition.use
        let dates = ConsultationDates(definition)
        opens = dates.opens
        closes = dates.closes
        extension_ = dates.extension_
        themes = definition.themes.map { Theme(label: $0.shownLabel) }
        counts = ContributionCounts(view).text
        isOpen = view.status == .open
        closedMessage = switch view.status {
        case .upcoming: "Cette consultation ouvrira le \(dates.opens)."
        case .open: nil
        case .closed, .resultsPublished: "Cette consultation est close : elle ne reçoit plus de contributions."
        }
        self.signedIn = signedIn
        acceptsTestimonies = definition.accepted.accepts(.testimony)
        acceptsProposals = definition.accepted.accepts(.proposal)
        let own = Set(mine.map(\.id))
        contributions = published.items.map {
            ContributionItem($0, themes: definition.themes, canSupport: signedIn && view.status == .open && !own.contains($0.id))
        }
        hasContributions = !contributions.isEmpty
        self.mine = mine.map { ContributionItem($0, themes: definition.themes, showState: true, isMine: true) }
        hasMine = !mine.isEmpty
        themeChoices = [Choice(value: "", label: "Toutes", selected: filters.theme == nil)]
            + definition.themes.map { Choice(value: $0.code, label: $0.shownLabel, selected: $0.code == filters.theme) }
        kindChoices = [
            Choice(value: "", label: "Toutes", selected: filters.kind == nil),
            Choice(value: "temoignage", label: "Témoignages", selected: filters.kind == .testimony),
            Choice(value: "proposition", label: "Propositions", selected: filters.kind == .proposal),
        ]
        showsKindFilter = definition.accepted == .both
        orderChoices = [
            Choice(value: "hasard", label: "Au hasard (un ordre propre à chaque visiteur)", selected: filters.order == .random),
            Choice(value: "soutiens", label: "Les plus soutenues", selected: filters.order == .supports),
            Choice(value: "recentes", label: "Les plus récentes", selected: filters.order == .newest),
        ]
        answerChoices = [Choice(value: "", label: "Toutes", selected: filters.answerStatus == nil)]
            + ContributionAnswerStatus.allCases.map { Choice(value: AnswerFilter.name($0), label: $0.label, selected: $0 == filters.answerStatus) }
        balanceSheetLink = "/consultations/\(id)/bilan"
        retainedOnly = filters.retainedOnly
        totalText = published.total == 1 ? "1 contribution" : "\(published.total) contributions"
        let pages = max(1, (published.total + ContributionFilters.pageSize - 1) / ContributionFilters.pageSize)
        previousPage = filters.page > 1 ? "/consultations/\(id)?\(filters.query(page: filters.page - 1))#contributions" : nil
        nextPage = filters.page < pages ? "/consultations/\(id)?\(filters.query(page: filters.page + 1))#contributions" : nil
        pageText = pages > 1 ? "Page \(min(filters.page, pages)) sur \(pages)" : nil
    }
}

/// A published contribution's attachment: an image shown with its description as text
/// alternative, or a link to the PDF naming its type and size.
struct AttachmentBlock {
    let href: String
    let isImage: Bool
    /// The image's text alternative (required when it was attached).
    let alt: String
    /// « rapport.pdf (document PDF, 1,2 Mo) ».
    let label: String
    let description: String?

    init(_ attachment: ContributionAttachment, contributionID: UUID) {
        href = ContributionAttachmentPages.path(contributionID)
        isImage = attachment.type.isImage
        alt = attachment.description ?? ""
        label = "\(attachment.filename) (\(attachment.type.label), \(Self.size(attachment.byteCount)))"
        description = attachment.type.isImage ? nil : attachment.description
    }

    /// « 820 ko », « 1,2 Mo » (French decimal comma).
    static func size(_ bytes: Int) -> String {
        if bytes < 1024 * 1024 { return "\(max(1, (bytes + 1023) / 1024)) ko" }
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024)
        return tenths % 10 == 0 ? "\(tenths / 10) Mo" : "\(tenths / 10),\(tenths % 10) Mo"
    }
}
