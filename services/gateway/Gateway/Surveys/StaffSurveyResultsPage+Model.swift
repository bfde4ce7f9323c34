import DialogueContracts
import Foundation
import SurveyStatistics

// What the staff results template (`admin-survey-results`) shows: the filter and breakdown
// form, each question's figures with small counts protected, and the protected cross-tab
// with its plain-French reading.

extension SurveyChannel {
    /// In French, as results and filters show it.
    var label: String {
        switch self {
        case .web: "En ligne"
        case .paper: "Questionnaire papier"
        case .inPerson: "En personne"
        }
    }
}

extension SurveyProfileField {
    /// In French, as filters and breakdowns name it.
    var label: String {
        switch self {
        case .departement: "Département"
        case .ageBand: "Tranche d'âge"
        case .occupation: "Situation"
        case .association: "Membre d'une association"
        }
    }
}

/// One choice of a `<select>`.
struct ResultsChoice {
    let value: String
    let label: String
    let selected: Bool
}

/// A `<select>` of the form, with its error next to it.
struct ResultsSelect {
    let name: String
    let label: String
    let choices: [ResultsChoice]
    let error: String?
}

/// One checkbox of a filter.
struct ResultsCheckbox {
    let id: String
    let value: String
    let label: String
    let checked: Bool
}

/// A filter's fieldset: tick several values to keep responses matching any of them.
struct ResultsCheckboxGroup {
    let name: String
    let legend: String
    let choices: [ResultsCheckbox]
    let error: String?
}

/// The words of the filter's sentence, after « Réponses des personnes … ».
enum FilterWording {
    static func ofPeople(_ band: SurveyAgeBand) -> String {
        switch band {
        case .under18: "de moins de 18 ans"
        case .from18To24: "de 18 à 24 ans"
        case .from25To34: "de 25 à 34 ans"
        case .from35To49: "de 35 à 49 ans"
        case .from50To64: "de 50 à 64 ans"
        case .from65: "de 65 ans et plus"
        }
    }

    static func ofPeople(_ occupation: SurveyOccupation) -> String {
        switch occupation {
        case .student: "élèves ou étudiantes"
        case .employed: "salariées"
        case .selfEmployed: "indépendantes ou cheffes d'entreprise"
        case .jobSeeker: "en recherche d'emploi"
        case .retired: "retraitées"
        case .other: "dans une autre situation"
        }
    }

    static func ofPeople(_ membership: SurveyAssociationMembership) -> String {
        switch membership {
        case .member: "membres d'une association"
        case .notMember: "sans association"
        }
    }

    /// The preposition and the place, so that places sharing a preposition say it once.
    static func place(_ departement: SurveyDepartement) -> (preposition: String, place: String) {
        switch departement {
        case .aisne: ("dans", "l'Aisne")
        case .nord: ("dans", "le Nord")
        case .oise: ("dans", "l'Oise")
        case .pasDeCalais: ("dans", "le Pas-de-Calais")
        case .somme: ("dans", "la Somme")
        case .outsideRegion: ("hors", "des Hauts-de-France")
        }
    }

    /// After « reçues ».
    static func received(_ channel: SurveyChannel) -> String {
        switch channel {
        case .web: "en ligne"
        case .paper: "sur papier"
        case .inPerson: "en personne"
        }
    }
}

/// A count as published: the number, or « < 10 » for a small one (masked ones look alike).
struct ResultsCell {
    let text: String
    /// The share, in French (« 42,5 % »), when the count and its total are both shown.
    let percentage: String?

    /// The share as a number, for charts; nil whenever `percentage` is.
    let percentageValue: Double?
    let isHidden: Bool

    init(_ count: PublishedCount, rule: SmallCellRule, percentage: Double?) {
        text = count.shownValue.map(String.init) ?? count.frenchLabel(rule: rule) ?? ""
        isHidden = count.isHidden
        percentageValue = count.isHidden ? nil : percentage
        self.percentage = percentageValue.map(ResultsNumber.percent)
    }
}

/// A line of a question's table: a value, its count and share.
struct ResultsLine {
    let label: String
    let cell: ResultsCell

    /// The line as its chart draws it: a bar as long as its share, or a dashed frame when the
    /// count or its share is not published, with what the table says written beside it.
    var chartBar: SurveyResultsChart.Bar {
        let share = cell.percentageValue
        let text =
            switch (cell.isHidden, cell.percentage) {
            case (true, _): "\(cell.text) : nombre non publié"
            case (false, let percentage?): "\(cell.text) (\(percentage))"
            case (false, nil): "\(cell.text), part non publiée"
            }
        return SurveyResultsChart.Bar(label: label, share: cell.isHidden ? nil : share, text: text)
    }
}

/// A grid (matrix rows × points, ranking options × positions): header labels and protected cells.
struct ResultsGrid {
    struct Row {
        let label: String
        let cells: [ResultsCell]
        let extra: String?
    }

    let columns: [String]
    let extraHeader: String?
    let rows: [Row]
}

extension ResultsGrid.Row {
    /// The row as its stacked chart draws it: its shares, or a dashed frame as soon as one of
    /// its counts is not published, with the row's figures written beside it.
    func chartRow(columns: [String]) -> SurveyResultsChart.StackedRow {
        let shares = cells.map(\.percentageValue)
        guard !cells.contains(where: \.isHidden), shares.allSatisfy({ $0 != nil }) else {
            return SurveyResultsChart.StackedRow(label: label, shares: nil, text: "ligne en partie non publiée (voir le tableau)")
        }
        let text = zip(columns, cells).map { column, cell in "\(column) : " + (cell.percentage.map { "\(cell.text) (\($0))" } ?? cell.text) }
            .joined(separator: ", ")
        return SurveyResultsChart.StackedRow(label: label, shares: shares.compactMap { $0 }, text: text)
    }
}

/// The median and quartiles of a number, scale or matrix row.
struct ResultsSummary {
    let count: Int
    let minimum: String
    let lowerQuartile: String
    let median: String
    let upperQuartile: String
    let maximum: String
    let mean: String

    init(_ summary: SurveyNumberSummary) {
        count = summary.count
        minimum = ResultsNumber.decimal(summary.minimum)
        lowerQuartile = ResultsNumber.decimal(summary.lowerQuartile)
        median = ResultsNumber.decimal(summary.median)
        upperQuartile = ResultsNumber.decimal(summary.upperQuartile)
        maximum = ResultsNumber.decimal(summary.maximum)
        mean = ResultsNumber.decimal(summary.mean)
    }
}

/// One question's figures.
struct ResultsQuestion {
    let id: String
    let prompt: String
    let typeLabel: String
    let answered: String
    let lines: [ResultsLine]
    let hasLines: Bool
    /// The inline SVG of the lines (`SurveyResultsChart.bars`), escaped there.
    let chart: String?
    let grid: ResultsGrid?
    /// The inline SVG of the grid, one stacked bar per row (`SurveyResultsChart.stackedBars`).
    let gridChart: String?
    /// The inline SVG box plot of a number or scale, when its summary is published.
    let distribution: String?
    let summary: ResultsSummary?
    /// Why a summary is not shown (too few answers to publish one).
    let summaryWithheld: String?
    let isText: Bool
    /// The texts moderation published, a page at a time (the public page shows them here).
    var texts: FreeTextQuestion? = nil
}

/// The protected cross-tab and its reading.
struct ResultsBreakdown {
    struct Row {
        let label: String
        let cells: [Cell]
        let total: String
    }

    struct Cell {
        let count: String
        let rowPercentage: String?
        let columnPercentage: String?
    }

    let caption: String
    let rowHeader: String
    let columns: [String]
    let rows: [Row]
    let columnTotals: [String]
    let grandTotal: String
    let legend: String
    let verdict: String
    let evidence: String?
    let effectSize: String?
    let cautions: [String]
    let method: String?
    let pValue: String?
    let cramersV: String?
    let figuresWithheld: Bool
}

/// « Tous les croisements » of one question.
struct ResultsSweepSection {
    /// The question's prompt.
    let question: String
    let table: ResultsSweep
}

/// `/admin/enquetes/{id}/resultats`.
struct SurveyResultsPage {
    let id: String
    let title: String
    let errors: ErrorSummary?
    let filters: [ResultsCheckboxGroup]
    let rowsSelect: ResultsSelect
    let columnsSelect: ResultsSelect
    let sweepSelect: ResultsSelect
    let sweep: ResultsSweepSection?
    let filterDescription: String
    let responseCount: String?
    let questions: [ResultsQuestion]
    let hasResults: Bool
    let breakdown: ResultsBreakdown?
    let legend: String
}

/// Numbers written the French way for the results page.
enum ResultsNumber {
    static func decimal(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.2f", rounded).replacingOccurrences(of: ".", with: ",")
            .replacingOccurrences(of: #"0$"#, with: "", options: .regularExpression)
    }

    /// « 42,5 % » for 42.46.
    static func percent(_ value: Double) -> String {
        String(format: "%.1f", value).replacingOccurrences(of: ".", with: ",") + "\u{202F}%"
    }

    static func pValue(_ value: Double) -> String {
        value < 0.001 ? "< 0,001" : String(format: "%.3f", value).replacingOccurrences(of: ".", with: ",")
    }
}
