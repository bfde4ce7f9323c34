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
        case .statement: "Affirmation de forum"
        case .contributionComment: "Commentaire d'une contribution"
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

extension FlagReporterKind {
    /// Who flagged, as the moderator reads it.
    public var frenchLabel: String {
        switch self {
        case .unknown: "Signaleur inconnu (signalement antérieur à la vérification des comptes)"
        case .visitor: "Visiteur sans compte"
        case .unconfirmedAccount: "Compte non confirmé"
        case .confirmedAccount: "Compte confirmé"
        }
    }
}

extension FlagSanctionAction {
    /// The sanction as the moderation audit trail names it.
    public var frenchLabel: String {
        switch self {
        case .ignore: "Signalements ignorés"
        case .restore: "Signalements de nouveau pris en compte"
        }
    }
}
