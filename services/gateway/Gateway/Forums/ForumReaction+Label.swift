import DialogueContracts

extension ForumReaction {
    /// As the reaction buttons send it.
    var formValue: String {
        switch self {
        case .agree: "d-accord"
        case .disagree: "pas-d-accord"
        case .pass: "je-passe"
        }
    }

    init?(formValue: String) {
        guard let reaction = Self.allCases.first(where: { $0.formValue == formValue }) else { return nil }
        self = reaction
    }

    var label: String {
        switch self {
        case .agree: "D'accord"
        case .disagree: "Pas d'accord"
        case .pass: "Je passe"
        }
    }
}
