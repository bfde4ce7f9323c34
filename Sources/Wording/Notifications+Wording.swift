public import DialogueContracts

// How the site and the mails name what a person is told, and how often, in French.

extension NotificationTopic {
    /// The topic as a person reads it in their choices and in an unsubscribe page.
    public var frenchLabel: String {
        switch self {
        case .contributionModeration: "Les décisions de modération sur mes contributions"
        case .petitionMilestones: "Les étapes de mes pétitions (seuils, réponse de l'assemblée)"
        case .contributionAnswers: "Les réponses à mes contributions"
        case .consultationResults: "Les résultats des consultations auxquelles j'ai participé"
        case .processPhases: "Les nouvelles étapes des démarches que je suis"
        case .petitionThreshold: "Les pétitions qui atteignent leur seuil de saisine"
        case .moderationWaiting: "La file de modération à traiter"
        case .consultationContributions: "Les nouvelles contributions aux consultations"
        case .workshopFilling: "Le remplissage des ateliers (à 50 %, 80 % et complet)"
        }
    }
}

extension NotificationFrequency {
    /// How often, as a person chooses it.
    public var frenchLabel: String {
        switch self {
        case .immediate: "À chaque fois"
        case .daily: "Un résumé par jour"
        case .weekly: "Un résumé par semaine"
        case .never: "Jamais"
        }
    }
}
