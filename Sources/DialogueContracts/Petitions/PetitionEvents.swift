public import Foundation

// What the petitions service publishes (and `PetitionSubmitted`, which moderation takes).

public struct PetitionSubmitted: ContentSubmission {
    public static let contentType = ContentType.petition
    public var content: SubmittedContent
    public init(content: SubmittedContent) { self.content = content }
}

/// A signature was stored and counted.
public struct PetitionSignatureRecorded: DialogueEvent {
    public static let messageType = "petition.signature_recorded"
    public static let schemaVersion = 1

    public var petitionID: UUID
    public var signatureID: UUID
    public var departement: String?
    public var recordedAt: Date

    public init(petitionID: UUID, signatureID: UUID, departement: String?, recordedAt: Date) {
        self.petitionID = petitionID
        self.signatureID = signatureID
        self.departement = departement
        self.recordedAt = recordedAt
    }
}

/// A petition's count reached its threshold; emitted once per petition and threshold.
public struct PetitionThresholdReached: DialogueEvent {
    public static let messageType = "petition.threshold_reached"
    public static let schemaVersion = 1

    public var petitionID: UUID
    public var title: String
    public var threshold: Int
    public var signatureCount: Int
    public var reachedAt: Date
    /// The author, to tell them too (absent for petitions without an account).
    public var authorAccountID: UUID?

    public init(petitionID: UUID, title: String, threshold: Int, signatureCount: Int, reachedAt: Date, authorAccountID: UUID? = nil) {
        self.authorAccountID = authorAccountID
        self.petitionID = petitionID
        self.title = title
        self.threshold = threshold
        self.signatureCount = signatureCount
        self.reachedAt = reachedAt
    }
}

/// A petition passed one of its intermediate milestones (a share of its threshold); once
/// per petition and milestone. Told to its author.
public struct PetitionMilestoneReached: DialogueEvent {
    public static let messageType = "petition.milestone_reached"
    public static let schemaVersion = 1

    public var petitionID: UUID
    public var title: String
    public var percent: Int
    public var signatureCount: Int
    public var threshold: Int
    public var authorAccountID: UUID?

    public init(petitionID: UUID, title: String, percent: Int, signatureCount: Int, threshold: Int, authorAccountID: UUID?) {
        self.petitionID = petitionID
        self.title = title
        self.percent = percent
        self.signatureCount = signatureCount
        self.threshold = threshold
        self.authorAccountID = authorAccountID
    }
}

/// A petition's status changed by a staff action (referred, answered, closed) or at the end
/// of its collection. Told to its author.
public struct PetitionStatusChanged: DialogueEvent {
    public static let messageType = "petition.status_changed"
    public static let schemaVersion = 1

    public var petitionID: UUID
    public var title: String
    public var from: PetitionStatus
    public var to: PetitionStatus
    public var authorAccountID: UUID?
    /// The staff note, or the reason of an early closing.
    public var note: String?
    /// Present when `to` is `answered`.
    public var answer: PetitionAnswer?
    public var changedAt: Date

    public init(
        petitionID: UUID, title: String, from: PetitionStatus, to: PetitionStatus, authorAccountID: UUID?, note: String?, answer: PetitionAnswer?,
        changedAt: Date
    ) {
        self.petitionID = petitionID
        self.title = title
        self.from = from
        self.to = to
        self.authorAccountID = authorAccountID
        self.note = note
        self.answer = answer
        self.changedAt = changedAt
    }
}

/// The assembly answered a petition whose signatory asked to be told (*redevabilité*): one
/// event per signatory, for the notification worker to mail. Carries the address because
/// a signatory may have no account.
public struct PetitionSignatoryNoticeRequested: DialogueEvent {
    public static let messageType = "petition.signatory_notice_requested"
    public static let schemaVersion = 1

    public var petitionID: UUID
    public var signatureID: UUID
    public var email: String
    public var name: String
    /// The signatory's account when they signed signed in (an erased account is never mailed).
    public var accountID: UUID?
    public var title: String
    public var decision: PetitionDecision
    /// The petition's page (`SitePath.petition(petitionID).path`). Kept in schema version 1;
    /// the notification worker links to the page from `petitionID` itself.
    public var publicPath: String

    public init(
        petitionID: UUID, signatureID: UUID, email: String, name: String, accountID: UUID?, title: String, decision: PetitionDecision,
        publicPath: String
    ) {
        self.petitionID = petitionID
        self.signatureID = signatureID
        self.email = email
        self.name = name
        self.accountID = accountID
        self.title = title
        self.decision = decision
        self.publicPath = publicPath
    }
}

/// A signature waits for its address to be confirmed: the notification worker mails the link.
public struct PetitionSignatureConfirmationRequested: DialogueEvent {
    public static let messageType = "petition.signature_confirmation_requested"
    public static let schemaVersion = 1
    public static let carriesSecrets = true

    public var petitionID: UUID
    public var title: String
    public var email: String
    public var name: String
    /// The secret of the link; the service keeps only its hash.
    public var token: String
    public var expiresAt: Date

    public init(petitionID: UUID, title: String, email: String, name: String, token: String, expiresAt: Date) {
        self.petitionID = petitionID
        self.title = title
        self.email = email
        self.name = name
        self.token = token
        self.expiresAt = expiresAt
    }
}

/// Someone signed again with an address already confirmed on the petition: told kindly, by
/// mail, since the page that took the form could not know.
public struct PetitionSignedAgain: DialogueEvent {
    public static let messageType = "petition.signed_again"
    public static let schemaVersion = 1

    public var petitionID: UUID
    public var title: String
    public var email: String
    public var name: String
    public var firstSignedAt: Date

    public init(petitionID: UUID, title: String, email: String, name: String, firstSignedAt: Date) {
        self.petitionID = petitionID
        self.title = title
        self.email = email
        self.name = name
        self.firstSignedAt = firstSignedAt
    }
}
