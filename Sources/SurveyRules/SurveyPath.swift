public import DialogueContracts
import Foundation

/// Which questions a person sees, given their answers: a section or a question shows when its
/// condition holds on the answers to the questions shown before it. An answer to a question
/// that is not shown counts as no answer, so a hidden question never opens a later one.
public enum SurveyPath {
    /// The ids of the questions shown (headers included), in order.
    public static func visibleQuestionIDs(in definition: SurveyDefinition, answers: [String: SurveyAnswer]) -> [String] {
        var shownAnswers: [String: SurveyAnswer] = [:]
        var visible: [String] = []
        for section in definition.sections {
            let sectionShown = section.condition.map { holds($0, on: shownAnswers) } ?? true
            for question in section.questions where sectionShown {
                guard question.condition.map({ holds($0, on: shownAnswers) }) ?? true else { continue }
                visible.append(question.id)
                if let answer = answers[question.id] { shownAnswers[question.id] = answer }
            }
        }
        return visible
    }

    /// Whether a condition holds on these answers (those of the questions shown).
    public static func holds(_ condition: SurveyCondition, on answers: [String: SurveyAnswer]) -> Bool {
        switch condition {
        case .equals(let question, let value):
            return answers[question].map { chosenValues(of: $0).contains(value) } ?? false
        case .oneOf(let question, let values):
            guard let answer = answers[question] else { return false }
            let chosen = chosenValues(of: answer)
            return values.contains { chosen.contains($0) }
        case .answered(let question):
            return answers[question].map { !$0.isBlank } ?? false
        case .numberRange(let question, let minimum, let maximum):
            guard let number = answers[question]?.number, number.isFinite else { return false }
            return (minimum.map { number >= $0 } ?? true) && (maximum.map { number <= $0 } ?? true)
        case .not(let inner):
            return !holds(inner, on: answers)
        case .all(let conditions):
            return conditions.allSatisfy { holds($0, on: answers) }
        case .any(let conditions):
            return conditions.contains { holds($0, on: answers) }
        }
    }

    /// The option ids or place code an answer holds, what « égal à » and « parmi » compare.
    private static func chosenValues(of answer: SurveyAnswer) -> Set<String> {
        Set((answer.optionIDs ?? []) + [answer.place].compactMap { $0 })
    }
}

extension SurveyAnswer {
    /// Nothing answered: no option, no number, only blanks. A blank answer is never stored.
    public var isBlank: Bool {
        (optionIDs ?? []).isEmpty && (otherText ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && number == nil
            && (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && (date ?? "").isEmpty && (place ?? "").isEmpty
            && (rows ?? [:]).isEmpty
    }
}
