import DialogueContracts
import Foundation

/// One stored answer row (see `002_responses.sql` for what each kind holds): a response's
/// answers become rows so that results are SQL aggregates, and rows become answers again
/// when a person reads their response back.
struct AnswerRow: Equatable {
    enum Kind: String {
        case option, other, rank, point, row, number, text, date, place
    }

    var questionID: String
    var kind: Kind
    var value: String = ""
    var number: Double?
    var text: String?
    var day: String?
    /// The id of a free text in moderation.
    var textID: UUID?

    /// The `value` of an « autre, précisez » answer; option ids never contain `*`.
    static let otherValue = SurveyCrossTab.otherValue

    /// The rows of answers already checked by `SurveyAnswerCheck` (visible questions, valid for their type).
    static func rows(of answers: [String: SurveyAnswer], in definition: SurveyDefinition) -> [AnswerRow] {
        var rows: [AnswerRow] = []
        for (_, question) in definition.orderedQuestions {
            guard let answer = answers[question.id] else { continue }
            let id = question.id
            switch question.kind {
            case .singleChoice, .multipleChoice:
                rows += (answer.optionIDs ?? []).map { AnswerRow(questionID: id, kind: .option, value: $0) }
                if let other = answer.otherText {
                    rows.append(AnswerRow(questionID: id, kind: .other, value: otherValue, text: other, textID: UUID()))
                }
            case .ranking:
                rows += (answer.optionIDs ?? []).enumerated().map { position, option in
                    AnswerRow(questionID: id, kind: .rank, value: option, number: Double(position + 1))
                }
            case .scale:
                if let point = answer.number { rows.append(AnswerRow(questionID: id, kind: .point, value: String(Int(point)), number: point)) }
            case .matrix:
                rows += (answer.rows ?? [:]).sorted { $0.key < $1.key }.map { row, point in
                    AnswerRow(questionID: id, kind: .row, value: row, number: Double(point))
                }
            case .number:
                if let number = answer.number { rows.append(AnswerRow(questionID: id, kind: .number, number: number)) }
            case .shortText, .longText:
                if let text = answer.text { rows.append(AnswerRow(questionID: id, kind: .text, text: text, textID: UUID())) }
            case .date:
                if let day = answer.date { rows.append(AnswerRow(questionID: id, kind: .date, day: day)) }
            case .place:
                if let place = answer.place { rows.append(AnswerRow(questionID: id, kind: .place, value: place)) }
            case .sectionHeader:
                break
            }
        }
        return rows
    }

    /// The answers these rows hold, question by question (options in the definition's order,
    /// a ranking by position).
    static func answers(of rows: [AnswerRow], in definition: SurveyDefinition) -> [String: SurveyAnswer] {
        var answers: [String: SurveyAnswer] = [:]
        for (questionID, questionRows) in Dictionary(grouping: rows, by: \.questionID) {
            var answer = SurveyAnswer()
            let order = definition.question(questionID).map { $0.kind.options.map(\.id) } ?? []
            for row in questionRows {
                switch row.kind {
                case .option: answer.optionIDs = (answer.optionIDs ?? []) + [row.value]
                case .other:
                    answer.otherText = row.text
                    if answer.optionIDs == nil { answer.optionIDs = [] }
                case .rank: answer.optionIDs = (answer.optionIDs ?? []) + [row.value]
                case .point, .number: answer.number = row.number
                case .row: answer.rows = (answer.rows ?? [:]).merging([row.value: Int(row.number ?? 0)]) { $1 }
                case .text: answer.text = row.text
                case .date: answer.date = row.day
                case .place: answer.place = row.value
                }
            }
            if questionRows.first?.kind == .rank {
                let positions = Dictionary(uniqueKeysWithValues: questionRows.map { ($0.value, $0.number ?? 0) })
                answer.optionIDs = answer.optionIDs?.sorted { positions[$0, default: 0] < positions[$1, default: 0] }
            } else if let chosen = answer.optionIDs {
                answer.optionIDs = chosen.sorted { (order.firstIndex(of: $0) ?? .max) < (order.firstIndex(of: $1) ?? .max) }
            }
            answers[questionID] = answer
        }
        return answers
    }

    /// The answers without their free texts, as `survey.response_submitted` carries them.
    static func closedAnswers(of answers: [String: SurveyAnswer], in definition: SurveyDefinition) -> [String: SurveyAnswer] {
        var closed: [String: SurveyAnswer] = [:]
        for (id, answer) in answers {
            guard let type = definition.question(id)?.kind.type, type != .shortText, type != .longText else { continue }
            var stripped = answer
            stripped.otherText = nil
            stripped.text = nil
            closed[id] = stripped
        }
        return closed
    }
}
