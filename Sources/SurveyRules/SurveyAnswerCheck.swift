public import DialogueContracts
import Foundation

/// What to do with an answer to a question that the person's other answers hide.
public enum HiddenAnswerPolicy: Sendable {
    /// Drop it and say so (the form, as a person changes an earlier answer).
    case drop
    /// Refuse the whole submission, naming the question (the API, a final submission).
    case refuse
}

/// An answer left out because the question is not shown any more: the form tells the person
/// before they submit, never silently.
public struct DroppedAnswer: Sendable, Equatable {
    public var questionID: String
    public var prompt: String
    /// In French, for the notice shown above the form.
    public var notice: String { "Votre réponse à « \(prompt) » a été retirée : cette question ne s'applique plus à vos réponses." }
}

/// The outcome of checking a person's answers against a survey.
public struct SurveyAnswerReview: Sendable, Equatable {
    /// The answers to store: visible questions only, blanks removed, texts trimmed.
    public var kept: [String: SurveyAnswer]
    public var dropped: [DroppedAnswer]
    public var problems: [SurveyProblem]
    /// The questions shown to the person, in order.
    public var visibleQuestionIDs: [String]

    public var isAcceptable: Bool { problems.isEmpty }
}

/// Checks answers against a survey's definition: unknown questions, hidden questions, required
/// visible questions, and each answer's validity for its type. Nothing is partly accepted: a
/// submission with a problem is refused whole.
public enum SurveyAnswerCheck {
    public static func review(
        _ answers: [String: SurveyAnswer], to definition: SurveyDefinition, hiddenAnswers: HiddenAnswerPolicy = .refuse
    ) -> SurveyAnswerReview {
        let visible = SurveyPath.visibleQuestionIDs(in: definition, answers: answers)
        let shown = Set(visible)
        var problems: [SurveyProblem] = []
        var dropped: [DroppedAnswer] = []
        var kept: [String: SurveyAnswer] = [:]
        for id in answers.keys.sorted() where definition.question(id) == nil {
            problems.append(.question(.unknownQuestion, id, "La question « \(id) » n'existe pas dans cette enquête."))
        }
        for (_, question) in definition.orderedQuestions {
            let id = question.id
            let answer = answers[id].map(trimmed)
            guard shown.contains(id) else {
                guard let answer, !answer.isBlank else { continue }
                switch hiddenAnswers {
                case .drop: dropped.append(DroppedAnswer(questionID: id, prompt: question.prompt))
                case .refuse:
                    problems.append(.question(.hiddenQuestion, id, "La question « \(question.prompt) » ne s'applique pas à vos réponses : elle n'attend pas de réponse."))
                }
                continue
            }
            guard let answer, !answer.isBlank else {
                if question.required {
                    problems.append(.question(.requiredAnswer, id, "Répondez à la question « \(question.prompt) » : elle est obligatoire."))
                }
                continue
            }
            let found = answerProblems(answer, to: question)
            problems += found
            if found.isEmpty { kept[id] = answer }
        }
        return SurveyAnswerReview(kept: problems.isEmpty ? kept : [:], dropped: dropped, problems: problems, visibleQuestionIDs: visible)
    }

    private static func trimmed(_ answer: SurveyAnswer) -> SurveyAnswer {
        var answer = answer
        answer.text = answer.text?.trimmingCharacters(in: .whitespacesAndNewlines)
        answer.otherText = answer.otherText?.trimmingCharacters(in: .whitespacesAndNewlines)
        if answer.otherText?.isEmpty == true { answer.otherText = nil }
        return answer
    }

    /// Which fields an answer to each type fills; any other filled field is an answer of the wrong type.
    private static func filledFields(_ answer: SurveyAnswer) -> Set<String> {
        var fields: Set<String> = []
        if answer.optionIDs != nil { fields.insert("options") }
        if answer.otherText != nil { fields.insert("other") }
        if answer.number != nil { fields.insert("number") }
        if answer.text != nil { fields.insert("text") }
        if answer.date != nil { fields.insert("date") }
        if answer.place != nil { fields.insert("place") }
        if answer.rows != nil { fields.insert("rows") }
        return fields
    }

    private static func answerProblems(_ answer: SurveyAnswer, to question: SurveyQuestion) -> [SurveyProblem] {
        let id = question.id
        let prompt = question.prompt
        let expected: Set<String> = switch question.kind.type {
        case .singleChoice, .multipleChoice: ["options", "other"]
        case .ranking: ["options"]
        case .scale, .number: ["number"]
        case .shortText, .longText: ["text"]
        case .date: ["date"]
        case .place: ["place"]
        case .matrix: ["rows"]
        case .sectionHeader: []
        }
        guard filledFields(answer).isSubset(of: expected), !expected.isEmpty else {
            return [.question(.wrongAnswerType, id, "La réponse à « \(prompt) » n'est pas du type attendu.")]
        }
        func problem(_ rule: SurveyProblem.Rule, _ message: String) -> [SurveyProblem] { [.question(rule, id, message)] }
        let chosen = answer.optionIDs ?? []
        let known = Set(question.kind.options.map(\.id))
        if let forged = chosen.first(where: { !known.contains($0) }) {
            return problem(.unknownOption, "« \(forged) » n'est pas une option de la question « \(prompt) ».")
        }
        if Set(chosen).count != chosen.count {
            return problem(.unknownOption, "Une option de la question « \(prompt) » est choisie deux fois.")
        }
        switch question.kind {
        case .singleChoice(_, let allowsOther):
            if answer.otherText != nil && !allowsOther { return problem(.otherNotAllowed, "La question « \(prompt) » ne propose pas « autre ».") }
            if let other = answer.otherText, other.count > SurveyLimits.shortTextLength {
                return problem(.textTooLong, "Votre précision compte au plus \(SurveyLimits.shortTextLength) caractères.")
            }
            if chosen.count + (answer.otherText == nil ? 0 : 1) > 1 {
                return problem(.tooManyChoices, "Choisissez une seule réponse à « \(prompt) ».")
            }
        case .multipleChoice(let options, let allowsOther, let minimum, let maximum):
            if answer.otherText != nil && !allowsOther { return problem(.otherNotAllowed, "La question « \(prompt) » ne propose pas « autre ».") }
            if let other = answer.otherText, other.count > SurveyLimits.shortTextLength {
                return problem(.textTooLong, "Votre précision compte au plus \(SurveyLimits.shortTextLength) caractères.")
            }
            let count = chosen.count + (answer.otherText == nil ? 0 : 1)
            let high = maximum ?? (options.count + (allowsOther ? 1 : 0))
            if count > high { return problem(.tooManyChoices, "Choisissez au plus \(high) réponses à « \(prompt) ».") }
            if let minimum, count < minimum { return problem(.tooFewChoices, "Choisissez au moins \(minimum) réponses à « \(prompt) ».") }
        case .ranking(let options, let rankedCount):
            let needed = rankedCount ?? options.count
            if chosen.count != needed { return problem(.incompleteRanking, "Classez \(needed) choix pour « \(prompt) ».") }
        case .scale(let scale):
            return scaleProblems(answer.number ?? .nan, scale, problem: problem, prompt: prompt)
        case .matrix(_, let scale):
            let rows = answer.rows ?? [:]
            if let forged = rows.keys.sorted().first(where: { !known.contains($0) }) {
                return problem(.unknownOption, "« \(forged) » n'est pas une ligne de la question « \(prompt) ».")
            }
            if let outside = rows.values.first(where: { !(scale.minimum...scale.maximum).contains($0) }) {
                return problem(.outOfRange, "\(outside) est hors de l'échelle de \(scale.minimum) à \(scale.maximum) (« \(prompt) »).")
            }
            if question.required && rows.count < known.count {
                return problem(.requiredAnswer, "Répondez à chaque ligne de « \(prompt) » : la question est obligatoire.")
            }
        case .number(let minimum, let maximum, _, let wholeNumber):
            guard let number = answer.number, number.isFinite else { return problem(.wrongAnswerType, "Indiquez un nombre pour « \(prompt) ».") }
            if let minimum, number < minimum { return problem(.outOfRange, "La réponse à « \(prompt) » est au moins \(formatted(minimum)).") }
            if let maximum, number > maximum { return problem(.outOfRange, "La réponse à « \(prompt) » est au plus \(formatted(maximum)).") }
            if wholeNumber && number.rounded() != number { return problem(.notWholeNumber, "Indiquez un nombre entier pour « \(prompt) ».") }
        case .shortText(let maximumLength), .longText(let maximumLength):
            if (answer.text ?? "").count > maximumLength {
                return problem(.textTooLong, "La réponse à « \(prompt) » compte au plus \(maximumLength) caractères.")
            }
        case .date(let earliest, let latest):
            guard let day = answer.date, CalendarDay(text: day) != nil else {
                return problem(.badDate, "Indiquez une date au format AAAA-MM-JJ pour « \(prompt) ».")
            }
            if let earliest, day < earliest { return problem(.outOfRange, "La date pour « \(prompt) » est au plus tôt le \(earliest).") }
            if let latest, day > latest { return problem(.outOfRange, "La date pour « \(prompt) » est au plus tard le \(latest).") }
        case .place(let level):
            if !SurveyPlaces.isKnown(answer.place ?? "", level: level) {
                if level == .commune, let typed = answer.place, !typed.isEmpty {
                    return problem(
                        .unknownPlace,
                        "« \(typed) » n'est pas une commune des Hauts-de-France (liste officielle de l'INSEE) : indiquez son nom ou son code INSEE pour « \(prompt) »."
                    )
                }
                let what = level == .commune ? "une commune" : "un département"
                return problem(.unknownPlace, "Choisissez \(what) des Hauts-de-France pour « \(prompt) ».")
            }
        case .sectionHeader:
            break
        }
        return []
    }

    private static func scaleProblems(
        _ number: Double, _ scale: SurveyScale, problem: (SurveyProblem.Rule, String) -> [SurveyProblem], prompt: String
    ) -> [SurveyProblem] {
        guard number.isFinite, number.rounded() == number, (Double(scale.minimum)...Double(scale.maximum)).contains(number) else {
            return problem(.outOfRange, "Choisissez un point de l'échelle de \(scale.minimum) à \(scale.maximum) pour « \(prompt) ».")
        }
        return []
    }

    private static func formatted(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}
