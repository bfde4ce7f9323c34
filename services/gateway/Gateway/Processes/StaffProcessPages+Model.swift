import DialogueContracts
import Foundation
import ServiceKit
import Wording

// What the staff process templates (`admin-processes`, `admin-process-new`) show.

/// `/admin/processus`: every process, the latest begun first.
struct StaffProcessListPage {
    struct Row {
        let id: String
        let title: String
        let policy: String
        let stage: String
        let phases: Int
    }

    let rows: [Row]
    let hasRows: Bool

    init(_ list: ProcessList, at date: Date = Date()) {
        rows = list.items.map {
            Row(id: $0.id.uuidString.lowercased(), title: $0.title, policy: $0.policy, stage: ProcessLabels.stage($0, at: date), phases: $0.phases.count)
        }
        hasRows = !rows.isEmpty
    }
}

/// `/admin/processus/nouveau`: the process and its phases, one fieldset per phase (no script:
/// a button adds one, another fills them from seed 001's model); what was typed comes back
/// with each error next to its field.
struct ProcessForm {
    /// A phase's fields as typed.
    struct PhaseValues: Equatable {
        var kind = ""
        var title = ""
        var startsOn = ""
        var endsOn = ""
        var description = ""
        var consultation = ""
        var forum = ""
        var survey = ""
        /// One document a line: « titre | adresse ».
        var documents = ""

        var isBlank: Bool {
            [kind, title, startsOn, endsOn, description, consultation, forum, survey, documents].allSatisfy {
                $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            }
        }

        init() {}

        init(_ phase: ProcessPhaseDraft) {
            kind = phase.kind.rawValue
            title = phase.title
            startsOn = phase.startsOn
            endsOn = phase.endsOn
            description = phase.description
            consultation = phase.consultationID?.uuidString.lowercased() ?? ""
            forum = phase.forumID?.uuidString.lowercased() ?? ""
            survey = phase.surveyID?.uuidString.lowercased() ?? ""
            documents = phase.documents.map { "\($0.title) | \($0.url)" }.joined(separator: "\n")
        }
    }

    /// The fields as typed.
    struct Values {
        static let maximumSlots = ProcessDraft.phaseCount.upperBound

        var title = ""
        var policy = ""
        var purpose = ""
        var templateStart = ""
        var phases: [PhaseValues] = [PhaseValues()]

        init() {}

        /// The form as sent: its phases in order, blank ones left out.
        init(_ form: FormFields) {
            title = form["titre"] ?? ""
            policy = form["politique"] ?? ""
            purpose = form["objet"] ?? ""
            templateStart = form["modele-debut"] ?? ""
            let slots = min(max(Int(form["etapes"] ?? "") ?? 1, 1), Self.maximumSlots)
            phases = (1...slots).map { slot in
                var phase = PhaseValues()
                let field = { (name: String) in form["etape-\(slot)-\(name)"] ?? "" }
                phase.kind = field("type")
                phase.title = field("nom")
                phase.startsOn = field("debut")
                phase.endsOn = field("fin")
                phase.description = field("description")
                phase.consultation = field("consultation")
                phase.forum = field("forum")
                phase.survey = field("enquete")
                phase.documents = field("documents")
                return phase
            }.filter { !$0.isBlank }
        }

        /// The draft, or nil with the errors of the fields the service cannot read (a phase's
        /// type, ids, document lines); phases are numbered as shown, from 1.
        func draft(errors: inout FormErrors) -> ProcessDraft? {
            var phaseDrafts: [ProcessPhaseDraft] = []
            var readable = true
            if phases.isEmpty { errors.add(ProcessForm.fieldName(for: "phases"), "Décrivez au moins une étape.") }
            for (index, phase) in phases.enumerated() {
                let slot = index + 1
                func identifier(_ text: String, _ name: String, _ what: String) -> UUID? {
                    let trimmed = text.trimmingCharacters(in: .whitespaces)
                    guard !trimmed.isEmpty else { return nil }
                    guard let id = UUID(uuidString: trimmed) else {
                        errors.add("etape-\(slot)-\(name)", "L'identifiant \(what) de l'étape \(slot) n'est pas valide : copiez-le depuis sa page.")
                        readable = false
                        return nil
                    }
                    return id
                }
                let kind = ProcessPhaseKind(rawValue: phase.kind)
                if kind == nil {
                    errors.add("etape-\(slot)-type", "Choisissez le type de l'étape \(slot).")
                    readable = false
                }
                let consultation = identifier(phase.consultation, "consultation", "de la consultation")
                let forum = identifier(phase.forum, "forum", "du forum")
                let survey = identifier(phase.survey, "enquete", "de l'enquête")
                var documents: [ProcessDocument] = []
                for line in phase.documents.split(whereSeparator: \.isNewline) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    let parts = line.split(separator: "|", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else {
                        errors.add("etape-\(slot)-documents", "Écrivez chaque document de l'étape \(slot) sur une ligne : titre | adresse.")
                        readable = false
                        break
                    }
                    documents.append(ProcessDocument(title: parts[0], url: parts[1]))
                }
                phaseDrafts.append(ProcessPhaseDraft(
                    kind: kind ?? .free, title: phase.title, startsOn: phase.startsOn, endsOn: phase.endsOn, description: phase.description,
                    consultationID: consultation, forumID: forum, surveyID: survey, documents: documents
                ))
            }
            let draft = ProcessDraft(title: title, policy: policy, purpose: purpose, phases: phaseDrafts)
            // A phase whose type is missing stands as a free one in the draft: its name is not asked for on that account.
            let untyped = Set(phases.indices.filter { ProcessPhaseKind(rawValue: phases[$0].kind) == nil }.map { ProcessDraft.phaseField($0, "title") })
            for problem in draft.problems where !untyped.contains(problem.field ?? "") {
                errors.add(ProcessForm.fieldName(for: problem.field), problem.message)
            }
            return readable && errors.isEmpty ? draft : nil
        }
    }

    /// One phase's fieldset.
    struct PhaseFieldset {
        let number: Int
        let kindField: String
        let kindError: String?
        let kinds: [Choice]
        let titleField: FormField
        let startsField: FormField
        let endsField: FormField
        let descriptionField: FormField
        let consultationField: FormField
        let forumField: FormField
        let surveyField: FormField
        let documentsField: FormField
    }

    let errors: ErrorSummary?
    let titleField: FormField
    let policyField: FormField
    let purposeField: FormField
    let templateStartField: FormField
    let phases: [PhaseFieldset]
    let slotCount: Int
    let canAdd: Bool

    /// The form's field where a refusal naming `contractField` shows (`phases[2].starts_on` → `etape-3-debut`).
    static func fieldName(for contractField: String?) -> String {
        guard let contractField else { return "titre" }
        let top = ["title": "titre", "policy": "politique", "purpose": "objet", "phases": "etape-1-type"]
        if let name = top[contractField] { return name }
        guard contractField.hasPrefix("phases["), let close = contractField.firstIndex(of: "]"),
              let index = Int(contractField[contractField.index(contractField.startIndex, offsetBy: 7)..<close]) else { return "titre" }
        let names = [
            "title": "nom", "starts_on": "debut", "ends_on": "fin", "description": "description", "consultation_id": "consultation",
            "forum_id": "forum", "survey_id": "enquete", "documents": "documents", "kind": "type",
        ]
        let field = contractField[contractField.index(after: close)...].drop { $0 == "." }
        return "etape-\(index + 1)-\(names[String(field)] ?? "type")"
    }

    init(values: Values, errors: FormErrors, extraSlot: Bool = false) {
        self.errors = errors.summary
        titleField = FormField(name: "titre", label: "Titre de la démarche", value: values.title, hint: "De 3 à 150 caractères.", error: errors["titre"], required: true)
        policyField = FormField(
            name: "politique", label: "Politique publique concernée", value: values.policy,
            hint: "Par exemple « Politique départementale de la jeunesse ».", error: errors["politique"], required: true
        )
        purposeField = FormField(
            name: "objet", label: "Objet de la démarche", value: values.purpose,
            hint: "Ce qu'elle prépare et ce qui sera fait des contributions (10 à 5 000 caractères).", error: errors["objet"], required: true, rows: 5
        )
        templateStartField = FormField(
            name: "modele-debut", label: "Premier jour de l'appel à contributions", type: "date", value: values.templateStart,
            hint: "Les sept étapes se suivent à partir de ce jour ; vous ajustez ensuite chaque date.", error: errors["modele-debut"]
        )
        var shown = values.phases.isEmpty ? [PhaseValues()] : values.phases
        if extraSlot && shown.count < Values.maximumSlots { shown.append(PhaseValues()) }
        phases = shown.enumerated().map { index, phase in
            let number = index + 1
            let name = { (field: String) in "etape-\(number)-\(field)" }
            return PhaseFieldset(
                number: number, kindField: name("type"), kindError: errors[name("type")],
                kinds: [Choice(value: "", label: "— Choisir —", selected: phase.kind.isEmpty)]
                    + ProcessPhaseKind.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == phase.kind) },
                titleField: FormField(
                    name: name("nom"), label: "Nom de l'étape", value: phase.title,
                    hint: "Facultatif pour l'une des sept étapes (son nom s'affiche alors) ; obligatoire pour une étape libre.", error: errors[name("nom")]
                ),
                startsField: FormField(name: name("debut"), label: "Premier jour", type: "date", value: phase.startsOn, error: errors[name("debut")], required: true),
                endsField: FormField(name: name("fin"), label: "Dernier jour", type: "date", value: phase.endsOn, error: errors[name("fin")], required: true),
                descriptionField: FormField(
                    name: name("description"), label: "Description (facultatif)", value: phase.description,
                    hint: "Ce qui se passe pendant l'étape, puis ce qui s'y est passé.", error: errors[name("description")], rows: 3
                ),
                consultationField: FormField(
                    name: name("consultation"), label: "Consultation ouverte dans l'étape (identifiant, facultatif)", value: phase.consultation,
                    error: errors[name("consultation")]
                ),
                forumField: FormField(name: name("forum"), label: "Forum ouvert dans l'étape (identifiant, facultatif)", value: phase.forum, error: errors[name("forum")]),
                surveyField: FormField(name: name("enquete"), label: "Enquête ouverte dans l'étape (identifiant, facultatif)", value: phase.survey, error: errors[name("enquete")]),
                documentsField: FormField(
                    name: name("documents"), label: "Documents (facultatif)", value: phase.documents,
                    hint: "Un document par ligne : titre | adresse (https://… ou /…).", error: errors[name("documents")], rows: 3
                )
            )
        }
        slotCount = phases.count
        canAdd = phases.count < Values.maximumSlots
    }
}

/// The French words of a process's state.
enum ProcessLabels {
    /// « Étape 3 sur 7 en cours : Ateliers », « Démarche terminée »…
    static func stage(_ process: ProcessView, at date: Date = Date()) -> String {
        let count = process.phases.count
        switch process.stage(at: date) {
        case .notStarted:
            return "À venir : débute le \(day(process.phases.first?.startsOn))"
        case .inPhase(let index):
            return "Étape \(index + 1) sur \(count) en cours : \(process.phases[index].shownTitle)"
        case .between(let next):
            return "Entre deux étapes : l'étape \(next + 1) sur \(count), \(process.phases[next].shownTitle), débute le \(day(process.phases[next].startsOn))"
        case .finished:
            return "Démarche terminée"
        }
    }

    /// « 1er mars 2027 » for a `yyyy-MM-dd` day.
    static func day(_ day: String?) -> String {
        // Its midnight in Paris, where `FrenchDate` reads it.
        guard let day, let start = ProcessDay.start(of: day) else { return day ?? "" }
        return FrenchDate.day(start)
    }

    /// « du 1er mars 2027 au 12 avril 2027 », « le 3 juin 2027 » for a one-day phase.
    static func days(_ phase: ProcessPhaseView) -> String {
        phase.startsOn == phase.endsOn ? "le \(day(phase.startsOn))" : "du \(day(phase.startsOn)) au \(day(phase.endsOn))"
    }

    static func timing(_ timing: ProcessPhaseTiming) -> String {
        switch timing {
        case .past: "Terminée"
        case .current: "En cours"
        case .coming: "À venir"
        }
    }
}
