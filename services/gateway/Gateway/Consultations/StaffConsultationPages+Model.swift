import DialogueContracts
import Foundation
import Wording

struct StaffConsultationListPage {
    struct Row {
        let id: String
        let title: String
        let status: String
        let dates: String
        let contributions: Int
    }

    let rows: [Row]
    let hasRows: Bool
}

/// The staff form of a consultation, with a plain-language hint under each text citizens read.
struct ConsultationEditorPage {
    struct Hinted {
        let field: FormField
        let hint: PlainLanguageHint?
    }

    let errors: ErrorSummary?
    let action: String
    let isNew: Bool
    let publicLink: String?
    let statusLabel: String?
    let revision: Int?
    let conflict: String?
    let titleField: FormField
    let question: Hinted
    let context: Hinted
    let use: Hinted
    let themesField: FormField
    let freeTheme: Bool
    let opensField: FormField
    let closesField: FormField
    let extendedField: FormField
    let acceptedError: String?
    let acceptedChoices: [Choice]
    let moderationError: String?
    let moderationChoices: [Choice]
    let resultsPublished: Bool

    init(form: ConsultationForm, errors: FormErrors, action: String, view: ConsultationView?, revision: Int?, conflict: String?) {
        self.errors = errors.summary
        self.action = action
        isNew = view == nil
        publicLink = view.map { SitePath.consultation($0.id).path }
        statusLabel = view?.status.label
        self.revision = revision
        self.conflict = conflict
        titleField = FormField(
            name: "title", label: "Titre", value: form.title, hint: "Court et clair (3 à 200 caractères).", error: errors["title"], required: true
        )
        question = Hinted(
            field: FormField(
                name: "question", label: "La question posée", value: form.question, hint: "Ce que l'assemblée demande aux habitants (10 à 500 caractères).",
                error: errors["question"], required: true, rows: 3
            ),
            hint: PlainLanguageHint(form.question, id: "question-lisibilite")
        )
        context = Hinted(
            field: FormField(
                name: "context", label: "Contexte (facultatif)", value: form.context, hint: "Quelques phrases simples (2 000 caractères au plus).",
                error: errors["context"], rows: 5
            ),
            hint: PlainLanguageHint(form.context, id: "context-lisibilite")
        )
        use = Hinted(
            field: FormField(
                name: "use", label: "À quoi serviront les contributions", value: form.use,
                hint: "Affiché avant que quiconque contribue : ce que l'assemblée fera des témoignages et propositions (10 à 2 000 caractères).",
                error: errors["use"], required: true, rows: 4
            ),
            hint: PlainLanguageHint(form.use, id: "use-lisibilite")
        )
        themesField = FormField(
            name: "themes", label: "Thématiques", value: form.themes,
            hint: "Une par ligne, 11 au plus (plus la thématique libre). Une thématique qui a des contributions ne peut plus être retirée.",
            error: errors["themes"], required: true, rows: 7
        )
        freeTheme = form.freeTheme
        opensField = FormField(
            name: "opens_at", label: "Ouverture", type: "datetime-local", value: form.opensAt, hint: "Heure de Paris.", error: errors["opens_at"],
            required: true
        )
        closesField = FormField(
            name: "closes_at", label: "Clôture", type: "datetime-local", value: form.closesAt, hint: "Heure de Paris.", error: errors["closes_at"],
            required: true
        )
        extendedField = FormField(
            name: "extended_until", label: "Prolongation jusqu'au (facultatif)", type: "datetime-local", value: form.extendedUntil,
            hint: "Annoncée sur la page de la consultation ; les contributions sont reçues jusqu'à cette date.", error: errors["extended_until"]
        )
        acceptedError = errors["accepted"]
        acceptedChoices = AcceptedContributions.allCases.map { Choice(value: $0.rawValue, label: $0.label, checked: $0.rawValue == form.accepted) }
        moderationError = errors["moderation"]
        moderationChoices = ConsultationModerationPolicy.allCases.map {
            Choice(value: $0.rawValue, label: $0.label, checked: $0.rawValue == form.moderation)
        }
        resultsPublished = form.resultsPublished
    }
}
