// What the citizens' flag templates (`flag`, `flag-sent`) show.

/// `/signalement`: why a piece of content is flagged, and an optional precision.
struct FlagPage {
    let errors: ErrorSummary?
    /// The content type's code and the content's id, carried by the form.
    let type: String
    let id: String
    /// The content type in words, in lower case, inside a sentence.
    let typeLabel: String
    let reasonChoices: [Choice]
    let reasonError: String?
    let comment: String?
    let commentError: String?
}

/// After a flag: whether it was recorded or had been already.
struct FlagSentPage {
    let message: String
}
