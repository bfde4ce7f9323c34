public import DialogueContracts

/// One thing wrong with a survey definition, a change to it, or a person's answers: the rule
/// broken, the question (or section, option) at fault, and a French message for the person.
public struct SurveyProblem: Sendable, Equatable, Error {
    /// The rules, one case each, so callers and tests tell them apart without reading French.
    public enum Rule: String, Sendable, CaseIterable {
        // The survey as a whole.
        case titleLength, purposeMissing, purposeLength, introductionLength, datesOrder, tooManyQuestions
        // Before publication.
        case datesMissing, closesInPast, noQuestion
        // Ids.
        case badID, duplicateID, duplicateOptionID
        // A question's settings.
        case promptLength, missingOptions, tooManyOptions, optionLabelMissing, choiceBounds, rankedCount
        case scaleBounds, numberBounds, textLength, dateBounds, headerRequired
        // Conditions.
        case conditionOnItself, conditionOnLaterQuestion, conditionOnUnknownQuestion, conditionOnUnknownOption
        case conditionOperator, conditionEmpty
        // Answers.
        case unknownQuestion, hiddenQuestion, requiredAnswer, wrongAnswerType, unknownOption, tooManyChoices, tooFewChoices
        case outOfRange, notWholeNumber, textTooLong, badDate, unknownPlace, otherNotAllowed, incompleteRanking
        // Changes to an open survey.
        case questionRemoved, questionRetyped, questionSettingsChanged, questionMadeRequired
        case optionRemoved, optionRelabelled, conditionChanged, sectionRemoved, audienceChanged
    }

    public var rule: Rule
    /// The question or section at fault, when one is.
    public var questionID: String?
    /// The request field at fault: `questions.<id>` for a question or its answer,
    /// `sections.<id>` for a section, else the definition's field (`title`, `purpose`…).
    public var field: String
    /// In French: what is wrong and, where it helps, how to put it right.
    public var message: String

    public init(_ rule: Rule, questionID: String? = nil, field: String, message: String) {
        self.rule = rule
        self.questionID = questionID
        self.field = field
        self.message = message
    }

    /// A problem about one question (its settings, condition or answer).
    static func question(_ rule: Rule, _ id: String, _ message: String) -> SurveyProblem {
        SurveyProblem(rule, questionID: id, field: "questions.\(id)", message: message)
    }

    /// A problem about one section.
    static func section(_ rule: Rule, _ id: String, _ message: String) -> SurveyProblem {
        SurveyProblem(rule, questionID: id, field: "sections.\(id)", message: message)
    }

    /// The refusal a service answers with.
    public var failure: RequestFailure {
        RequestFailure(code: .invalid, message: message, field: field)
    }
}
