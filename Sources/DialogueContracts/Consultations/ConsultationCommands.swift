public import Foundation

// What changes consultations and contributions: staff's and citizens' requests over RPC, with what they answer.

/// Creates a consultation (staff). The definition is checked as it is saved.
public struct CreateConsultation: DialogueRequest {
    public static let messageType = "consultation.create"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ConsultationView

    public var definition: ConsultationDefinition
    public var staffID: UUID
    public var staffName: String

    public init(definition: ConsultationDefinition, staffID: UUID, staffName: String) {
        self.definition = definition
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// Replaces a consultation's definition (staff). A theme that has contributions stays.
public struct UpdateConsultation: DialogueRequest {
    public static let messageType = "consultation.update"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ConsultationView

    public var consultationID: UUID
    /// The revision the editor started from: a change made meanwhile by someone else is not overwritten.
    public var revision: Int
    public var definition: ConsultationDefinition
    public var staffID: UUID
    public var staffName: String

    public init(consultationID: UUID, revision: Int, definition: ConsultationDefinition, staffID: UUID, staffName: String) {
        self.consultationID = consultationID
        self.revision = revision
        self.definition = definition
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// A signed-in citizen with a confirmed address contributes to an open consultation. The
/// service checks the dates (the extension included), the kinds and themes it accepts, and
/// the lengths; the contribution then goes to moderation under the consultation's policy.
public struct SubmitContribution: DialogueRequest {
    public static let messageType = "contribution.submit"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ContributionView

    public var consultationID: UUID
    public var draft: ContributionDraft
    public var authorAccountID: UUID
    /// The author's public name, nil when they show none.
    public var authorName: String?
    /// The author's département code and age band, when their profile gives them (for the synthesis).
    public var authorDepartement: String?
    public var authorAgeBand: String?
    /// The file attached on the site, if any (checked by its content by the service).
    public var attachment: ContributionAttachmentUpload?

    public init(
        consultationID: UUID, draft: ContributionDraft, authorAccountID: UUID, authorName: String?, authorDepartement: String? = nil,
        authorAgeBand: String? = nil, attachment: ContributionAttachmentUpload? = nil
    ) {
        self.attachment = attachment
        self.consultationID = consultationID
        self.draft = draft
        self.authorAccountID = authorAccountID
        self.authorName = authorName
        self.authorDepartement = authorDepartement
        self.authorAgeBand = authorAgeBand
    }
}

/// A signed-in citizen supports a published proposal of an open consultation: one support per
/// person (supporting twice changes nothing), never their own proposal nor a withdrawn one.
public struct SupportContribution: DialogueRequest {
    public static let messageType = "contribution.support"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = SupportOutcome

    public var contributionID: UUID
    public var accountID: UUID

    public init(contributionID: UUID, accountID: UUID) {
        self.contributionID = contributionID
        self.accountID = accountID
    }
}

/// A citizen withdraws their support (they may support again later).
public struct WithdrawSupport: DialogueRequest {
    public static let messageType = "contribution.withdraw_support"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = SupportOutcome

    public var contributionID: UUID
    public var accountID: UUID

    public init(contributionID: UUID, accountID: UUID) {
        self.contributionID = contributionID
        self.accountID = accountID
    }
}

/// The author changes their contribution: only theirs, not withdrawn, and only until someone
/// first supports it. An edit goes back to moderation (hidden meanwhile under a policy of
/// moderation before publication). The kind stays.
public struct EditContribution: DialogueRequest {
    public static let messageType = "contribution.edit"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ContributionView

    public var contributionID: UUID
    public var accountID: UUID
    public var draft: ContributionDraft

    public init(contributionID: UUID, accountID: UUID, draft: ContributionDraft) {
        self.contributionID = contributionID
        self.accountID = accountID
        self.draft = draft
    }
}

/// The author withdraws their contribution, with a reason, at any time: it is no longer shown
/// nor supportable, and stays stored.
public struct WithdrawContribution: DialogueRequest {
    public static let messageType = "contribution.withdraw"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ContributionView

    public static let reasonLength = 3...500

    public var contributionID: UUID
    public var accountID: UUID
    public var reason: String

    public init(contributionID: UUID, accountID: UUID, reason: String) {
        self.contributionID = contributionID
        self.accountID = accountID
        self.reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
