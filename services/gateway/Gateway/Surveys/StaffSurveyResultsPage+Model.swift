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

/// A count as published: the number, or « < 10 » for a small one (masked ones look alike).
struct ResultsCell {
    let text: String
    /// The share, in French (« 42,5 % »), when the count and its total are both shown.
    let percentage: String?

    init(_ count: PublishedCount, rule: SmallCellRule, percentage: Double?) {
        text = count.shownValue.map(String.init) ?? count.frenchLabel(rule: rule) ?? ""
        self.percentage = count.isHidden ? nil : percentage.map(ResultsNumber.percent)
    }
}

/// A line of a question's table: a value, its count and share.
struct ResultsLine {
    let label: String
    let cell: ResultsCell
    /// The bar's width class (`bar-0` … `bar-100` by tens), for the inline chart; nil when hidden.
    let barClass: String?
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
    let grid: ResultsGrid?
    let summary: ResultsSummary?
    /// Why a summary is not shown (too few answers to publish one).
    let summaryWithheld: String?
    let isText: Bool
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

/// `/admin/enquetes/{id}/resultats`.
struct SurveyResultsPage {
    let id: String
    let title: String
    let errors: ErrorSummary?
    let filters: [ResultsSelect]
    let rowsSelect: ResultsSelect
    let columnsSelect: ResultsSelect
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
