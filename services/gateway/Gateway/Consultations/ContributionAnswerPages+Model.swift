import DialogueContracts
import Foundation
import ServiceKit
import Wording

/// What became of a contribution, as its page and the consultation's list show it.
struct AnswerBlock {
    let status: String
    let isNotRetained: Bool
    let reason: String?
    let reportURL: String?
    let text: String?
    /// Named apart from the contribution's own `date`, which a template section would otherwise fall back to.
    let answeredOn: String?

    /// Every contribution has a status: « Reçue » until staff say otherwise.
    init(_ answer: ContributionAnswer?) {
        let answer = answer ?? ContributionAnswer(status: .received)
        status = answer.status.label
        isNotRetained = answer.status == .notRetained
        reason = answer.reason
        reportURL = answer.reportURL
        text = answer.text
        answeredOn = answer.answeredAt.map(FrenchDate.day)
    }
}

/// A published contribution's own page.
struct ContributionPage {
    let item: ContributionItem
    let answer: AnswerBlock
    let comments: CommentSection
    let consultationID: String
    let consultationTitle: String
    let signedIn: Bool
    let canSupport: Bool
    let balanceSheetLink: String
    /// The published recommendations that take it up, each linked (« reprise dans la recommandation n° … »).
    private(set) var citations: [Citation] = []
    private(set) var hasCitations = false

    struct Citation {
        let label: String
        let href: String
        let title: String
        let processTitle: String
        /// The council's decision on it, lower case, when there is one.
        let fate: String?
    }

    mutating func cite(_ recommendations: ContributionRecommendations) {
        citations = recommendations.items.map {
            Citation(
                label: $0.citationLabel, href: SitePath.recommendation($0.recommendationID).path, title: $0.title, processTitle: $0.processTitle,
                fate: $0.fate.map { $0.label.lowercased() }
            )
        }
        hasCitations = !citations.isEmpty
    }

    init(_ contribution: ContributionView, consultation: ConsultationView, signedIn: Bool, isMine: Bool, comments: CommentSection) {
        self.comments = comments
        let open = consultation.status == .open
        item = ContributionItem(contribution, themes: consultation.definition.themes, canSupport: signedIn && open && !isMine)
        canSupport = item.canSupport
        answer = AnswerBlock(contribution.answer)
        consultationID = consultation.id.uuidString.lowercased()
        consultationTitle = consultation.definition.title
        self.signedIn = signedIn
        balanceSheetLink = "/consultations/\(consultationID)/bilan"
    }
}

/// A consultation's public balance sheet.
struct BalanceSheetPage {
    struct Line {
        let label: String
        let collected: Int
        let published: Int
        let answered: Int
        let retained: Int
        /// The consultation's list filtered on this line, when there is one.
        let link: String?
    }

    struct StatusLine {
        let label: String
        let count: Int
        let link: String
    }

    struct Report {
        let title: String
        let link: String
        let reportURL: String
    }

    let id: String
    let title: String
    let summary: String
    let byKind: [Line]
    let byOrigin: [Line]
    let byTheme: [Line]
    let statuses: [StatusLine]
    let medianText: String
    let reports: [Report]
    let hasReports: Bool

    init(_ sheet: ConsultationBalanceSheet, consultation: ConsultationView) {
        id = consultation.id.uuidString.lowercased()
        title = consultation.definition.title
        let base = "/consultations/\(id)"
        func line(_ label: String, _ figures: ConsultationBalanceSheet.Figures, link: String? = nil) -> Line {
            Line(label: label, collected: figures.collected, published: figures.published, answered: figures.answered, retained: figures.retained, link: link)
        }
        let total = sheet.total
        // French: 0 and 1 take the singular.
        func plural(_ count: Int, _ one: String, _ many: String) -> String { count <= 1 ? "\(count) \(one)" : "\(count) \(many)" }
        summary = "\(plural(total.collected, "contribution recueillie", "contributions recueillies")), "
            + "\(plural(total.retained, "retenue", "retenues")), \(plural(total.answered, "a reçu une réponse", "ont reçu une réponse"))."
        byKind = [
            line("Témoignages", sheet.testimonies, link: "\(base)?type=temoignage#contributions"),
            line("Propositions", sheet.proposals, link: "\(base)?type=proposition#contributions"),
            line("Total", total),
        ]
        byOrigin = [line("En ligne", sheet.online), line("Recueillies en personne", sheet.inPerson)]
        byTheme = sheet.themes.map { figures in
            let label = consultation.definition.theme(figures.theme)?.shownLabel ?? figures.theme
            return line(label, figures.figures, link: "\(base)?thematique=\(figures.theme)#contributions")
        }
        statuses = sheet.statuses.map {
            StatusLine(label: $0.status.label, count: $0.count, link: "\(base)?suite=\(AnswerFilter.name($0.status))#contributions")
        }
        medianText = sheet.medianDaysToAnswer.map { days in
            days < 1 ? "moins d'un jour" : days < 1.5 ? "1 jour" : "\(Int(days.rounded())) jours"
        } ?? "aucune réponse pour l'instant"
        reports = sheet.reports.map {
            Report(title: $0.title, link: SitePath.contribution($0.contributionID).path, reportURL: $0.reportURL)
        }
        hasReports = !reports.isEmpty
    }
}

/// The « suite donnée » filter of the consultation's list, in the page's query (`suite`).
enum AnswerFilter {
    static func name(_ status: ContributionAnswerStatus) -> String {
        switch status {
        case .received: "recue"
        case .underStudy: "a-l-etude"
        case .retained: "retenue"
        case .notRetained: "non-retenue"
        case .inReport: "rapport"
        }
    }

    static func status(named name: String?) -> ContributionAnswerStatus? {
        ContributionAnswerStatus.allCases.first { Self.name($0) == name }
    }
}

/// Staff's list of a consultation's published contributions, to answer a selection.
struct StaffAnswersPage {
    static let pageSize = 50

    struct Row {
        let id: String
        let title: String
        let kind: String
        let theme: String
        let answer: String
        let link: String
        let checked: Bool
    }

    let id: String
    let title: String
    let errors: ErrorSummary?
    let rows: [Row]
    let hasRows: Bool
    let selectionError: String?
    let statusError: String?
    let statusChoices: [Choice]
    let filterChoices: [Choice]
    let reasonField: FormField
    let reportField: FormField
    let textField: FormField
    let totalText: String
    let previousPage: String?
    let nextPage: String?

    init(view: ConsultationView, listed: ContributionList, form: AnswerForm, errors: FormErrors, filter: ContributionAnswerStatus?, page: Int) {
        id = view.id.uuidString.lowercased()
        title = view.definition.title
        self.errors = errors.summary
        rows = listed.items.map { contribution in
            Row(
                id: contribution.id.uuidString.lowercased(), title: contribution.title, kind: contribution.kind.label,
                theme: view.definition.theme(contribution.theme)?.shownLabel ?? contribution.theme,
                answer: (contribution.answer?.status ?? .received).label, link: SitePath.contribution(contribution.id).path,
                checked: form.selected.contains(contribution.id)
            )
        }
        hasRows = !rows.isEmpty
        selectionError = errors["contributions"]
        statusError = errors["status"]
        statusChoices = ContributionAnswerStatus.allCases.map { Choice(value: $0.rawValue, label: $0.label, checked: $0 == form.status) }
        filterChoices = [Choice(value: "", label: "Toutes", selected: filter == nil)]
            + ContributionAnswerStatus.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == filter) }
        reasonField = FormField(
            name: "reason", label: "Raison (obligatoire pour « Non retenue »)", value: form.reason,
            hint: "Publique : expliquez en quelques phrases pourquoi (3 à 1 000 caractères).", error: errors["reason"], rows: 3
        )
        reportField = FormField(
            name: "report_url", label: "Lien du rapport (obligatoire pour « Intégrée à un rapport »)", type: "url", value: form.reportURL,
            hint: "L'adresse complète du rapport, commençant par https://.", error: errors["report_url"]
        )
        textField = FormField(
            name: "text", label: "Réponse publique (facultative)", value: form.text,
            hint: "Affichée sous chaque contribution choisie et envoyée à son auteur et à ceux qui la soutiennent (3 000 caractères au plus).",
            error: errors["text"], rows: 5
        )
        totalText = listed.total == 1 ? "1 contribution publiée" : "\(listed.total) contributions publiées"
        let pages = max(1, (listed.total + Self.pageSize - 1) / Self.pageSize)
        let query = filter.map { "suite=\($0.rawValue)&" } ?? ""
        previousPage = page > 1 ? "/admin/consultations/\(id)/contributions?\(query)page=\(page - 1)" : nil
        nextPage = page < pages ? "/admin/consultations/\(id)/contributions?\(query)page=\(page + 1)" : nil
    }
}
