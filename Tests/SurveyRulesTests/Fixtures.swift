import DialogueContracts
import Foundation

/// Small surveys to test the rules on: each test changes only what it is about.
enum Fixture {
    /// A date in whole seconds from now, so a definition reads back equal from JSON (milliseconds).
    static func wholeSecond(_ offset: TimeInterval) -> Date {
        Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + offset).rounded())
    }

    static let yes = SurveyOption(id: "oui", label: "Oui")
    static let no = SurveyOption(id: "non", label: "Non")

    static func single(_ id: String, required: Bool = false, allowsOther: Bool = false, condition: SurveyCondition? = nil) -> SurveyQuestion {
        SurveyQuestion(
            id: id, prompt: "Prenez-vous le train ?", required: required, condition: condition,
            kind: .singleChoice(options: [yes, no], allowsOther: allowsOther)
        )
    }

    static func multiple(_ id: String, minimum: Int? = nil, maximum: Int? = nil, allowsOther: Bool = false, condition: SurveyCondition? = nil) -> SurveyQuestion {
        SurveyQuestion(
            id: id, prompt: "Quels transports utilisez-vous ?", condition: condition,
            kind: .multipleChoice(
                options: [SurveyOption(id: "bus", label: "Bus"), SurveyOption(id: "train", label: "Train"), SurveyOption(id: "velo", label: "Vélo")],
                allowsOther: allowsOther, minimumChoices: minimum, maximumChoices: maximum
            )
        )
    }

    static func number(_ id: String, minimum: Double? = 0, maximum: Double? = 120, whole: Bool = true, condition: SurveyCondition? = nil) -> SurveyQuestion {
        SurveyQuestion(id: id, prompt: "Votre âge", condition: condition, kind: .number(minimum: minimum, maximum: maximum, unit: "ans", wholeNumber: whole))
    }

    static func scale(_ id: String, minimum: Int = 1, maximum: Int = 5) -> SurveyQuestion {
        SurveyQuestion(
            id: id, prompt: "Votre satisfaction",
            kind: .scale(SurveyScale(minimum: minimum, maximum: maximum, minimumLabel: "Pas du tout", maximumLabel: "Tout à fait"))
        )
    }

    static func text(_ id: String, required: Bool = false, condition: SurveyCondition? = nil) -> SurveyQuestion {
        SurveyQuestion(id: id, prompt: "Pourquoi ?", required: required, condition: condition, kind: .shortText(maximumLength: 20))
    }

    static func survey(_ questions: [SurveyQuestion], sections extra: [SurveySection] = []) -> SurveyDefinition {
        SurveyDefinition(
            title: "Les transports du quotidien", introduction: "Dites-nous comment vous vous déplacez.",
            purpose: "Les réponses guideront le plan régional des mobilités.",
            opensAt: wholeSecond(-3600), closesAt: wholeSecond(30 * 86_400),
            sections: [SurveySection(id: "s1", title: "Vos trajets", questions: questions)] + extra
        )
    }
}
