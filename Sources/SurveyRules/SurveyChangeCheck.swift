public import DialogueContracts

/// Which changes an open survey may take: those that cannot corrupt answers already given.
///
/// Adding a question, a section or an option is allowed, as are rewording a question, moving
/// the dates, or the results' visibility. Removing a question or a section, changing a
/// question's type or settings, changing a condition (it would change whose answers count),
/// making a question required, changing who may answer, and removing or relabelling an option
/// someone may have chosen are refused, each with its reason.
public enum SurveyChangeCheck {
    /// - Parameter wasChosen: whether someone chose this option of this question; until the
    ///   answers are counted, every option of an open survey is taken as chosen.
    public static func problems(
        from published: SurveyDefinition, to proposed: SurveyDefinition, wasChosen: (_ questionID: String, _ optionID: String) -> Bool = { _, _ in true }
    ) -> [SurveyProblem] {
        var problems: [SurveyProblem] = []
        if proposed.audience != published.audience {
            problems.append(SurveyProblem(
                .audienceChanged, field: "audience",
                message: "Qui peut répondre ne change plus une fois l'enquête ouverte : les premières réponses ont été reçues sous cette règle."
            ))
        }
        let proposedSections = Dictionary(proposed.sections.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for section in published.sections {
            guard let now = proposedSections[section.id] else {
                problems.append(.section(.sectionRemoved, section.id, "La section \(section.id) ne peut plus être retirée : des réponses à ses questions ont peut-être été données."))
                continue
            }
            if now.condition != section.condition {
                problems.append(.section(.conditionChanged, section.id, "La condition de la section \(section.id) ne peut plus changer : elle déciderait autrement des réponses déjà données."))
            }
        }
        for (_, old) in published.orderedQuestions {
            let id = old.id
            guard let new = proposed.question(id) else {
                problems.append(.question(.questionRemoved, id, "La question \(id) ne peut plus être retirée : des réponses ont peut-être été données."))
                continue
            }
            if new.kind.type != old.kind.type {
                problems.append(.question(.questionRetyped, id, "La question \(id) ne peut plus changer de type : les réponses déjà données ne s'y liraient plus."))
                continue
            }
            if new.condition != old.condition {
                problems.append(.question(.conditionChanged, id, "La condition de la question \(id) ne peut plus changer : elle déciderait autrement des réponses déjà données."))
            }
            if new.required && !old.required {
                problems.append(.question(.questionMadeRequired, id, "La question \(id) ne peut plus devenir obligatoire : des personnes ont déjà répondu sans y répondre."))
            }
            let newOptions = Dictionary(new.kind.options.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for option in old.kind.options where wasChosen(id, option.id) {
                guard let now = newOptions[option.id] else {
                    problems.append(.question(.optionRemoved, id, "L'option « \(option.label) » de la question \(id) ne peut plus être retirée : des personnes l'ont peut-être choisie."))
                    continue
                }
                if now.label != option.label {
                    problems.append(.question(.optionRelabelled, id, "L'option « \(option.label) » de la question \(id) ne peut plus changer de libellé : des personnes l'ont choisie sous ce libellé."))
                }
            }
            if settings(of: new.kind) != settings(of: old.kind) {
                problems.append(.question(.questionSettingsChanged, id, "Les réglages de la question \(id) (bornes, échelle, nombre de choix) ne peuvent plus changer : des réponses déjà données en sortiraient."))
            }
        }
        return problems
    }

    /// A question's settings apart from its options, which have rules of their own.
    private static func settings(of kind: SurveyQuestionKind) -> SurveyQuestionKind {
        switch kind {
        case .singleChoice(_, let allowsOther): .singleChoice(options: [], allowsOther: allowsOther)
        case .multipleChoice(_, let allowsOther, let minimum, let maximum):
            .multipleChoice(options: [], allowsOther: allowsOther, minimumChoices: minimum, maximumChoices: maximum)
        case .ranking(_, let rankedCount): .ranking(options: [], rankedCount: rankedCount)
        case .matrix(_, let scale): .matrix(rows: [], scale: scale)
        default: kind
        }
    }
}
