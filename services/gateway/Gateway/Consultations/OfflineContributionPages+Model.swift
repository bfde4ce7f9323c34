import DialogueContracts
import Foundation
import Wording

/// What a pasted CSV file gave: the text (kept in the form), its problems, and, when it has
/// none, the table of what « Enregistrer » would store.
struct OfflineFileSection {
    struct Row {
        let line: Int
        let kind: String
        let theme: String
        let title: String
        let author: String
        let origin: String
    }

    let csv: String?
    let problems: [String]
    let rows: [Row]
    let hasProblems: Bool
    let canStore: Bool
    let rowCount: String

    init(csv: String?, problems: [OfflineContributionImport.Problem], rows: [OfflineContributionImport.Row], themes: [ConsultationTheme] = []) {
        self.csv = csv
        self.problems = problems.map(\.text)
        hasProblems = !problems.isEmpty
        self.rows = problems.isEmpty
            ? rows.map { row in
                let entry = row.entry
                return Row(
                    line: row.line, kind: entry.draft.kind.label,
                    theme: themes.first { $0.code == entry.draft.theme }?.shownLabel ?? entry.draft.theme, title: entry.draft.title,
                    author: entry.authorName ?? "Anonyme", origin: entry.origin.publicLabel
                )
            }
            : []
        canStore = problems.isEmpty && !rows.isEmpty
        rowCount = rows.count == 1 ? "1 contribution" : "\(rows.count) contributions"
    }
}

/// The staff page of contributions gathered in person.
struct OfflineContributionPage {
    struct Choice {
        let value: String
        let label: String
        let selected: Bool
    }

    let id: String
    let title: String
    let errors: ErrorSummary?
    let kindChoices: [Choice]
    let kindError: String?
    let themeChoices: [Choice]
    let themeError: String?
    let channelChoices: [Choice]
    let channelError: String?
    let titleField: FormField
    let textField: FormField
    let reasonsField: FormField
    let communeField: FormField
    let authorField: FormField
    let placeField: FormField
    let dayField: FormField
    let sessionField: FormField
    let file: OfflineFileSection
    let columns: String
    let maximumLines: Int
    let maximumCharacters: String
    let hasProposals: Bool
    let proposalChoices: [Choice]
    let proposalError: String?
    let paperCountField: FormField
    let paperDayField: FormField
    let paperPlaceField: FormField

    init(view: ConsultationView, form: FormFields, errors: FormErrors, file: OfflineFileSection, proposals: [ContributionView]) {
        id = view.id.uuidString.lowercased()
        title = view.definition.title
        self.errors = errors.summary
        kindChoices = ContributionKind.allCases.filter(view.definition.accepted.accepts).map {
            Choice(value: $0.rawValue, label: $0.label, selected: form["type"] == $0.rawValue)
        }
        kindError = errors["type"]
        themeChoices = [Choice(value: "", label: "Choisissez une thématique", selected: form["thematique"] == nil)]
            + view.definition.themes.map { Choice(value: $0.code, label: $0.shownLabel, selected: form["thematique"] == $0.code) }
        themeError = errors["thematique"]
        channelChoices = OfflineChannel.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: form["canal"] == $0.rawValue) }
        channelError = errors["canal"]
        titleField = FormField(name: "titre", label: "Titre", value: form["titre"], error: errors["titre"], required: true)
        textField = FormField(
            name: "texte", label: "Texte (le témoignage, ou ce que propose la proposition)", value: form["texte"],
            hint: "De 10 à 5 000 caractères, tel que la personne l'a dit ou écrit.", error: errors["texte"], required: true, rows: 6
        )
        reasonsField = FormField(
            name: "pourquoi", label: "Pourquoi (propositions seulement)", value: form["pourquoi"], hint: "De 10 à 5 000 caractères.",
            error: errors["pourquoi"], rows: 4
        )
        communeField = FormField(name: "commune", label: "Commune (témoignages seulement, facultatif)", value: form["commune"], error: errors["commune"])
        authorField = FormField(
            name: "auteur", label: "Nom de l'auteur (facultatif)", value: form["auteur"],
            hint: "Seulement si la personne a accepté qu'il soit publié ; sinon la contribution est anonyme.", error: errors["auteur"]
        )
        placeField = FormField(
            name: "lieu", label: "Lieu de la rencontre", value: form["lieu"], hint: "Par exemple : salle des fêtes d'Hirson.", error: errors["lieu"],
            required: true
        )
        dayField = FormField(name: "date", label: "Date de la rencontre", type: "date", value: form["date"], error: errors["date"], required: true)
        sessionField = FormField(
            name: "rencontre", label: "Nom de la rencontre", value: form["rencontre"], hint: "Par exemple : Forum des associations de l'Aisne.",
            error: errors["rencontre"], required: true
        )
        self.file = file
        columns = OfflineContributionImport.columnList
        maximumLines = OfflineContributionImport.maximumLines
        maximumCharacters = OfflineContributionImport.maximumCharacters.formatted(.number.locale(Locale(identifier: "fr_FR")))
        hasProposals = !proposals.isEmpty
        proposalChoices = proposals.map {
            Choice(value: $0.id.uuidString.lowercased(), label: $0.title, selected: form["soutiens-proposition"] == $0.id.uuidString.lowercased())
        }
        proposalError = errors["soutiens-proposition"]
        paperCountField = FormField(
            name: "soutiens-nombre", label: "Nombre de soutiens", type: "number", value: form["soutiens-nombre"], error: errors["soutiens-nombre"],
            required: true
        )
        paperDayField = FormField(
            name: "soutiens-date", label: "Date de la collecte", type: "date", value: form["soutiens-date"], error: errors["soutiens-date"],
            required: true
        )
        paperPlaceField = FormField(
            name: "soutiens-lieu", label: "Lieu de la collecte", value: form["soutiens-lieu"], error: errors["soutiens-lieu"], required: true
        )
    }
}
