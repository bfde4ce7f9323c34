public import DialogueContracts
public import Foundation

/// Whether a survey definition may be saved, and published: every problem found, in the order
/// of the definition, each naming the question at fault with a French message.
///
/// A condition may refer only to a question placed before the one it guards (before the first
/// question of a section, for a section's condition), never to itself: conditions therefore
/// cannot form a cycle, and a person always meets a question after what decides it.
public enum SurveyDefinitionCheck {
    /// Ids are short and stable: lowercase letters, digits, `-` and `_`.
    public static func isValidID(_ id: String) -> Bool {
        (1...40).contains(id.count) && id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }

    /// What stops the definition from being saved (as a draft or as a change).
    public static func problems(in definition: SurveyDefinition) -> [SurveyProblem] {
        var problems = surveyProblems(definition)
        problems += idProblems(definition)
        for (_, question) in definition.orderedQuestions { problems += settingsProblems(question) }
        problems += conditionProblems(definition)
        return problems
    }

    /// What also stops it from being published: dates set and to come, at least one question to answer.
    public static func publicationProblems(in definition: SurveyDefinition, now: Date = Date()) -> [SurveyProblem] {
        var problems = problems(in: definition)
        if definition.opensAt == nil || definition.closesAt == nil {
            problems.append(SurveyProblem(
                .datesMissing, field: definition.opensAt == nil ? "opens_at" : "closes_at",
                message: "Indiquez les dates d'ouverture et de clôture de l'enquête avant de la publier."
            ))
        } else if let closesAt = definition.closesAt, closesAt <= now {
            problems.append(SurveyProblem(.closesInPast, field: "closes_at", message: "La date de clôture est déjà passée."))
        }
        if !definition.orderedQuestions.contains(where: { $0.question.kind.takesAnswer }) {
            problems.append(SurveyProblem(.noQuestion, field: "sections", message: "Ajoutez au moins une question avant de publier l'enquête."))
        }
        return problems
    }

    private static func surveyProblems(_ definition: SurveyDefinition) -> [SurveyProblem] {
        var problems: [SurveyProblem] = []
        let title = definition.title.trimmingCharacters(in: .whitespacesAndNewlines)
        if !SurveyLimits.titleLength.contains(title.count) {
            problems.append(SurveyProblem(.titleLength, field: "title", message: "Le titre compte de 3 à 200 caractères."))
        }
        let purpose = definition.purpose.trimmingCharacters(in: .whitespacesAndNewlines)
        if purpose.isEmpty {
            problems.append(SurveyProblem(
                .purposeMissing, field: "purpose", message: "Indiquez à quoi serviront les réponses : les personnes le lisent avant de répondre."
            ))
        } else if !SurveyLimits.purposeLength.contains(purpose.count) {
            problems.append(SurveyProblem(.purposeLength, field: "purpose", message: "L'usage des réponses se décrit en 10 à 2 000 caractères."))
        }
        if definition.introduction.count > SurveyLimits.introductionLength {
            problems.append(SurveyProblem(.introductionLength, field: "introduction", message: "L'introduction compte au plus 5 000 caractères."))
        }
        if let opensAt = definition.opensAt, let closesAt = definition.closesAt, closesAt <= opensAt {
            problems.append(SurveyProblem(.datesOrder, field: "closes_at", message: "La date de clôture doit suivre la date d'ouverture."))
        }
        if definition.orderedQuestions.count > SurveyLimits.questionCount {
            problems.append(SurveyProblem(.tooManyQuestions, field: "sections", message: "Une enquête compte au plus 200 questions."))
        }
        return problems
    }

    private static func idProblems(_ definition: SurveyDefinition) -> [SurveyProblem] {
        var problems: [SurveyProblem] = []
        // Sections and questions share one space of ids: a condition or a result names either.
        var seen: Set<String> = []
        for section in definition.sections {
            if !isValidID(section.id) {
                problems.append(.section(.badID, section.id, "L'identifiant de section « \(section.id) » ne peut contenir que des minuscules sans accent, des chiffres, - et _ (40 au plus)."))
            } else if !seen.insert(section.id).inserted {
                problems.append(.section(.duplicateID, section.id, "L'identifiant « \(section.id) » est utilisé deux fois."))
            }
            for question in section.questions {
                if !isValidID(question.id) {
                    problems.append(.question(.badID, question.id, "L'identifiant de question « \(question.id) » ne peut contenir que des minuscules sans accent, des chiffres, - et _ (40 au plus)."))
                } else if !seen.insert(question.id).inserted {
                    problems.append(.question(.duplicateID, question.id, "L'identifiant « \(question.id) » est utilisé deux fois."))
                }
                var options: Set<String> = []
                for option in question.kind.options {
                    if !isValidID(option.id) {
                        problems.append(.question(.badID, question.id, "Question \(question.id) : l'identifiant d'option « \(option.id) » ne peut contenir que des minuscules sans accent, des chiffres, - et _."))
                    } else if !options.insert(option.id).inserted {
                        problems.append(.question(.duplicateOptionID, question.id, "Question \(question.id) : l'option « \(option.id) » est présente deux fois."))
                    }
                }
            }
        }
        return problems
    }

    private static func settingsProblems(_ question: SurveyQuestion) -> [SurveyProblem] {
        let id = question.id
        var problems: [SurveyProblem] = []
        if !SurveyLimits.promptLength.contains(question.prompt.trimmingCharacters(in: .whitespacesAndNewlines).count) {
            problems.append(.question(.promptLength, id, "Question \(id) : écrivez l'intitulé de la question (1 000 caractères au plus)."))
        }
        let options = question.kind.options
        let minimumOptions: Int? = switch question.kind {
        case .singleChoice, .multipleChoice, .ranking: 2
        case .matrix: 1
        default: nil
        }
        if let minimumOptions {
            if options.count < minimumOptions {
                let what = question.kind.type == .matrix ? "au moins une ligne" : "au moins deux options"
                problems.append(.question(.missingOptions, id, "Question \(id) : proposez \(what)."))
            } else if options.count > SurveyLimits.optionCount {
                problems.append(.question(.tooManyOptions, id, "Question \(id) : 100 options au plus."))
            }
            if options.contains(where: { $0.label.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
                problems.append(.question(.optionLabelMissing, id, "Question \(id) : chaque option a un libellé."))
            }
        }
        switch question.kind {
        case .multipleChoice(let options, let allowsOther, let minimum, let maximum) where options.count >= 2:
            let available = options.count + (allowsOther ? 1 : 0)
            let low = minimum ?? 0
            let high = maximum ?? available
            if low < 0 || high < 1 || low > high || high > available {
                problems.append(.question(
                    .choiceBounds, id,
                    "Question \(id) : le nombre de choix va d'un minimum à un maximum compris entre 0 et le nombre d'options (\(available))."
                ))
            }
        case .ranking(let options, let rankedCount):
            if let rankedCount, !(1...max(1, options.count)).contains(rankedCount) {
                problems.append(.question(.rankedCount, id, "Question \(id) : le nombre de choix à classer va de 1 à \(options.count)."))
            }
        case .scale(let scale), .matrix(_, let scale):
            if !SurveyLimits.scaleMinimum.contains(scale.minimum) || !SurveyLimits.scaleMaximum.contains(scale.maximum) || scale.minimum >= scale.maximum {
                problems.append(.question(.scaleBounds, id, "Question \(id) : une échelle commence à 0 ou 1 et finit entre 2 et 10."))
            } else if scale.minimumLabel.trimmingCharacters(in: .whitespaces).isEmpty || scale.maximumLabel.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(.question(.scaleBounds, id, "Question \(id) : donnez un libellé à chaque extrémité de l'échelle."))
            }
        case .number(let minimum, let maximum, _, _):
            if [minimum, maximum].contains(where: { $0.map { !$0.isFinite } ?? false }) {
                problems.append(.question(.numberBounds, id, "Question \(id) : les bornes doivent être des nombres."))
            } else if let minimum, let maximum, minimum >= maximum {
                problems.append(.question(.numberBounds, id, "Question \(id) : le minimum doit être inférieur au maximum."))
            }
        case .shortText(let maximumLength), .longText(let maximumLength):
            if !SurveyLimits.textLengthBounds.contains(maximumLength) {
                problems.append(.question(.textLength, id, "Question \(id) : la longueur maximale va de 1 à 10 000 caractères."))
            }
        case .date(let earliest, let latest):
            let days = [earliest, latest].compactMap { $0 }
            if days.contains(where: { CalendarDay(text: $0) == nil }) {
                problems.append(.question(.dateBounds, id, "Question \(id) : les dates limites s'écrivent AAAA-MM-JJ."))
            } else if let earliest, let latest, earliest > latest {
                problems.append(.question(.dateBounds, id, "Question \(id) : la date la plus tôt doit précéder la plus tardive."))
            }
        case .sectionHeader:
            if question.required {
                problems.append(.question(.headerRequired, id, "Question \(id) : un intertitre n'appelle pas de réponse et ne peut pas être obligatoire."))
            }
        case .singleChoice, .multipleChoice, .place:
            break
        }
        return problems
    }

    private static func conditionProblems(_ definition: SurveyDefinition) -> [SurveyProblem] {
        var problems: [SurveyProblem] = []
        var position: [String: Int] = [:]
        for (index, entry) in definition.orderedQuestions.enumerated() where position[entry.question.id] == nil {
            position[entry.question.id] = index
        }
        var index = 0
        for section in definition.sections {
            if let condition = section.condition {
                problems += check(condition, guarding: section.id, at: index, isSection: true, in: definition, positions: position)
            }
            for question in section.questions {
                if let condition = question.condition {
                    problems += check(condition, guarding: question.id, at: index, isSection: false, in: definition, positions: position)
                }
                index += 1
            }
        }
        return problems
    }

    /// The problems of one condition tree guarding the item (question or section) whose first
    /// question stands at `position` in the survey.
    private static func check(
        _ condition: SurveyCondition, guarding owner: String, at position: Int, isSection: Bool, in definition: SurveyDefinition,
        positions: [String: Int]
    ) -> [SurveyProblem] {
        let name = isSection ? "La section \(owner)" : "La question \(owner)"
        func problem(_ rule: SurveyProblem.Rule, _ message: String) -> SurveyProblem {
            isSection ? .section(rule, owner, message) : .question(rule, owner, message)
        }
        var problems: [SurveyProblem] = []
        if hasEmptyGroup(condition) {
            problems.append(problem(.conditionEmpty, "\(name) : une condition « et » ou « ou » réunit au moins une condition."))
        }
        for leaf in condition.leaves {
            guard let target = leaf.questionID else { continue }
            if target == owner {
                problems.append(problem(.conditionOnItself, "\(name) ne peut pas dépendre de sa propre réponse."))
                continue
            }
            guard let targetPosition = positions[target], let question = definition.question(target) else {
                problems.append(problem(.conditionOnUnknownQuestion, "\(name) dépend de la question « \(target) », qui n'existe pas."))
                continue
            }
            if targetPosition >= position {
                problems.append(problem(
                    .conditionOnLaterQuestion,
                    "\(name) dépend de la question \(target), placée après : une condition ne porte que sur une question qui la précède."
                ))
                continue
            }
            problems += operatorProblems(leaf, on: question, name: name, problem: problem)
        }
        return problems
    }

    private static func operatorProblems(
        _ leaf: SurveyCondition, on question: SurveyQuestion, name: String, problem: (SurveyProblem.Rule, String) -> SurveyProblem
    ) -> [SurveyProblem] {
        let target = question.id
        switch leaf {
        case .equals(_, let value):
            return valueProblems([value], on: question, name: name, problem: problem)
        case .oneOf(_, let values):
            if values.isEmpty { return [problem(.conditionEmpty, "\(name) : la condition « parmi » porte sur au moins une valeur.")] }
            return valueProblems(values, on: question, name: name, problem: problem)
        case .answered:
            return question.kind.takesAnswer ? [] : [problem(.conditionOperator, "\(name) dépend de \(target), un intertitre sans réponse.")]
        case .numberRange(_, let minimum, let maximum):
            guard [.number, .scale].contains(question.kind.type) else {
                return [problem(.conditionOperator, "\(name) : une plage de nombres ne s'applique qu'à une question nombre ou échelle (pas à \(target)).")]
            }
            if minimum == nil && maximum == nil {
                return [problem(.conditionEmpty, "\(name) : la plage de nombres a au moins une borne.")]
            }
            if let minimum, let maximum, minimum > maximum {
                return [problem(.conditionEmpty, "\(name) : le minimum de la plage dépasse son maximum.")]
            }
            return []
        case .not, .all, .any:
            return []
        }
    }

    private static func valueProblems(
        _ values: [String], on question: SurveyQuestion, name: String, problem: (SurveyProblem.Rule, String) -> SurveyProblem
    ) -> [SurveyProblem] {
        switch question.kind {
        case .singleChoice(let options, _), .multipleChoice(let options, _, _, _):
            let known = Set(options.map(\.id))
            return values.filter { !known.contains($0) }.map { value in
                problem(.conditionOnUnknownOption, "\(name) dépend de l'option « \(value) » de la question \(question.id), qui n'existe pas (ou plus).")
            }
        case .place(let level):
            return values.filter { !SurveyPlaces.isKnown($0, level: level) }.map { value in
                problem(.conditionOnUnknownOption, "\(name) dépend du lieu « \(value) », inconnu dans la région.")
            }
        default:
            return [problem(.conditionOperator, "\(name) : « égal à » et « parmi » ne s'appliquent qu'à une question à choix ou de lieu (pas à \(question.id)).")]
        }
    }

    private static func hasEmptyGroup(_ condition: SurveyCondition) -> Bool {
        switch condition {
        case .all(let conditions), .any(let conditions): conditions.isEmpty || conditions.contains(where: hasEmptyGroup)
        case .not(let inner): hasEmptyGroup(inner)
        default: false
        }
    }
}

/// A day written `yyyy-MM-dd` that exists in the calendar.
struct CalendarDay {
    let text: String

    init?(text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), day >= 1
        else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= lengths[month - 1] else { return nil }
        self.text = text
    }
}

/// The places of the region a place question accepts.
public enum SurveyPlaces {
    /// A département code of the region, or the INSEE code of one of its communes in the
    /// official list shipped with the project (`SurveyCommunes`).
    public static func isKnown(_ code: String, level: SurveyPlaceLevel) -> Bool {
        switch level {
        case .departement:
            Region.departements[code] != nil
        case .commune:
            SurveyCommunes.commune(code) != nil
        }
    }
}
