public import Foundation

// What the consultation service publishes about consultations and contributions.

public struct TestimonySubmitted: ContentSubmission {
    public static let contentType = ContentType.testimony
    public var content: SubmittedContent
    public init(content: SubmittedContent) { self.content = content }
}

public struct ProposalSubmitted: ContentSubmission {
    public static let contentType = ContentType.proposal
    public var content: SubmittedContent
    public init(content: SubmittedContent) { self.content = content }
}

/// Where a contribution was gathered.
public enum ContributionOrigin: String, Codable, Sendable, CaseIterable {
    /// Written on the site (or through the API) by its author.
    case online
    /// Gathered in person and entered by staff.
    case inPerson = "in_person"
}

/// A consultation reached its opening date (once per consultation).
public struct ConsultationOpened: DialogueEvent {
    public static let messageType = "consultation.opened"
    public static let schemaVersion = 1

    public var consultationID: UUID
    public var title: String
    public var question: String
    public var themes: [ConsultationTheme]
    public var accepted: AcceptedContributions
    public var opensAt: Date
    public var closesAt: Date

    public init(
        consultationID: UUID, title: String, question: String, themes: [ConsultationTheme], accepted: AcceptedContributions, opensAt: Date,
        closesAt: Date
    ) {
        self.consultationID = consultationID
        self.title = title
        self.question = question
        self.themes = themes
        self.accepted = accepted
        self.opensAt = opensAt
        self.closesAt = closesAt
    }
}

/// A contribution as the synthesis reads it: its text, theme, kind and origin, and the
/// author's département and age band where given — never an e-mail nor a name.
public struct ContributionFacts: Codable, Sendable, Equatable {
    public var contributionID: UUID
    public var consultationID: UUID
    public var kind: ContributionKind
    public var theme: String
    /// The theme's label as staff wrote it (empty for the free theme).
    public var themeLabel: String
    public var title: String
    public var text: String
    public var reasons: String?
    public var commune: String?
    public var origin: ContributionOrigin
    public var authorDepartement: String?
    public var authorAgeBand: String?

    public init(
        contributionID: UUID, consultationID: UUID, kind: ContributionKind, theme: String, themeLabel: String, title: String, text: String,
        reasons: String?, commune: String?, origin: ContributionOrigin, authorDepartement: String?, authorAgeBand: String?
    ) {
        self.contributionID = contributionID
        self.consultationID = consultationID
        self.kind = kind
        self.theme = theme
        self.themeLabel = themeLabel
        self.title = title
        self.text = text
        self.reasons = reasons
        self.commune = commune
        self.origin = origin
        self.authorDepartement = authorDepartement
        self.authorAgeBand = authorAgeBand
    }
}

/// A contribution was submitted (it is in moderation, or shown at once under a policy of
/// moderation after publication), with the facts the synthesis reads. Not `….submitted`:
/// that family is what the moderation worker takes (`testimony.submitted`,
/// `proposal.submitted` carry the same contribution to it), and it dead-letters a kind it
/// does not moderate.
public struct ContributionReceived: DialogueEvent {
    public static let messageType = "contribution.received"
    public static let schemaVersion = 1

    public var contribution: ContributionFacts
    public var submittedAt: Date

    public init(contribution: ContributionFacts, submittedAt: Date) {
        self.contribution = contribution
        self.submittedAt = submittedAt
    }
}

/// A contribution is shown for the first time on its consultation's page.
public struct ContributionPublished: DialogueEvent {
    public static let messageType = "contribution.published"
    public static let schemaVersion = 1

    public var contribution: ContributionFacts
    public var publishedAt: Date

    public init(contribution: ContributionFacts, publishedAt: Date) {
        self.contribution = contribution
        self.publishedAt = publishedAt
    }
}

/// Someone supports a proposal (again, after withdrawing, counts as a new support).
public struct ContributionSupported: DialogueEvent {
    public static let messageType = "contribution.supported"
    public static let schemaVersion = 1

    public var contributionID: UUID
    public var consultationID: UUID
    public var supportCount: Int
    public var at: Date

    public init(contributionID: UUID, consultationID: UUID, supportCount: Int, at: Date) {
        self.contributionID = contributionID
        self.consultationID = consultationID
        self.supportCount = supportCount
        self.at = at
    }
}

/// Someone withdrew their support of a proposal.
public struct ContributionSupportWithdrawn: DialogueEvent {
    public static let messageType = "contribution.support_withdrawn"
    public static let schemaVersion = 1

    public var contributionID: UUID
    public var consultationID: UUID
    public var supportCount: Int
    public var at: Date

    public init(contributionID: UUID, consultationID: UUID, supportCount: Int, at: Date) {
        self.contributionID = contributionID
        self.consultationID = consultationID
        self.supportCount = supportCount
        self.at = at
    }
}
