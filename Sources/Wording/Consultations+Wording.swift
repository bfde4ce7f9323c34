public import DialogueContracts

// How the site names the consultations' vocabulary, in French.

extension ConsultationStatus {
    public var label: String {
        switch self {
        case .upcoming: "À venir"
        case .open: "Ouverte"
        case .closed: "Close"
        case .resultsPublished: "Résultats publiés"
        }
    }
}

extension ContributionKind {
    public var label: String {
        switch self {
        case .testimony: "Témoignage"
        case .proposal: "Proposition"
        }
    }
}

extension AcceptedContributions {
    public var label: String {
        switch self {
        case .testimonies: "Témoignages seulement"
        case .proposals: "Propositions seulement"
        case .both: "Témoignages et propositions"
        }
    }
}

extension ConsultationModerationPolicy {
    public var label: String {
        switch self {
        case .beforePublication: "Avant publication : une contribution est relue avant d'être affichée"
        case .afterPublication: "Après publication : une contribution est affichée aussitôt, puis relue"
        }
    }
}

extension ConsultationTheme {
    /// The theme's name on the site: the free theme's is fixed.
    public var shownLabel: String { isFree ? "Thématique libre" : label }
}

extension ContributionAnswerStatus {
    /// What became of a contribution, as its page and mails say it.
    public var label: String {
        switch self {
        case .received: "Reçue"
        case .underStudy: "À l'étude"
        case .retained: "Retenue"
        case .notRetained: "Non retenue"
        case .inReport: "Intégrée à un rapport"
        }
    }
}
