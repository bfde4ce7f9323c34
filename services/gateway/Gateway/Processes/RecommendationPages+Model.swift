import DialogueContracts
import Foundation
import ServiceKit
import Wording

// What the recommendation templates (`process-recommendations`, `recommendation`,
// `admin-process-recommendations`) show.

/// The French words of recommendations, shared by the public and the staff pages.
enum RecommendationLabels {
    static func heading(_ recommendation: RecommendationView) -> String { "Recommandation n° \(recommendation.number) : \(recommendation.title)" }

    static func fate(_ decision: RecommendationDecision?) -> String {
        decision.map { "Décision des élus : \($0.fate.label.lowercased())" } ?? "En attente de la décision des élus"
    }

    static func citations(_ count: Int) -> String {
        switch count {
        case 0: "Ne cite aucune contribution"
        case 1: "S'appuie sur 1 contribution citoyenne"
        default: "S'appuie sur \(count) contributions citoyennes"
        }
    }

    static func kind(_ kind: ContributionKind) -> String { kind == .testimony ? "Témoignage" : "Proposition" }
}

/// One implementation milestone, as a table row reads it.
struct MilestoneRow {
    let id: String
    let title: String
    let due: String
    let status: String
    let progress: Int

    init(_ milestone: MilestoneView) {
        id = milestone.id.uuidString.lowercased()
        title = milestone.title
        due = ProcessLabels.day(milestone.dueOn)
        status = milestone.status.label
        progress = milestone.progress
    }
}

/// A contribution a recommendation cites, linked to its page.
struct CitedContributionLink {
    let title: String
    let href: String
    let meta: String

    init(_ contribution: CitedContribution) {
        title = contribution.title
        href = SitePath.contribution(contribution.contributionID).path
        meta = [RecommendationLabels.kind(contribution.kind), contribution.authorName].compactMap { $0 }.joined(separator: " · ")
    }
}

/// `/processus/{id}/recommandations`: the orientation report, recommendation by recommendation,
/// with each one's fate and milestones.
struct ProcessRecommendationsPage {
    struct Item {
        let heading: String
        let href: String
        let fate: String
        let citations: String
        let milestones: [MilestoneRow]
        let hasMilestones: Bool
    }

    let processID: String
    let processTitle: String
    let items: [Item]
    let empty: Bool

    init(_ list: RecommendationList) {
        processID = list.processID.uuidString.lowercased()
        processTitle = list.processTitle
        items = list.items.map {
            Item(
                heading: RecommendationLabels.heading($0), href: SitePath.recommendation($0.id).path, fate: RecommendationLabels.fate($0.decision),
                citations: RecommendationLabels.citations($0.contributions.count), milestones: $0.milestones.map(MilestoneRow.init),
                hasMilestones: !$0.milestones.isEmpty
            )
        }
        empty = items.isEmpty
    }
}

/// `/recommandations/{id}`: a recommendation, the contributions it draws on (each linked), what
/// the council made of it and its implementation.
struct RecommendationPage {
    let heading: String
    let processID: String
    let processTitle: String
    let text: [String]
    let publishedOn: String?
    let contributions: [CitedContributionLink]
    let hasContributions: Bool
    let fate: String
    let reasonLabel: String?
    let reason: String?
    let decidedOn: String?
    let milestones: [MilestoneRow]
    let hasMilestones: Bool
    let awaitsMilestones: Bool

    init(_ recommendation: RecommendationView) {
        heading = RecommendationLabels.heading(recommendation)
        processID = recommendation.processID.uuidString.lowercased()
        processTitle = recommendation.processTitle
        text = TextParagraphs.of(recommendation.text)
        publishedOn = recommendation.publishedAt.map(FrenchDate.day)
        contributions = recommendation.contributions.map(CitedContributionLink.init)
        hasContributions = !contributions.isEmpty
        fate = RecommendationLabels.fate(recommendation.decision)
        reasonLabel = recommendation.decision?.reason == nil ? nil : recommendation.decision?.fate.reasonLabel
        reason = recommendation.decision?.reason
        decidedOn = recommendation.decision.map { FrenchDate.day($0.decidedAt) }
        milestones = recommendation.milestones.map(MilestoneRow.init)
        hasMilestones = !milestones.isEmpty
        awaitsMilestones = milestones.isEmpty && recommendation.decision?.fate.isImplemented == true
    }
}

/// `/admin/processus/{id}/recommandations`: the report as staff write it — each recommendation
/// with what can be done to it next (publish, decide, add or move a milestone) — and the form of
/// a new one whose contributions are ticked among those of the process's consultations. A form
/// sent back with errors keeps what was typed (`typed`) next to its messages.
struct StaffRecommendationsPage {
    struct ContributionChoice {
        let id: String
        let title: String
        let meta: String
        let href: String
        let checked: Bool
    }

    struct MilestoneForm {
        let action: String
        let milestoneID: String?
        let legend: String
        let titleField: FormField
        let dueField: FormField
        let progressField: FormField
        let statusField: String
        let statusError: String?
        let statuses: [Choice]
        let button: String
    }

    struct Item {
        let id: String
        let anchor: String
        let heading: String
        let href: String
        let state: String
        let draft: Bool
        let text: [String]
        let contributions: [CitedContributionLink]
        let hasContributions: Bool
        let published: Bool
        let fateField: String
        let fateError: String?
        let fates: [Choice]
        let reasonField: FormField
        let canHaveMilestones: Bool
        let milestoneForms: [MilestoneForm]
    }

    let processID: String
    let processTitle: String
    let errors: ErrorSummary?
    let items: [Item]
    let hasItems: Bool
    let numberField: FormField
    let titleField: FormField
    let textField: FormField
    let contributionsError: String?
    let choices: [ContributionChoice]
    let hasChoices: Bool

    /// The form's field for each contract field of a new recommendation.
    static let newFields = FormFieldNames(["number": "numero", "title": "titre", "text": "texte", "contributions": "contributions"], otherwise: "numero")

    static func decisionField(_ id: UUID, _ name: String) -> String { "decision-\(id.uuidString.lowercased())-\(name)" }
    /// A milestone form's fields: `jalon-<milestone>-…` for one that exists, `jalon-<recommendation>-…` for a new one.
    static func milestoneField(_ owner: UUID, _ name: String) -> String { "jalon-\(owner.uuidString.lowercased())-\(name)" }

    init(list: RecommendationList, contributions: [ContributionView], typed: FormFields, errors: FormErrors) {
        processID = list.processID.uuidString.lowercased()
        processTitle = list.processTitle
        self.errors = errors.summary
        // The form sent back shows what was typed; every other form shows what is stored.
        func value(_ name: String, _ stored: String?) -> String? { typed.raw(name) ?? stored }
        items = list.items.map { recommendation in
            let id = recommendation.id.uuidString.lowercased()
            let fateName = Self.decisionField(recommendation.id, "sort")
            let typedFate = typed[fateName] ?? recommendation.decision?.fate.rawValue
            var forms: [MilestoneForm] = []
            if recommendation.decision?.fate.isImplemented == true {
                let action = "/admin/recommandations/\(id)/jalons"
                func form(owner: UUID, milestone: MilestoneView?) -> MilestoneForm {
                    let field = { (name: String) in Self.milestoneField(owner, name) }
                    let status = typed[field("etat")] ?? milestone?.status.rawValue ?? MilestoneStatus.planned.rawValue
                    return MilestoneForm(
                        action: action, milestoneID: milestone?.id.uuidString.lowercased(),
                        legend: milestone.map { "Jalon « \($0.title) »" } ?? "Nouveau jalon de mise en œuvre",
                        titleField: FormField(name: field("titre"), label: "Intitulé du jalon", value: value(field("titre"), milestone?.title), error: errors[field("titre")], required: true),
                        dueField: FormField(
                            name: field("echeance"), label: "Échéance", type: "date", value: value(field("echeance"), milestone?.dueOn),
                            hint: "Par exemple 2028-06-30.", error: errors[field("echeance")], required: true
                        ),
                        progressField: FormField(
                            name: field("avancement"), label: "Avancement (en %)", type: "number", value: value(field("avancement"), milestone.map { String($0.progress) } ?? "0"),
                            hint: "De 0 à 100 ; un jalon atteint est à 100.", error: errors[field("avancement")], required: true
                        ),
                        statusField: field("etat"), statusError: errors[field("etat")],
                        statuses: MilestoneStatus.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == status) },
                        button: milestone == nil ? "Ajouter le jalon" : "Enregistrer le jalon"
                    )
                }
                forms = recommendation.milestones.map { form(owner: $0.id, milestone: $0) } + [form(owner: recommendation.id, milestone: nil)]
            }
            return Item(
                id: id, anchor: "recommandation-\(recommendation.number)", heading: RecommendationLabels.heading(recommendation),
                href: SitePath.recommendation(recommendation.id).path,
                state: recommendation.publishedAt.map { "Publiée le \(FrenchDate.day($0)) · \(RecommendationLabels.fate(recommendation.decision))" }
                    ?? "Brouillon : ni public ni annoncé",
                draft: recommendation.publishedAt == nil, text: TextParagraphs.of(recommendation.text),
                contributions: recommendation.contributions.map(CitedContributionLink.init), hasContributions: !recommendation.contributions.isEmpty,
                published: recommendation.publishedAt != nil, fateField: fateName, fateError: errors[fateName],
                fates: RecommendationFate.allCases.map { Choice(value: $0.rawValue, label: $0.label, checked: $0.rawValue == typedFate) },
                reasonField: FormField(
                    name: Self.decisionField(recommendation.id, "raison"), label: "Raison",
                    value: value(Self.decisionField(recommendation.id, "raison"), recommendation.decision?.reason),
                    hint: "Obligatoire si elle est modifiée ou écartée : ce qui a changé, ou pourquoi.",
                    error: errors[Self.decisionField(recommendation.id, "raison")], rows: 3
                ),
                canHaveMilestones: !forms.isEmpty, milestoneForms: forms
            )
        }
        hasItems = !items.isEmpty
        numberField = FormField(
            name: "numero", label: "Numéro", type: "number", value: typed["numero"] ?? String((list.items.map(\.number).max() ?? 0) + 1),
            hint: "Son numéro dans le rapport d'orientation (1 à 999).", error: errors["numero"], required: true
        )
        titleField = FormField(name: "titre", label: "Titre", value: typed.raw("titre"), hint: "De 3 à 200 caractères.", error: errors["titre"], required: true)
        textField = FormField(
            name: "texte", label: "Texte de la recommandation", value: typed.raw("texte"), hint: "De 10 à 10 000 caractères.", error: errors["texte"],
            required: true, rows: 6
        )
        contributionsError = errors["contributions"]
        let ticked = Set(typed.all("contributions"))
        choices = contributions.map {
            let id = $0.id.uuidString.lowercased()
            return ContributionChoice(
                id: id, title: $0.title, meta: RecommendationLabels.kind($0.kind), href: SitePath.contribution($0.id).path, checked: ticked.contains(id)
            )
        }
        hasChoices = !choices.isEmpty
    }
}
