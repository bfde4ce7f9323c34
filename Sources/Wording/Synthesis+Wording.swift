public import DialogueContracts

// How the back-office names the synthesis reporter's vocabulary, in French.

extension TextSource {
    /// The texts a source holds, as staff choose them.
    public var frenchLabel: String {
        switch self {
        case .petitions: "Pétitions publiées"
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
