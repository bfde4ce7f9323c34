public import DialogueContracts

// How the site names the processes' vocabulary, in French.

extension ProcessPhaseKind {
    /// The name of seed 001's step, or « Étape libre » for one staff name themselves.
    public var label: String {
        switch self {
        case .callForContributions: "Appel à contributions"
        case .launchForum: "Forum de lancement"
        case .workshops: "Ateliers"
        case .synthesisForum: "Forum de synthèse"
        case .orientationReport: "Rapport d'orientation"
        case .adoption: "Adoption"
        case .publicRestitution: "Restitution publique"
        case .free: "Étape libre"
        }
    }
}

extension ProcessPhaseView {
    /// Staff's name for the phase, or its step's name.
    public var shownTitle: String { title.isEmpty ? kind.label : title }
}

extension ProcessPhaseStarted {
    /// Staff's name for the phase, or its step's name.
    public var shownTitle: String { title.isEmpty ? kind.label : title }
}
