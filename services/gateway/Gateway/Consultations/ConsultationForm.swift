import DialogueContracts
import Foundation
import Wording

/// The staff form of a consultation, as typed: its fields read back from a post, turned into a
/// definition (or the errors next to each field), and filled from a saved consultation.
struct ConsultationForm {
    var title = ""
    var question = ""
    var context = ""
    var use = ""
    /// One theme per line.
    var themes = ""
    var freeTheme = true
    var opensAt = ""
    var closesAt = ""
    var extendedUntil = ""
    var accepted = AcceptedContributions.both.rawValue
    var moderation = ConsultationModerationPolicy.beforePublication.rawValue
    var resultsPublished = false

    init() {}

    init(form: FormFields) {
        title = form.raw("title") ?? ""
        question = form.raw("question") ?? ""
        context = form.raw("context") ?? ""
        use = form.raw("use") ?? ""
        themes = form.raw("themes") ?? ""
        freeTheme = form["free_theme"] != nil
        opensAt = form["opens_at"] ?? ""
        closesAt = form["closes_at"] ?? ""
        extendedUntil = form["extended_until"] ?? ""
        accepted = form["accepted"] ?? ""
        moderation = form["moderation"] ?? ""
        resultsPublished = form["results_published"] != nil
    }

    init(_ definition: ConsultationDefinition) {
        title = definition.title
        question = definition.question
        context = definition.context
        use = definition.use
        themes = definition.themes.filter { !$0.isFree }.map(\.label).joined(separator: "\n")
        freeTheme = definition.themes.contains { $0.isFree }
        opensAt = SurveyDraft.localText(definition.opensAt)
        closesAt = SurveyDraft.localText(definition.closesAt)
        extendedUntil = definition.extendedUntil.map(SurveyDraft.localText) ?? ""
        accepted = definition.accepted.rawValue
        moderation = definition.moderation.rawValue
        resultsPublished = definition.resultsPublished
    }

    /// Where a service's refusal naming a contract field shows.
    static let fieldNames = FormFieldNames(
        Dictionary(uniqueKeysWithValues: ["title", "question", "context", "use", "themes", "opens_at", "closes_at", "extended_until", "accepted", "moderation"].map { ($0, $0) }),
        otherwise: "title"
    )

    /// The themes, each keeping the code it had (`existing`) when its label is unchanged, so
    /// contributions filed under it stay there; the free theme last.
    func themeList(existing: [ConsultationTheme]) -> [ConsultationTheme] {
        var list: [ConsultationTheme] = []
        for line in themes.split(whereSeparator: \.isNewline) {
            let label = line.trimmingCharacters(in: .whitespaces)
            guard !label.isEmpty else { continue }
            let code = existing.first { !$0.isFree && $0.label == label }?.code ?? ConsultationTheme.code(for: label)
            list.append(ConsultationTheme(code: code, label: label))
        }
        if freeTheme { list.append(ConsultationTheme(code: ConsultationTheme.freeCode, label: "")) }
        return list
    }

    /// The definition, or every problem with the fields that carry them.
    func definition(existing: [ConsultationTheme]) -> (ConsultationDefinition?, FormErrors) {
        var errors = FormErrors()
        func date(_ text: String, _ field: String, _ label: String, required: Bool) -> Date? {
            guard !text.isEmpty else {
                if required { errors.add(field, "Indiquez la date \(label).") }
                return nil
            }
            guard let date = SurveyDraft.localDate(text) else {
                errors.add(field, "La date \(label) s'écrit jj/mm/aaaa hh:mm.")
                return nil
            }
            return date
        }
        let opens = date(opensAt, "opens_at", "d'ouverture", required: true)
        let closes = date(closesAt, "closes_at", "de clôture", required: true)
        let extended = date(extendedUntil, "extended_until", "de prolongation", required: false)
        let acceptedKinds = AcceptedContributions(rawValue: accepted)
        if acceptedKinds == nil { errors.add("accepted", "Choisissez les contributions acceptées.") }
        let policy = ConsultationModerationPolicy(rawValue: moderation)
        if policy == nil { errors.add("moderation", "Choisissez quand la modération relit les contributions.") }
        let definition = ConsultationDefinition(
            title: title, question: question, context: context, use: use, themes: themeList(existing: existing),
            opensAt: opens ?? Date(), closesAt: closes ?? Date(), extendedUntil: extended, accepted: acceptedKinds ?? .both,
            moderation: policy ?? .beforePublication, resultsPublished: resultsPublished
        )
        for problem in definition.problems {
            let field = problem.field ?? "title"
            // A date already refused as unreadable is not judged again.
            if ["closes_at", "extended_until"].contains(field), opens == nil || closes == nil { continue }
            if errors[field] == nil { errors.add(field, problem.message) }
        }
        return errors.isEmpty ? (definition, errors) : (nil, Self.ordered(errors))
    }

    /// The errors in the order of the form, as the summary lists them.
    private static func ordered(_ errors: FormErrors) -> FormErrors {
        let order = ["title", "question", "context", "use", "themes", "opens_at", "closes_at", "extended_until", "accepted", "moderation"]
        var sorted = FormErrors()
        for field in order { if let message = errors[field] { sorted.add(field, message) } }
        for item in errors.items where !order.contains(item.field) { sorted.add(item.field, item.message) }
        return sorted
    }
}
