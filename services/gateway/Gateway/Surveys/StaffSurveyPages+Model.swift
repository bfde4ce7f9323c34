import DialogueContracts
import Foundation
import ServiceKit

// What the staff survey templates (`admin-surveys`, `admin-survey-edit` and its question
// partial, `admin-survey-import`) show.

extension SurveyStatus {
    /// In French, as lists and pages show it.
    var label: String {
        switch self {
        case .draft: "Brouillon"
        case .open: "Publiée"
        case .closed: "Close"
        }
    }
}

extension SurveyQuestionType {
    /// In French, as the builder's type lists show it.
    var label: String {
        switch self {
        case .singleChoice: "Choix unique"
        case .multipleChoice: "Choix multiple"
        case .scale: "Échelle"
        case .ranking: "Classement"
        case .matrix: "Tableau (lignes × échelle)"
        case .number: "Nombre"
        case .shortText: "Texte court"
        case .longText: "Texte long"
        case .date: "Date"
        case .place: "Commune ou département"
        case .sectionHeader: "Intertitre (sans réponse)"
        }
    }
}

extension SurveyAudience {
    var label: String {
        switch self {
        case .confirmedEmail: "Toute personne qui confirme son adresse électronique"
        case .signedIn: "Les personnes connectées à leur compte"
        }
    }
}

extension SurveyResultsVisibility {
    var label: String {
        switch self {
        case .never: "Jamais (résultats réservés à l'équipe)"
        case .afterClosing: "Après la clôture (conseillé : les premières réponses n'influencent pas les suivantes)"
        case .during: "Pendant l'enquête, au fil des réponses"
        }
    }
}

/// `/admin/enquetes`: every survey with its status.
struct StaffSurveyListPage {
    struct Row {
        let id: String
        let title: String
        let status: String
        let dates: String
        let questions: Int
        let updated: String
    }

    let rows: [Row]
    let hasRows: Bool
}

/// A checkbox of the builder.
struct BuilderCheckbox {
    let name: String
    let label: String
    let checked: Bool
}

/// `/admin/enquetes/nouvelle` and `/admin/enquetes/{id}`: the whole survey in one form.
struct SurveyEditorPage {
    struct Section {
        let anchor: String
        let number: Int
        let index: Int
        let idField: FormField
        let titleField: FormField
        let conditionField: FormField
        let questions: [Question]
        let hasQuestions: Bool
        let canMoveUp: Bool
        let canMoveDown: Bool
        let newTypeName: String
        let newTypes: [Choice]
        let formAction: String
    }

    struct Question {
        let anchor: String
        let number: Int
        let position: String
        let prefix: String
        let idField: FormField
        let typeName: String
        let typeLabel: String
        let types: [Choice]
        let promptField: FormField
        let readability: PlainLanguageHint?
        let helpField: FormField
        let required: BuilderCheckbox
        let conditionField: FormField
        let optionsField: FormField?
        let allowsOther: BuilderCheckbox?
        let minimumChoices: FormField?
        let maximumChoices: FormField?
        let rankedCount: FormField?
        let scaleMinimum: FormField?
        let scaleMaximum: FormField?
        let minimumLabel: FormField?
        let maximumLabel: FormField?
        let numberMinimum: FormField?
        let numberMaximum: FormField?
        let unit: FormField?
        let wholeNumber: BuilderCheckbox?
        let maximumLength: FormField?
        let earliest: FormField?
        let latest: FormField?
        let isPlace: Bool
        let levelName: String
        let levels: [Choice]
        let upAction: String
        let downAction: String
        let removeAction: String
        let upTarget: String
        let downTarget: String
        let removeTarget: String
        /// Where « Changer le type » brings the page back to: this question.
        let selfTarget: String
    }

    let errors: ErrorSummary?
    let heading: String
    let action: String
    let id: String?
    let revision: Int?
    let status: String?
    let isDraft: Bool
    let isOpen: Bool
    let conflict: String?
    let titleField: FormField
    let introductionField: FormField
    let introductionReadability: PlainLanguageHint?
    let purposeField: FormField
    let purposeReadability: PlainLanguageHint?
    let opensField: FormField
    let closesField: FormField
    let audience: [Choice]
    let audienceError: String?
    let results: [Choice]
    let consultationField: FormField
    let sectionsError: String?
    let sections: [Section]
    let hasSections: Bool
    let conditionHelp: String

    init(draft: SurveyDraft, errors: FormErrors, action: String, view: SurveyView?, revision: Int?, conflict: String?) {
        self.errors = errors.summary
        heading = view == nil ? "Nouvelle enquête" : "Modifier l'enquête"
        self.action = action
        id = view?.id.uuidString.lowercased()
        self.revision = revision
        status = view?.status.label
        isDraft = view?.status == .draft
        isOpen = view?.status == .open
        self.conflict = conflict
        titleField = FormField(name: "titre", label: "Titre", value: draft.title, error: errors["titre"], required: true)
        introductionField = FormField(
            name: "introduction", label: "Introduction", value: draft.introduction,
            hint: "Ce que la personne lit avant les questions. Des phrases courtes, des mots de tous les jours.",
            error: errors["introduction"], rows: 5
        )
        introductionReadability = PlainLanguageHint(draft.introduction, id: "introduction-lisibilite")
        purposeField = FormField(
            name: "usage", label: "À quoi serviront les réponses", value: draft.purpose,
            hint: "Affiché en tête de l'enquête, avant toute question (10 à 2 000 caractères).", error: errors["usage"], required: true, rows: 3
        )
        purposeReadability = PlainLanguageHint(draft.purpose, id: "usage-lisibilite")
        opensField = FormField(
            name: "ouverture", label: "Ouverture", type: "datetime-local", value: draft.opensAt,
            hint: "Heure de Paris. Nécessaire pour publier.", error: errors["ouverture"]
        )
        closesField = FormField(
            name: "cloture", label: "Clôture", type: "datetime-local", value: draft.closesAt,
            hint: "Heure de Paris. Après cette date, plus aucune réponse n'est prise.", error: errors["cloture"]
        )
        audience = SurveyAudience.allCases.map { Choice(value: $0.rawValue, label: $0.label, checked: draft.audience == $0.rawValue) }
        audienceError = errors["public"]
        results = SurveyResultsVisibility.allCases.map { Choice(value: $0.rawValue, label: $0.label, checked: draft.results == $0.rawValue) }
        consultationField = FormField(
            name: "consultation", label: "Consultation de rattachement (identifiant)", value: draft.consultation,
            hint: "Laissez vide pour une enquête à part.", error: errors["consultation"]
        )
        sectionsError = errors["sections"]
        let questionTotal = draft.sections.reduce(0) { $0 + $1.questions.count }
        var number = 0
        sections = draft.sections.enumerated().map { sectionIndex, section in
            func field(_ name: String) -> String { SurveyDraft.sectionField(sectionIndex, name) }
            let questions = section.questions.enumerated().map { questionIndex, question in
                number += 1
                return Self.question(question, section: sectionIndex, index: questionIndex, number: number, total: questionTotal, draft: draft, errors: errors, action: action)
            }
            return Section(
                anchor: "s\(sectionIndex)", number: sectionIndex + 1, index: sectionIndex,
                idField: FormField(
                    name: field("id"), label: "Identifiant de la section", value: section.id,
                    hint: "Minuscules sans accent, chiffres, - et _.", error: errors[field("id")], required: true
                ),
                titleField: FormField(name: field("titre"), label: "Titre de la section", value: section.title, error: errors[field("titre")]),
                conditionField: FormField(
                    name: field("condition"), label: "Afficher la section seulement si", value: section.condition,
                    hint: "Vide : toujours affichée. Par exemple : train = non", error: errors[field("condition")]
                ),
                questions: questions, hasQuestions: !questions.isEmpty,
                canMoveUp: sectionIndex > 0, canMoveDown: sectionIndex + 1 < draft.sections.count,
                newTypeName: field("nouveau-type"),
                newTypes: SurveyQuestionType.allCases.map { Choice(value: $0.rawValue, label: $0.label) },
                formAction: "\(action)#s\(sectionIndex)-q\(section.questions.count)"
            )
        }
        hasSections = !sections.isEmpty
        conditionHelp = "Une condition porte sur une question placée avant : « train = non », « departement parmi 59, 62 », « velo répondu », « age entre 18 et 25 », « enfants >= 1 », combinées par « et », « ou », « non » et des parenthèses."
    }

    private static func question(
        _ question: SurveyDraft.Question, section: Int, index: Int, number: Int, total: Int, draft: SurveyDraft, errors: FormErrors, action: String
    ) -> Question {
        func name(_ field: String) -> String { SurveyDraft.questionField(section, index, field) }
        func field(_ field: String, _ label: String, _ value: String, type: String = "text", hint: String? = nil) -> FormField {
            FormField(name: name(field), label: label, type: type, value: value, hint: hint, error: errors[name(field)])
        }
        let type = SurveyQuestionType(rawValue: question.type) ?? .singleChoice
        let hasOptions = [.singleChoice, .multipleChoice, .ranking, .matrix].contains(type)
        let hasScale = [.scale, .matrix].contains(type)
        let promptName = name("intitule")
        // The question's own problems (from the rules) sit above its prompt.
        let promptErrors = errors.all(promptName)
        let up = index > 0 ? (section, index - 1) : (max(section - 1, 0), section > 0 ? draft.sections[section - 1].questions.count : 0)
        let down = index + 1 < draft.sections[section].questions.count ? (section, index + 1) : (min(section + 1, draft.sections.count - 1), 0)
        return Question(
            anchor: "s\(section)-q\(index)", number: number, position: "Question \(number) sur \(total)", prefix: name(""),
            idField: field("id", "Identifiant", question.id, hint: "Repris par les conditions et les résultats : minuscules sans accent, chiffres, - et _."),
            typeName: name("type"), typeLabel: type.label,
            types: SurveyQuestionType.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == type) },
            promptField: FormField(
                name: promptName, label: "Intitulé", value: question.prompt, error: promptErrors.isEmpty ? nil : promptErrors.joined(separator: " "),
                required: true, rows: 2
            ),
            readability: PlainLanguageHint(question.prompt, id: "\(promptName)-lisibilite"),
            helpField: field("aide", "Aide sous la question", question.help),
            required: BuilderCheckbox(name: name("obligatoire"), label: "Réponse obligatoire", checked: question.required),
            conditionField: field("condition", "Afficher la question seulement si", question.condition, hint: "Vide : toujours affichée."),
            optionsField: hasOptions
                ? FormField(
                    name: name("options"), label: type == .matrix ? "Lignes du tableau" : "Options",
                    value: question.options, hint: "Une par ligne, « identifiant = Libellé » ; sans identifiant, il est tiré du libellé.",
                    error: errors[name("options")], rows: 4
                ) : nil,
            allowsOther: [.singleChoice, .multipleChoice].contains(type)
                ? BuilderCheckbox(name: name("autre"), label: "Proposer « Autre, précisez »", checked: question.allowsOther) : nil,
            minimumChoices: type == .multipleChoice ? field("choix-min", "Nombre minimum de choix", question.minimumChoices, type: "number") : nil,
            maximumChoices: type == .multipleChoice ? field("choix-max", "Nombre maximum de choix", question.maximumChoices, type: "number") : nil,
            rankedCount: type == .ranking ? field("rangs", "Nombre de choix à classer", question.rankedCount, type: "number", hint: "Vide : toutes les options.") : nil,
            scaleMinimum: hasScale ? field("echelle-min", "Début de l'échelle (0 ou 1)", question.scaleMinimum, type: "number") : nil,
            scaleMaximum: hasScale ? field("echelle-max", "Fin de l'échelle (2 à 10)", question.scaleMaximum, type: "number") : nil,
            minimumLabel: hasScale ? field("libelle-min", "Libellé du début", question.minimumLabel, hint: "Par exemple : Pas du tout d'accord") : nil,
            maximumLabel: hasScale ? field("libelle-max", "Libellé de la fin", question.maximumLabel, hint: "Par exemple : Tout à fait d'accord") : nil,
            numberMinimum: type == .number ? field("nombre-min", "Minimum", question.numberMinimum) : nil,
            numberMaximum: type == .number ? field("nombre-max", "Maximum", question.numberMaximum) : nil,
            unit: type == .number ? field("unite", "Unité", question.unit, hint: "Par exemple : km, personnes") : nil,
            wholeNumber: type == .number ? BuilderCheckbox(name: name("entier"), label: "Nombre entier seulement", checked: question.wholeNumber) : nil,
            maximumLength: [.shortText, .longText].contains(type)
                ? field("longueur", "Longueur maximale (caractères)", question.maximumLength, type: "number", hint: "Vide : \(type == .shortText ? 200 : 5_000).") : nil,
            earliest: type == .date ? field("date-min", "Date au plus tôt", question.earliest, type: "date") : nil,
            latest: type == .date ? field("date-max", "Date au plus tard", question.latest, type: "date") : nil,
            isPlace: type == .place, levelName: name("niveau"),
            levels: type == .place
                ? [Choice(value: "commune", label: "Une commune", selected: question.level == "commune"),
                   Choice(value: "departement", label: "Un département", selected: question.level == "departement")] : [],
            upAction: "monter-question:\(section):\(index)", downAction: "descendre-question:\(section):\(index)",
            removeAction: "supprimer-question:\(section):\(index)",
            upTarget: "\(action)#s\(up.0)-q\(up.1)", downTarget: "\(action)#s\(down.0)-q\(down.1)", removeTarget: "\(action)#s\(section)",
            selfTarget: "\(action)#s\(section)-q\(index)"
        )
    }
}

/// `/admin/enquetes/importer`: a definition pasted as JSON.
struct SurveyImportPage {
    let errors: ErrorSummary?
    let jsonField: FormField
    let problems: [String]
    let hasProblems: Bool
}

/// `/admin/enquetes/{id}/apercu` and the editor's preview: the survey as a citizen sees it.
struct SurveyPreviewPage {
    let id: String?
    let survey: SurveyIntroduction
    let sections: [AnswerSection]
    let backLink: String
}
