public import DialogueContracts

// How the site and the mails name the petitions' vocabulary, in French.

extension PetitionTheme {
    /// The French name shown on the site.
    public var label: String {
        switch self {
        case .health: "Santé"
        case .transport: "Transports et mobilités"
        case .education: "Éducation, formation et jeunesse"
        case .economy: "Emploi et économie"
        case .environment: "Environnement et énergie"
        case .agriculture: "Agriculture, alimentation et ruralité"
        case .culture: "Culture, sport et vie associative"
        case .housing: "Aménagement du territoire et logement"
        case .solidarity: "Solidarités et cohésion sociale"
        case .digital: "Numérique"
        }
    }

    /// The label of a stored code; nil for none (or a code no longer in the list).
    public static func label(of code: String?) -> String? {
        code.flatMap(PetitionTheme.init(rawValue:))?.label
    }
}

extension PetitionDecision {
    /// How the site and the mails name the decision.
    public var frenchLabel: String {
        switch self {
        case .reportAdopted: "Rapport adopté par l'assemblée"
        case .opinionAdopted: "Avis adopté par l'assemblée"
        case .referralRetained: "Saisine retenue : le sujet est inscrit aux travaux du CESER"
        case .referralNotRetained: "Saisine non retenue"
        case .forwarded: "Transmise à l'autorité compétente"
        }
    }
}
