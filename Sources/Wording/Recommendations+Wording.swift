public import DialogueContracts

// How the site and the mails name the fates of recommendations and the states of milestones.

extension RecommendationFate {
    /// « Adoptée », « Adoptée avec modifications », « Écartée ».
    public var label: String {
        switch self {
        case .adopted: "Adoptée"
        case .modified: "Adoptée avec modifications"
        case .rejected: "Écartée"
        }
    }

    /// What the reason explains, as its heading reads.
    public var reasonLabel: String {
        switch self {
        case .adopted: "Précisions"
        case .modified: "Ce qui a été modifié"
        case .rejected: "Pourquoi elle a été écartée"
        }
    }
}

extension MilestoneStatus {
    public var label: String {
        switch self {
        case .planned: "Prévu"
        case .inProgress: "En cours"
        case .delayed: "En retard"
        case .done: "Atteint"
        }
    }
}

extension RecommendationReference {
    /// « Reprise dans la recommandation n° 3 du rapport d'orientation » — what a contribution's page says.
    public var citationLabel: String { "Reprise dans la recommandation n° \(number) du rapport d'orientation" }
}
