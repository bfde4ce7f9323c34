public import Foundation

// The words of forums: how a forum is moderated, where it stands, and the rules its texts follow.

/// When a forum's posts are reviewed: before they are shown, or after.
public enum ForumModerationMode: String, Codable, Sendable, CaseIterable {
    /// Hidden until a moderator publishes it (moderation's `pre`).
    case beforePublication = "pre"
    /// Shown once moderation's automatic checks pass, reviewed afterwards (moderation's `post`).
    case afterPublication = "post"
}

/// Where a forum stands. An `open` forum takes posts between its dates; a `closed` one never again.
public enum ForumStatus: String, Codable, Sendable, CaseIterable {
    case open
    case closed
}

/// Where a thread stands: a `closed` thread takes no reply.
public enum ForumThreadStatus: String, Codable, Sendable, CaseIterable {
    case open
    case closed
}

/// What staff write to open a forum, and the rules it must follow: the consultation service
/// enforces them, the site checks them too to show its form back with every error at once.
public struct ForumDraft: Codable, Sendable, Equatable {
    public static let titleLength = 3...150
    public static let themeLength = 2...120
    public static let questionLength = 10...500
    public static let descriptionLength = 0...5_000

    public var title: String
    /// The theme the assembly chose for it, in its own words (« Mobilités du quotidien »).
    public var theme: String
    /// The question the forum puts to participants.
    public var question: String
    /// What participants should know before they write (may be empty).
    public var description: String
    public var opensAt: Date
    public var closesAt: Date
    public var moderationMode: ForumModerationMode

    /// Trims every text.
    public init(
        title: String, theme: String, question: String, description: String = "", opensAt: Date, closesAt: Date,
        moderationMode: ForumModerationMode
    ) {
        self.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        self.theme = theme.trimmingCharacters(in: .whitespacesAndNewlines)
        self.question = question.trimmingCharacters(in: .whitespacesAndNewlines)
        self.description = description.trimmingCharacters(in: .whitespacesAndNewlines)
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.moderationMode = moderationMode
    }

    /// Every rule the draft breaks, each naming its field, in the order of the form.
    public var problems: [RequestFailure] {
        var problems: [RequestFailure] = []
        func check(_ text: String, _ range: ClosedRange<Int>, field: String, _ message: String) {
            if !range.contains(text.count) { problems.append(RequestFailure(code: .invalid, message: message, field: field)) }
        }
        check(title, Self.titleLength, field: "title", "Le titre compte de 3 à 150 caractères.")
        check(theme, Self.themeLength, field: "theme", "Le thème compte de 2 à 120 caractères.")
        check(question, Self.questionLength, field: "question", "La question posée compte de 10 à 500 caractères.")
        check(description, Self.descriptionLength, field: "description", "La présentation compte au plus 5 000 caractères.")
        if closesAt <= opensAt {
            problems.append(RequestFailure(code: .invalid, message: "La date de clôture doit suivre la date d'ouverture.", field: "closes_at"))
        }
        return problems
    }
}

/// The rules of threads and posts, shared by the site (which checks first) and the service (which decides).
public enum ForumPostRules {
    public static let threadTitleLength = 3...150
    public static let bodyLength = 1...5_000
    /// How long after writing it an author may still change a post; later, only moderation can.
    public static let editWindow: TimeInterval = 15 * 60
    /// How many top-level posts a page of a thread shows (each with its replies).
    public static let postsPerPage = 20

    /// The thread title's problem, if any.
    public static func titleProblem(_ title: String) -> RequestFailure? {
        threadTitleLength.contains(title.count) ? nil
            : RequestFailure(code: .invalid, message: "Le titre du fil compte de 3 à 150 caractères.", field: "title")
    }

    /// The post text's problem, if any: empty, or longer than allowed.
    public static func bodyProblem(_ body: String) -> RequestFailure? {
        if body.isEmpty { return RequestFailure(code: .invalid, message: "Écrivez votre message.", field: "body") }
        if body.count > bodyLength.upperBound {
            return RequestFailure(code: .invalid, message: "Votre message dépasse 5 000 caractères : raccourcissez-le.", field: "body")
        }
        return nil
    }

    /// The page of a thread that shows the top-level post at `rank` (0-based, in the thread's order).
    public static func page(ofTopLevelRank rank: Int) -> Int {
        max(rank, 0) / postsPerPage + 1
    }
}
