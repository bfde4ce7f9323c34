import Foundation

// The words of the synthesis reporter: where texts come from, and how a trend moves.

/// Where the texts the trends read come from. Each source is a kind of public text the
/// reporter keeps in its read model, fed by its owner's events.
public enum TextSource: String, Codable, Sendable, CaseIterable {
    /// Petitions' titles and texts, once moderation has published them.
    case petitions
    /// Consultations' testimonies and proposals (title, text, reasons), once published; each
    /// belongs to a consultation (its scope) and a theme.
    case contributions
    /// Forums' posts, once moderation has published them; each belongs to a forum (its scope).
    case forumPosts = "forum_posts"
}

/// How a trend moved over the weeks of its period: its last week against the (up to) three
/// weeks before it (the rule is `TextTrends.TrendMovement.of`).
public enum TextTrendMovement: String, Codable, Sendable, CaseIterable {
    case rising
    case falling
    case steady
}

/// Whether a trend is one word or a phrase of two or three words.
public enum TextTrendKind: String, Codable, Sendable, CaseIterable {
    case word
    case phrase
}

/// Where a text received stands, as a report counts it.
public enum ReportTextStatus: String, Codable, Sendable, CaseIterable {
    /// No decision shows it yet.
    case inModeration = "in_moderation"
    case published
    /// Shown and kept for the assembly's work.
    case retained
    /// Shown, not kept.
    case notRetained = "not_retained"
    /// Rejected or hidden by moderation (after being shown or not).
    case removed
}
