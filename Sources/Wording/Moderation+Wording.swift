public import DialogueContracts

// How the back-office and the mails name moderation's vocabulary, in French.

extension ContentType {
    /// The label staff read in the back-office.
    public var frenchLabel: String {
        switch self {
        case .petition: "Pétition"
        case .forumPost: "Message de forum"
        case .testimony: "Témoignage"
        case .proposal: "Proposition"
        case .surveyAnswer: "Réponse libre à une enquête"
        }
    }
}

extension ModerationStatus {
    /// The decision as moderators and authors read it.
    public var frenchLabel: String {
        switch self {
        case .pending: "En attente"
        case .published: "Publiée"
        case .retained: "Retenue"
        case .notRetained: "Non retenue"
        case .rejected: "Rejetée"
        }
    }
}
