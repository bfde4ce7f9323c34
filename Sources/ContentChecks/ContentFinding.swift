/// One result of an automatic pre-check: what fired, how strongly, and why (in French, for the moderator).
public struct ContentFinding: Sendable, Codable, Equatable, Hashable {
    /// Stable identifier of the rule, e.g. `personal_data.phone`, `insult`, `link_spam`.
    public var rule: String
    /// 0–100: how likely the text needs a moderator's attention because of this rule.
    public var score: Int
    /// French explanation shown in the moderation queue.
    public var reason: String
    /// The offending part, masked so the moderator never sees personal data in full.
    public var excerpt: String?

    public init(rule: String, score: Int, reason: String, excerpt: String? = nil) {
        self.rule = rule
        self.score = max(0, min(100, score))
        self.reason = reason
        self.excerpt = excerpt
    }
}
