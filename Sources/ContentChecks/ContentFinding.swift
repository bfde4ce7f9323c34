/// One result of an automatic pre-check: what fired, how strongly, and why (in French, for the moderator).
public struct ContentFinding: Sendable, Codable, Equatable, Hashable {
    /// The pre-check that produced a finding; the raw value is stable and meant to be stored.
    public enum Rule: String, Sendable, Codable, CaseIterable, Hashable {
        case email = "personal_data.email"
        case phone = "personal_data.phone"
        case postalAddress = "personal_data.address"
        case socialSecurityNumber = "personal_data.social_security"
        case insult = "insult"
        case hateSpeech = "hate_speech"
        case threat = "threat"
        case linkSpam = "link_spam"
        case shouting = "shouting"
        case excessivePunctuation = "shouting.punctuation"
        case nearDuplicate = "near_duplicate"
    }

    public var rule: Rule
    /// 0–100: how much the text needs a moderator's eye because of this rule.
    public var score: Int
    /// French explanation shown in the moderation queue.
    public var reason: String
    /// The offending part, masked where it is personal data so moderators never see it in full.
    public var excerpt: String?

    public init(rule: Rule, score: Int, reason: String, excerpt: String? = nil) {
        self.rule = rule
        self.score = max(0, min(100, score))
        self.reason = reason
        self.excerpt = excerpt
    }
}
