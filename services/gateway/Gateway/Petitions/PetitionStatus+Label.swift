import DialogueContracts

extension PetitionStatus {
    /// How the site names a petition's status, on public and staff pages alike.
    var label: String {
        switch self {
        case .open: "Ouverte aux signatures"
        case .thresholdReached: "Seuil de saisine atteint"
        case .referred: "Transmise à l'assemblée"
        case .answered: "L'assemblée a répondu"
        case .closed: "Close"
        case .rejected: "Non publiée"
        case .inModeration: "En cours de modération"
        }
    }
}
