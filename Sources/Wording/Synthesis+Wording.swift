public import DialogueContracts

// How the back-office names the synthesis reporter's vocabulary, in French.

extension TextSource {
    /// The texts a source holds, as staff choose them.
    public var frenchLabel: String {
        switch self {
        case .petitions: "Pétitions publiées"
        case .contributions: "Contributions publiées des consultations"
        case .forumPosts: "Messages publiés des forums"
        }
    }
}

extension TextTrendMovement {
    /// The week's movement as a table cell reads it.
    public var frenchLabel: String {
        switch self {
        case .rising: "En hausse"
        case .falling: "En baisse"
        case .steady: "Stable"
        }
    }
}

extension ReportTextStatus {
    public var frenchLabel: String {
        switch self {
        case .inModeration: "En cours de modération"
        case .published: "Publiés"
        case .retained: "Retenus"
        case .notRetained: "Non retenus"
        case .removed: "Rejetés ou masqués"
        }
    }
}

extension ContributionOrigin {
    public var frenchLabel: String {
        switch self {
        case .online: "En ligne"
        case .inPerson: "En présentiel"
        }
    }
}
