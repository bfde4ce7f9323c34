import DialogueContracts
import Foundation
import SurveyStatistics

/// Each question's published figures, as the staff and the public results pages show them:
/// counts and shares with small counts protected (« < 10 », secondary suppression), grids of
/// matrices and rankings with their charts, numbers with median and quartiles. One place, so
/// that the public page can never publish a count the staff page would protect.
struct SurveyQuestionFigures {
    let rule: SmallCellRule

    func count(_ published: PublishedCount) -> String {
        published.shownValue.map(String.init) ?? published.frenchLabel(rule: rule) ?? ""
    }

    func questionModels(_ results: SurveyResults, definition: SurveyDefinition) -> [ResultsQuestion] {
        let questions = Dictionary(definition.orderedQuestions.map { ($0.question.id, $0.question) }, uniquingKeysWith: { first, _ in first })
        return results.questions.compactMap { figures in
            guard let question = questions[figures.questionID] else { return nil }
            return questionModel(figures, question)
        }
    }

    private func questionModel(_ figures: SurveyQuestionResults, _ question: SurveyQuestion) -> ResultsQuestion {
        var lines: [ResultsLine] = []
        var answered = PublishedCount.of(figures.answeredCount, rule: rule)
        var values = figures.counts.map { (label: StaffSurveyResultsPages.optionLabel($0.value, of: question), count: $0.count, percentage: Optional($0.percentage)) }
        if let other = figures.otherCount {
            let share = figures.answeredCount > 0 ? Double(other) * 100 / Double(figures.answeredCount) : nil
            values.append((label: "Autre", count: other, percentage: share))
        }
        if !values.isEmpty, let table = try? CrossTab(rowLabels: [question.id], columnLabels: values.map(\.label), counts: [values.map(\.count)]) {
            let protected = ProtectedCrossTab(table, rule: rule)
            if !answered.isHidden, protected.rowTotals[0].isHidden { answered = .masked }
            lines = values.enumerated().map { index, value in
                let published = protected.cells[0][index]
                let percentage = answered.isHidden ? nil : value.percentage
                return ResultsLine(label: value.label, cell: ResultsCell(published, rule: rule, percentage: percentage))
            }
        }
        let chart = SurveyResultsChart.bars(id: question.id, title: "\(question.prompt) : part de chaque réponse", bars: lines.map(\.chartBar))
        var grid: ResultsGrid?
        if case .matrix(let rows, let scale) = question.kind, !figures.rows.isEmpty {
            let points = Array(scale.minimum...scale.maximum).map(String.init)
            grid = protectedGrid(
                rowLabels: figures.rows.map { row in rows.first { $0.id == row.rowID }?.label ?? row.rowID }, columns: points,
                counts: figures.rows.map { row in points.map { point in row.counts.first { $0.value == point }?.count ?? 0 } },
                extraHeader: "Médiane",
                extra: figures.rows.map { row in
                    row.summary.flatMap { $0.count >= rule.minimumCount ? ResultsNumber.decimal($0.median) : nil } ?? "non publiée"
                }
            )
        }
        if case .ranking(let options, _) = question.kind, let positions = figures.ranks.map(\.countsByPosition.count).max(), positions > 0 {
            grid = protectedGrid(
                rowLabels: figures.ranks.map { rank in options.first { $0.id == rank.optionID }?.label ?? rank.optionID },
                columns: (1...positions).map { $0 == 1 ? "1re place" : "\($0)e place" },
                counts: figures.ranks.map { rank in (0..<positions).map { $0 < rank.countsByPosition.count ? rank.countsByPosition[$0] : 0 } },
                extraHeader: "Place moyenne",
                extra: figures.ranks.map { rank in
                    answered.isHidden ? "non publiée" : rank.meanPosition.map(ResultsNumber.decimal) ?? "—"
                }
            )
        }
        let gridChart = grid.flatMap { grid in
            SurveyResultsChart.stackedBars(
                id: "\(question.id)-grille", title: "\(question.prompt) : répartition de chaque ligne",
                columns: grid.columns.map(Self.shortColumn), rows: grid.rows.map { $0.chartRow(columns: grid.columns) },
                columnsMeaning: question.kind.type == .ranking ? "places" : "points de l'échelle"
            )
        }
        let summaryShown = figures.summary.flatMap { $0.count >= rule.minimumCount ? ResultsSummary($0) : nil }
        let distribution = summaryShown.flatMap { _ in figures.summary }.map { summary in
            SurveyResultsChart.boxPlot(
                id: "\(question.id)-distribution", title: "\(question.prompt) : distribution des réponses",
                .init(minimum: summary.minimum, lowerQuartile: summary.lowerQuartile, median: summary.median, upperQuartile: summary.upperQuartile, maximum: summary.maximum)
            )
        }
        let summaryWithheld = figures.summary != nil && summaryShown == nil
            ? "Moins de \(rule.minimumCount) réponses : la médiane et les quartiles ne sont pas publiés, ils pourraient désigner une personne." : nil
        return ResultsQuestion(
            id: question.id, prompt: question.prompt, typeLabel: question.kind.type.label,
            answered: count(answered),
            lines: lines, hasLines: !lines.isEmpty, chart: chart, grid: grid, gridChart: gridChart, distribution: distribution, summary: summaryShown, summaryWithheld: summaryWithheld,
            isText: [.shortText, .longText, .date].contains(question.kind.type)
        )
    }

    private func protectedGrid(rowLabels: [String], columns: [String], counts: [[Int]], extraHeader: String?, extra: [String]) -> ResultsGrid? {
        guard let table = try? CrossTab(rowLabels: rowLabels, columnLabels: columns, counts: counts) else { return nil }
        let protected = ProtectedCrossTab(table, rule: rule)
        return ResultsGrid(
            columns: columns, extraHeader: extraHeader,
            rows: rowLabels.indices.map { row in
                ResultsGrid.Row(
                    label: rowLabels[row],
                    cells: protected.cells[row].enumerated().map { column, cell in
                        ResultsCell(cell, rule: rule, percentage: protected.rowPercentages[row][column])
                    },
                    extra: extra.indices.contains(row) ? extra[row] : nil
                )
            }
        )
    }

    /// A column as written in a segment: « 1re place » → « 1 », a scale point as it is.
    static func shortColumn(_ column: String) -> String {
        column.prefix { $0.isNumber }.isEmpty ? column : String(column.prefix { $0.isNumber })
    }
}
