import DialogueContracts
import Foundation
import ServiceKit
import SurveyRules

// What the public survey templates (`surveys`, `survey`, `survey-answer` and its question
// partial, `survey-review`) show.

/// `/enquetes`: the surveys open now.
struct SurveyListPage {
    struct Row {
        let id: String
        let title: String
        let closes: String
        let questions: String
        /// The results page, when the results are public now.
        let results: String?
    }

    /// Open now.
    let rows: [Row]
    let hasRows: Bool
    /// Closed, with their results public.
    let published: [Row]
    let hasPublished: Bool
}

/// What a person reads before answering: purpose first, then dates and who may answer.
struct SurveyIntroduction {
    let title: String
    let purpose: String
    let introduction: String?
    let dates: String
    let audience: String
    let questionCount: String

    init(_ definition: SurveyDefinition) {
        title = definition.title
        purpose = definition.purpose
        introduction = definition.introduction.isEmpty ? nil : definition.introduction
        switch (definition.opensAt, definition.closesAt) {
        case (let opens?, let closes?): dates = "Du \(FrenchDate.dateTime(opens)) au \(FrenchDate.dateTime(closes))."
        case (nil, let closes?): dates = "Jusqu'au \(FrenchDate.dateTime(closes))."
        default: dates = "Dates à venir."
        }
        audience = switch definition.audience {
        case .confirmedEmail: "Tout le monde peut répondre, une fois par personne : une adresse électronique confirmée suffit."
        case .signedIn: "Pour répondre, connectez-vous à votre compte ; une réponse par personne."
        }
        let count = definition.orderedQuestions.count { $0.question.kind.takesAnswer }
        questionCount = count == 1 ? "1 question" : "\(count) questions"
    }
}

/// `/enquetes/{id}`.
struct SurveyPage {
    let id: String
    let survey: SurveyIntroduction
    let canAnswer: Bool
    /// Why one cannot answer now (not open yet, closed), or what to do first (sign in).
    let message: String?
    /// The sign-in page, coming back to the answering form.
    let signIn: String?
    /// For a survey open to confirmed addresses: the form that mails a link to answer without an account.
    var linkForm: SurveyLinkForm? = nil
    var errors: ErrorSummary? = nil
    /// Whether `/enquetes/{id}/resultats` shows the results now.
    var resultsArePublic = false
}

/// The address to mail a link to, for answering without an account.
struct SurveyLinkForm {
    let email: FormField

    init(email: String?, error: String?) {
        self.email = FormField(
            name: "email", label: "Adresse électronique", type: "email", value: email,
            hint: "Nous y enverrons un lien pour répondre. L'enquête compte une réponse par adresse.", error: error, autocomplete: "email",
            required: true
        )
    }
}

/// `/enquetes/{id}/merci`: the confirmation, and « modifier mes réponses » while the survey is open.
struct SurveyThanksPage {
    let id: String
    let title: String
    let canEdit: Bool
    /// A person without an account changes their answers through the link mailed to them.
    let byMailedLink: Bool
    let closes: String?
    let results: String
}

/// One section of the answering form (a page of it without script).
struct AnswerSection {
    let title: String?
    let questions: [AnswerQuestion]
}

/// One choice among radio buttons or checkboxes.
struct AnswerChoice {
    let inputID: String
    let value: String
    let label: String
    let checked: Bool
}

/// One question as the answering form shows it.
struct AnswerQuestion {
    struct Other {
        let inputID: String
        let value: String
        let textID: String
        let textName: String
        let text: String
        let checked: Bool
    }

    struct Row {
        let label: String
        let name: String
        let inputID: String
        let points: [AnswerChoice]
        let ranks: [Choice]
    }

    let id: String
    let prompt: String
    let help: String?
    let required: Bool
    let error: String?
    let describedBy: String?
    let isHeader: Bool
    /// Radio buttons, checkboxes, scale points and matrix or ranking rows sit in a fieldset whose legend is the prompt.
    let isGroup: Bool
    let inputType: String
    let choices: [AnswerChoice]
    let other: Other?
    let minimumLabel: String?
    let maximumLabel: String?
    let rows: [Row]
    let isRanking: Bool
    let isMatrix: Bool
    let input: Bool
    let textarea: Bool
    let value: String
    let unit: String?
    let inputMode: String?
    let maximumLength: Int?
    let departements: [Choice]
    let isDepartement: Bool
    /// A commune question: the suggestions of its text input (« Amiens (80) »), every commune
    /// of the official list; the server matches a typed name or code without them.
    let communes: [String]
    let communeListID: String?
    let choiceHint: String?
    /// The `type` of a single-field question's input.
    let fieldType: String

    init(_ question: SurveyQuestion, answer: SurveyAnswer?, error: String?) {
        let name = SurveyAnswerForm.fieldName(question.id)
        id = name
        prompt = question.prompt
        required = question.required
        self.error = error
        var hint = question.help
        var rows: [Row] = []
        var choices: [AnswerChoice] = []
        var other: Other?
        var inputType = "radio"
        var minimumLabel: String?
        var maximumLabel: String?
        var input = false
        var textarea = false
        var value = ""
        var unit: String?
        var inputMode: String?
        var maximumLength: Int?
        var departements: [Choice] = []
        var communes: [String] = []
        var choiceHint: String?
        let chosen = Set(answer?.optionIDs ?? [])
        func points(_ scale: SurveyScale, name: String, checked: Int?) -> [AnswerChoice] {
            (scale.minimum...scale.maximum).map { point in
                AnswerChoice(inputID: "\(name)-\(point)", value: String(point), label: String(point), checked: checked == point)
            }
        }
        switch question.kind {
        case .singleChoice(let options, let allowsOther), .multipleChoice(let options, let allowsOther, _, _):
            if case .multipleChoice(_, _, let minimum, let maximum) = question.kind {
                inputType = "checkbox"
                choiceHint = switch (minimum, maximum) {
                case (let low?, let high?): "Choisissez de \(low) à \(high) réponses."
                case (let low?, nil): "Choisissez au moins \(low) réponses."
                case (nil, let high?): "Choisissez au plus \(high) réponses."
                default: "Plusieurs réponses possibles."
                }
            }
            choices = options.map { AnswerChoice(inputID: "\(name)-\($0.id)", value: $0.id, label: $0.label, checked: chosen.contains($0.id)) }
            if allowsOther {
                other = Other(
                    inputID: "\(name)-autre-choix", value: SurveyAnswerForm.otherValue, textID: "\(name)-autre-precision", textName: SurveyAnswerForm.fieldName(question.id, "autre"),
                    text: answer?.otherText ?? "", checked: answer?.otherText != nil
                )
            }
        case .scale(let scale):
            choices = points(scale, name: name, checked: answer?.number.map { Int($0) })
            minimumLabel = "\(scale.minimum) : \(scale.minimumLabel)"
            maximumLabel = "\(scale.maximum) : \(scale.maximumLabel)"
        case .matrix(let matrixRows, let scale):
            rows = matrixRows.map { row in
                let rowName = SurveyAnswerForm.fieldName(question.id, row.id)
                return Row(label: row.label, name: rowName, inputID: rowName, points: points(scale, name: rowName, checked: answer?.rows?[row.id]), ranks: [])
            }
            minimumLabel = "\(scale.minimum) : \(scale.minimumLabel)"
            maximumLabel = "\(scale.maximum) : \(scale.maximumLabel)"
        case .ranking(let options, let rankedCount):
            let count = rankedCount ?? options.count
            let order = answer?.optionIDs ?? []
            choiceHint = "Donnez un rang de 1 (en premier) à \(count) à \(count == options.count ? "chaque choix" : "\(count) choix")."
            rows = options.map { option in
                let rowName = SurveyAnswerForm.fieldName(question.id, option.id)
                let rank = order.firstIndex(of: option.id).map { $0 + 1 }
                return Row(
                    label: option.label, name: rowName, inputID: rowName, points: [],
                    ranks: [Choice(value: "", label: "Non classé", selected: rank == nil)]
                        + (1...max(count, 1)).map { Choice(value: String($0), label: String($0), selected: rank == $0) }
                )
            }
        case .number(let minimum, let maximum, let unitText, let whole):
            input = true
            unit = unitText
            inputMode = whole ? "numeric" : "decimal"
            value = answer?.number.map(SurveyAnswerForm.number) ?? ""
            let bounds = switch (minimum, maximum) {
            case (let low?, let high?): "Entre \(SurveyAnswerForm.number(low)) et \(SurveyAnswerForm.number(high))."
            case (let low?, nil): "Au moins \(SurveyAnswerForm.number(low))."
            case (nil, let high?): "Au plus \(SurveyAnswerForm.number(high))."
            default: ""
            }
            let text = [bounds, unitText.map { "En \($0)." } ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
            if !text.isEmpty { hint = [hint, text].compactMap { $0 }.joined(separator: " ") }
        case .shortText(let length):
            input = true
            value = answer?.text ?? ""
            maximumLength = length
        case .longText(let length):
            textarea = true
            value = answer?.text ?? ""
            maximumLength = length
            hint = [hint, "\(length) caractères au plus."].compactMap { $0 }.joined(separator: " ")
        case .date:
            input = true
            value = answer?.date ?? ""
        case .place(.departement):
            departements = [Choice(value: "", label: "Choisissez un département", selected: answer?.place == nil)]
                + Region.departements.sorted { $0.key < $1.key }.map { Choice(value: $0.key, label: "\($0.value) (\($0.key))", selected: answer?.place == $0.key) }
        case .place(.commune):
            input = true
            value = answer?.place.map { SurveyCommunes.commune($0)?.label ?? $0 } ?? ""
            communes = SurveyCommunes.all.map(\.label)
            hint = [hint, "Le nom de la commune (par exemple Amiens) ou son code INSEE (80021) ; suivi de son département entre parenthèses si le nom existe dans plusieurs départements, par exemple Bailleul (59)."]
                .compactMap { $0 }.joined(separator: " ")
        case .sectionHeader:
            break
        }
        if let choiceHint { hint = [hint, choiceHint].compactMap { $0 }.joined(separator: " ") }
        help = hint
        self.choiceHint = choiceHint
        fieldType = question.kind.type == .date ? "date" : "text"
        isHeader = question.kind == .sectionHeader
        isGroup = !choices.isEmpty || !rows.isEmpty
        self.inputType = inputType
        self.choices = choices
        self.other = other
        self.minimumLabel = minimumLabel
        self.maximumLabel = maximumLabel
        self.rows = rows
        isRanking = question.kind.type == .ranking
        isMatrix = question.kind.type == .matrix
        self.input = input
        self.textarea = textarea
        self.value = value
        self.unit = unit
        self.inputMode = inputMode
        self.maximumLength = maximumLength
        isDepartement = !departements.isEmpty
        self.departements = departements
        self.communes = communes
        communeListID = communes.isEmpty ? nil : "\(name)-communes"
        describedBy = [hint.map { _ in "\(name)-hint" }, error.map { _ in "\(name)-error" }].compactMap { $0 }.joined(separator: " ").nilIfEmpty
    }

}

/// `/enquetes/{id}/repondre`: one page of the answering form.
struct SurveyAnswerPage {
    let id: String
    let survey: SurveyIntroduction
    let errors: ErrorSummary?
    let dropped: [String]
    let hasDropped: Bool
    let newQuestions: Bool
    let step: Int
    let progress: String
    let progressValue: Int
    let progressMax: Int
    let section: AnswerSection
    let carried: String
    let carriedProfile: String
    let replacing: Bool
    /// Said when a person comes back to change the response they gave.
    let resumed: String?
    let displayed: String
    let canGoBack: Bool
    let isPreview: Bool
    let action: String
}

/// The last page before sending: every answer given, each section's to change.
struct SurveyReviewPage {
    struct Item {
        /// Where the summary's error links point.
        let anchor: String
        let prompt: String
        let answer: String
    }

    struct Part {
        let title: String
        let step: Int
        let items: [Item]
    }

    let id: String
    let survey: SurveyIntroduction
    let errors: ErrorSummary?
    let dropped: [String]
    let hasDropped: Bool
    let parts: [Part]
    let carried: String
    let carriedProfile: String
    let replacing: Bool
    let profile: SurveyProfileForm
    let canSubmit: Bool
    let isPreview: Bool
    let action: String
}
