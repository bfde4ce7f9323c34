import DialogueContracts
import Foundation
import SurveyRules

/// A survey as the builder's form holds it: every field as typed, so a form sent back with
/// errors (or after adding, moving or removing a question) loses nothing. It turns into a
/// `SurveyDefinition` — or into the problems, one per field, that stop it — and back.
///
/// Form names are positional: `s0-titre` for the first section's title, `s0-q1-type` for the
/// type of its second question; an error summary links to them by the same names.
struct SurveyDraft: Sendable, Equatable {
    var title = ""
    var introduction = ""
    var purpose = ""
    /// `yyyy-MM-ddTHH:mm`, in the region's time zone (a `datetime-local` field).
    var opensAt = ""
    var closesAt = ""
    var audience = SurveyAudience.confirmedEmail.rawValue
    var results = SurveyResultsVisibility.afterClosing.rawValue
    var consultation = ""
    var sections: [Section] = []

    struct Section: Sendable, Equatable {
        var id = ""
        var title = ""
        var condition = ""
        var questions: [Question] = []
    }

    struct Question: Sendable, Equatable {
        var id = ""
        var type = SurveyQuestionType.singleChoice.rawValue
        var prompt = ""
        var help = ""
        var required = false
        var condition = ""
        /// One option (or matrix row) a line, `id = Libellé`; a line without `=` gets an id from its label.
        var options = ""
        var allowsOther = false
        var minimumChoices = ""
        var maximumChoices = ""
        var rankedCount = ""
        var scaleMinimum = "1"
        var scaleMaximum = "5"
        var minimumLabel = ""
        var maximumLabel = ""
        var numberMinimum = ""
        var numberMaximum = ""
        var unit = ""
        var wholeNumber = false
        var maximumLength = ""
        var earliest = ""
        var latest = ""
        var level = SurveyPlaceLevel.commune.rawValue
    }

    // MARK: Form names

    static func sectionField(_ section: Int, _ name: String) -> String { "s\(section)-\(name)" }
    static func questionField(_ section: Int, _ question: Int, _ name: String) -> String { "s\(section)-q\(question)-\(name)" }

    // MARK: From and to the form

    /// Reads the builder's form (sections and questions are numbered from 0 without gaps).
    init(form: FormFields) {
        func text(_ name: String) -> String { form.raw(name)?.replacingOccurrences(of: "\r\n", with: "\n") ?? "" }
        title = text("titre")
        introduction = text("introduction")
        purpose = text("usage")
        opensAt = text("ouverture")
        closesAt = text("cloture")
        audience = text("public")
        results = text("resultats")
        consultation = text("consultation")
        var sectionIndex = 0
        while form.raw(Self.sectionField(sectionIndex, "id")) != nil, sectionIndex < 100 {
            var section = Section(
                id: text(Self.sectionField(sectionIndex, "id")), title: text(Self.sectionField(sectionIndex, "titre")),
                condition: text(Self.sectionField(sectionIndex, "condition"))
            )
            var questionIndex = 0
            while form.raw(Self.questionField(sectionIndex, questionIndex, "id")) != nil, questionIndex < SurveyLimits.questionCount {
                func field(_ name: String) -> String { text(Self.questionField(sectionIndex, questionIndex, name)) }
                func checked(_ name: String) -> Bool { form.isChecked(Self.questionField(sectionIndex, questionIndex, name)) }
                section.questions.append(Question(
                    id: field("id"), type: field("type"), prompt: field("intitule"), help: field("aide"), required: checked("obligatoire"),
                    condition: field("condition"), options: field("options"), allowsOther: checked("autre"),
                    minimumChoices: field("choix-min"), maximumChoices: field("choix-max"), rankedCount: field("rangs"),
                    scaleMinimum: field("echelle-min"), scaleMaximum: field("echelle-max"), minimumLabel: field("libelle-min"),
                    maximumLabel: field("libelle-max"), numberMinimum: field("nombre-min"), numberMaximum: field("nombre-max"),
                    unit: field("unite"), wholeNumber: checked("entier"), maximumLength: field("longueur"),
                    earliest: field("date-min"), latest: field("date-max"), level: field("niveau")
                ))
                questionIndex += 1
            }
            sections.append(section)
            sectionIndex += 1
        }
    }

    init() {}

    /// A definition written back in the form's terms.
    init(_ definition: SurveyDefinition) {
        title = definition.title
        introduction = definition.introduction
        purpose = definition.purpose
        opensAt = definition.opensAt.map(Self.localText) ?? ""
        closesAt = definition.closesAt.map(Self.localText) ?? ""
        audience = definition.audience.rawValue
        results = definition.resultsVisibility.rawValue
        consultation = definition.consultationID?.uuidString.lowercased() ?? ""
        sections = definition.sections.map { section in
            Section(
                id: section.id, title: section.title, condition: section.condition.map(SurveyConditionText.text(of:)) ?? "",
                questions: section.questions.map(Question.init)
            )
        }
    }

    // MARK: Changes made by the form's buttons

    /// A fresh id for a new question or section, unused in the draft.
    func unusedID(prefix: String) -> String {
        let used = Set(sections.map(\.id) + sections.flatMap { $0.questions.map(\.id) })
        var number = 1
        while used.contains("\(prefix)\(number)") { number += 1 }
        return "\(prefix)\(number)"
    }

    mutating func addSection() {
        sections.append(Section(id: unusedID(prefix: "section"), questions: []))
    }

    mutating func addQuestion(to section: Int, type: String) {
        guard sections.indices.contains(section) else { return }
        var question = Question(id: unusedID(prefix: "q"))
        question.type = SurveyQuestionType(rawValue: type)?.rawValue ?? SurveyQuestionType.singleChoice.rawValue
        sections[section].questions.append(question)
    }

    mutating func removeQuestion(section: Int, question: Int) {
        guard sections.indices.contains(section), sections[section].questions.indices.contains(question) else { return }
        sections[section].questions.remove(at: question)
    }

    /// Moves a question up or down one place, across into the neighbouring section at an end.
    mutating func moveQuestion(section: Int, question: Int, by offset: Int) {
        guard sections.indices.contains(section), sections[section].questions.indices.contains(question) else { return }
        let target = question + offset
        if sections[section].questions.indices.contains(target) {
            sections[section].questions.swapAt(question, target)
        } else if offset < 0, section > 0 {
            let moved = sections[section].questions.remove(at: question)
            sections[section - 1].questions.append(moved)
        } else if offset > 0, section + 1 < sections.count {
            let moved = sections[section].questions.remove(at: question)
            sections[section + 1].questions.insert(moved, at: 0)
        }
    }

    mutating func removeSection(_ section: Int) {
        guard sections.indices.contains(section) else { return }
        sections.remove(at: section)
    }

    mutating func moveSection(_ section: Int, by offset: Int) {
        let target = section + offset
        guard sections.indices.contains(section), sections.indices.contains(target) else { return }
        sections.swapAt(section, target)
    }

    // MARK: To a definition

    /// The definition the draft describes, or every problem in it: first what does not read
    /// (a number, a date, a condition), then the rules of `SurveyDefinitionCheck`, each on the
    /// form field it concerns.
    func definition() -> (definition: SurveyDefinition?, errors: FormErrors) {
        var errors = FormErrors()
        let opens = Self.date(opensAt, field: "ouverture", label: "d'ouverture", errors: &errors)
        let closes = Self.date(closesAt, field: "cloture", label: "de clôture", errors: &errors)
        let audienceValue = SurveyAudience(rawValue: audience) ?? .confirmedEmail
        let resultsValue = SurveyResultsVisibility(rawValue: results) ?? .afterClosing
        var consultationID: UUID?
        let consultationText = consultation.trimmingCharacters(in: .whitespaces)
        if !consultationText.isEmpty {
            consultationID = UUID(uuidString: consultationText)
            if consultationID == nil { errors.add("consultation", "L'identifiant de consultation n'est pas reconnu : laissez vide pour une enquête à part.") }
        }
        var builtSections: [SurveySection] = []
        for (sectionIndex, section) in sections.enumerated() {
            var condition: SurveyCondition?
            do { condition = try SurveyConditionText.condition(from: section.condition) } catch {
                errors.add(Self.sectionField(sectionIndex, "condition"), error.message)
            }
            var questions: [SurveyQuestion] = []
            for (questionIndex, question) in section.questions.enumerated() {
                if let built = question.question(errors: &errors, field: { Self.questionField(sectionIndex, questionIndex, $0) }) {
                    questions.append(built)
                }
            }
            builtSections.append(SurveySection(
                id: section.id.trimmingCharacters(in: .whitespaces), title: section.title.trimmingCharacters(in: .whitespacesAndNewlines),
                condition: condition, questions: questions
            ))
        }
        let definition = SurveyDefinition(
            title: title.trimmingCharacters(in: .whitespacesAndNewlines), introduction: introduction.trimmingCharacters(in: .whitespacesAndNewlines),
            purpose: purpose.trimmingCharacters(in: .whitespacesAndNewlines), opensAt: opens, closesAt: closes, audience: audienceValue,
            resultsVisibility: resultsValue, consultationID: consultationID, sections: builtSections
        )
        // The rules are checked even when something did not read, so every problem shows at once.
        for problem in SurveyDefinitionCheck.problems(in: definition) {
            errors.add(formField(for: problem.field), problem.message)
        }
        return (errors.isEmpty ? definition : nil, errors)
    }

    /// The form field a problem's field (`title`, `questions.q3`, `sections.s1`) is shown next to.
    func formField(for problemField: String?) -> String {
        guard let problemField else { return "titre" }
        let topLevel = [
            "title": "titre", "introduction": "introduction", "purpose": "usage", "opens_at": "ouverture", "closes_at": "cloture",
            "audience": "public", "consultation_id": "consultation", "sections": "sections",
        ]
        if let name = topLevel[problemField] { return name }
        if problemField.hasPrefix("questions.") {
            let id = String(problemField.dropFirst("questions.".count))
            for (sectionIndex, section) in sections.enumerated() {
                if let questionIndex = section.questions.firstIndex(where: { $0.id.trimmingCharacters(in: .whitespaces) == id }) {
                    return Self.questionField(sectionIndex, questionIndex, "intitule")
                }
            }
        }
        if problemField.hasPrefix("sections.") {
            let id = String(problemField.dropFirst("sections.".count))
            if let sectionIndex = sections.firstIndex(where: { $0.id.trimmingCharacters(in: .whitespaces) == id }) {
                return Self.sectionField(sectionIndex, "id")
            }
        }
        // A question or section no longer in the form (removed from an open survey): under the heading of the questions.
        return problemField.hasPrefix("questions.") || problemField.hasPrefix("sections.") ? "sections" : "titre"
    }

    // MARK: Dates

    private static let regionTimeZone = TimeZone(identifier: "Europe/Paris") ?? .current

    static func localText(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = regionTimeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }

    /// A `datetime-local` value (or a bare day, then at midnight) read in the region's time zone.
    static func localDate(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let pieces = trimmed.split(separator: "T", maxSplits: 1).map(String.init)
        let day = pieces.first?.split(separator: "-").compactMap { Int($0) } ?? []
        let time = pieces.count > 1 ? pieces[1].split(separator: ":").compactMap { Int($0) } : [0, 0]
        guard day.count == 3, time.count >= 2, (1...12).contains(day[1]), (1...31).contains(day[2]), (0...23).contains(time[0]), (0...59).contains(time[1])
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = regionTimeZone
        let components = DateComponents(year: day[0], month: day[1], day: day[2], hour: time[0], minute: time[1])
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day[2] else { return nil }
        return date
    }

    private static func date(_ text: String, field: String, label: String, errors: inout FormErrors) -> Date? {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let date = localDate(text) else {
            errors.add(field, "La date \(label) s'écrit jj/mm/aaaa hh:mm.")
            return nil
        }
        return date
    }
}

extension SurveyDraft.Question {
    init(_ question: SurveyQuestion) {
        id = question.id
        type = question.kind.type.rawValue
        prompt = question.prompt
        help = question.help ?? ""
        required = question.required
        condition = question.condition.map(SurveyConditionText.text(of:)) ?? ""
        options = question.kind.options.map { "\($0.id) = \($0.label)" }.joined(separator: "\n")
        func number(_ value: Double?) -> String {
            guard let value else { return "" }
            return value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
        }
        switch question.kind {
        case .singleChoice(_, let other):
            allowsOther = other
        case .multipleChoice(_, let other, let minimum, let maximum):
            allowsOther = other
            minimumChoices = minimum.map(String.init) ?? ""
            maximumChoices = maximum.map(String.init) ?? ""
        case .ranking(_, let count):
            rankedCount = count.map(String.init) ?? ""
        case .scale(let scale), .matrix(_, let scale):
            scaleMinimum = String(scale.minimum)
            scaleMaximum = String(scale.maximum)
            minimumLabel = scale.minimumLabel
            maximumLabel = scale.maximumLabel
        case .number(let minimum, let maximum, let unitText, let whole):
            numberMinimum = number(minimum)
            numberMaximum = number(maximum)
            unit = unitText ?? ""
            wholeNumber = whole
        case .shortText(let length), .longText(let length):
            maximumLength = String(length)
        case .date(let from, let to):
            earliest = from ?? ""
            latest = to ?? ""
        case .place(let placeLevel):
            level = placeLevel.rawValue
        case .sectionHeader:
            break
        }
    }

    /// The question, or nil after adding to `errors` what does not read.
    func question(errors: inout FormErrors, field: (String) -> String) -> SurveyQuestion? {
        func integer(_ text: String, _ name: String, _ message: String) -> Int? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            guard let value = Int(trimmed) else {
                errors.add(field(name), message)
                return nil
            }
            return value
        }
        func decimal(_ text: String, _ name: String, _ message: String) -> Double? {
            let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
            guard !trimmed.isEmpty else { return nil }
            guard let value = Double(trimmed), value.isFinite else {
                errors.add(field(name), message)
                return nil
            }
            return value
        }
        func day(_ text: String, _ name: String) -> String? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        var condition: SurveyCondition?
        do { condition = try SurveyConditionText.condition(from: self.condition) } catch {
            errors.add(field("condition"), error.message)
        }
        guard let questionType = SurveyQuestionType(rawValue: type) else {
            errors.add(field("type"), "Choisissez le type de la question dans la liste.")
            return nil
        }
        let parsedOptions = Self.options(from: options)
        func scale() -> SurveyScale {
            SurveyScale(
                minimum: integer(scaleMinimum, "echelle-min", "Le début de l'échelle est 0 ou 1.") ?? 1,
                maximum: integer(scaleMaximum, "echelle-max", "La fin de l'échelle est un nombre entier de 2 à 10.") ?? 5,
                minimumLabel: minimumLabel.trimmingCharacters(in: .whitespaces), maximumLabel: maximumLabel.trimmingCharacters(in: .whitespaces)
            )
        }
        let kind: SurveyQuestionKind = switch questionType {
        case .singleChoice: .singleChoice(options: parsedOptions, allowsOther: allowsOther)
        case .multipleChoice:
            .multipleChoice(
                options: parsedOptions, allowsOther: allowsOther,
                minimumChoices: integer(minimumChoices, "choix-min", "Le nombre minimum de choix est un nombre entier."),
                maximumChoices: integer(maximumChoices, "choix-max", "Le nombre maximum de choix est un nombre entier.")
            )
        case .ranking: .ranking(options: parsedOptions, rankedCount: integer(rankedCount, "rangs", "Le nombre de choix à classer est un nombre entier."))
        case .scale: .scale(scale())
        case .matrix: .matrix(rows: parsedOptions, scale: scale())
        case .number:
            .number(
                minimum: decimal(numberMinimum, "nombre-min", "Le minimum est un nombre (virgule ou point pour les décimales)."),
                maximum: decimal(numberMaximum, "nombre-max", "Le maximum est un nombre (virgule ou point pour les décimales)."),
                unit: unit.trimmingCharacters(in: .whitespaces).isEmpty ? nil : unit.trimmingCharacters(in: .whitespaces), wholeNumber: wholeNumber
            )
        case .shortText:
            .shortText(maximumLength: integer(maximumLength, "longueur", "La longueur maximale est un nombre entier de caractères.") ?? SurveyLimits.shortTextLength)
        case .longText:
            .longText(maximumLength: integer(maximumLength, "longueur", "La longueur maximale est un nombre entier de caractères.") ?? SurveyLimits.longTextLength)
        case .date: .date(earliest: day(earliest, "date-min"), latest: day(latest, "date-max"))
        case .place: .place(SurveyPlaceLevel(rawValue: level) ?? .commune)
        case .sectionHeader: .sectionHeader
        }
        let helpText = help.trimmingCharacters(in: .whitespacesAndNewlines)
        let built = SurveyQuestion(
            id: id.trimmingCharacters(in: .whitespaces), prompt: prompt.trimmingCharacters(in: .whitespacesAndNewlines),
            help: helpText.isEmpty ? nil : helpText, required: required, condition: condition, kind: kind
        )
        return built
    }

    /// `id = Libellé` lines; a line without `=` takes an id made from its label (« Très bien » → `tres-bien`).
    static func options(from text: String) -> [SurveyOption] {
        var options: [SurveyOption] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            let parts = trimmed.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, !parts[0].isEmpty, !parts[0].contains(" ") {
                options.append(SurveyOption(id: parts[0], label: parts[1]))
            } else {
                var id = slug(trimmed)
                var suffix = 2
                while options.contains(where: { $0.id == id }) {
                    id = "\(slug(trimmed))-\(suffix)"
                    suffix += 1
                }
                options.append(SurveyOption(id: id, label: trimmed))
            }
        }
        return options
    }

    /// Lowercase letters and digits without accents, words joined by `-`, 40 characters at most.
    static func slug(_ label: String) -> String {
        let folded = label.lowercased().folding(options: [.diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
            .replacingOccurrences(of: "œ", with: "oe")
        var slug = ""
        for character in folded {
            if character.isASCII && (character.isLetter || character.isNumber) {
                slug.append(character)
            } else if !slug.isEmpty && slug.last != "-" {
                slug.append("-")
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "option" : String(slug.prefix(40))
    }
}

extension FormErrors {
    func contains(field: String) -> Bool { self[field] != nil }

    /// Every message about one field (a question may break several rules).
    func all(_ field: String) -> [String] { items.filter { $0.field == field }.map(\.message) }
}
