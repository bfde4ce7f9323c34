public import Foundation

// The petition's lifecycle after the threshold: staff refer it to the assembly, publish the
// assembly's answer, and close it. Every change of status is recorded with who made it.

/// What the assembly decided on a petition it was referred.
public enum PetitionDecision: String, Codable, Sendable, CaseIterable {
    /// The assembly took the subject up and adopted a report on it.
    case reportAdopted = "report_adopted"
    /// The assembly adopted an opinion (*avis*) on it.
    case opinionAdopted = "opinion_adopted"
    /// The referral is retained: the subject joins the work of a commission.
    case referralRetained = "referral_retained"
    /// The referral is not retained (the answer text says why).
    case referralNotRetained = "referral_not_retained"
    /// The subject belongs to another authority, to which the assembly forwarded it.
    case forwarded

    public var frenchLabel: String {
        switch self {
        case .reportAdopted: "Rapport adopté par l'assemblée"
        case .opinionAdopted: "Avis adopté par l'assemblée"
        case .referralRetained: "Saisine retenue : le sujet est inscrit aux travaux du CESER"
        case .referralNotRetained: "Saisine non retenue"
        case .forwarded: "Transmise à l'autorité compétente"
        }
    }
}

/// A petition's stored statuses, and the sets the services and the gateway reason with:
/// one list, so "still collecting" means the same everywhere.
public enum PetitionLifecycleStatus {
    public static let inModeration = "in_moderation"
    public static let rejected = "rejected"
    public static let open = "open"
    public static let thresholdReached = "threshold_reached"
    public static let referred = "referred"
    public static let answered = "answered"
    public static let closed = "closed"

    /// Not yet published by moderation (or refused).
    public static let unpublished = [inModeration, rejected]
    /// Still taking signatures.
    public static let collecting = [open, thresholdReached]
    /// No longer collecting: the public "closed" list.
    public static let ended = [referred, answered, closed]

    public static func acceptsSignatures(_ status: String) -> Bool {
        collecting.contains(status)
    }
}

/// A step staff may take on a petition, and the statuses it may start from: the one table
/// the service enforces and the staff page offers.
public enum PetitionStaffAction: String, Codable, Sendable, CaseIterable {
    /// Refer to the assembly: only once the threshold is reached (it obliges the assembly).
    case refer
    /// Publish the assembly's answer: only for a referred petition.
    case answer
    /// Close: an answered petition (its course is over), or an open one early with a reason
    /// (withdrawn by its author, a duplicate…). A petition past its threshold cannot be
    /// closed: the threshold obliges the assembly to take it up, so it must be referred.
    case close

    public var fromStatuses: [String] {
        switch self {
        case .refer: [PetitionLifecycleStatus.thresholdReached]
        case .answer: [PetitionLifecycleStatus.referred]
        case .close: [PetitionLifecycleStatus.answered, PetitionLifecycleStatus.open]
        }
    }

    public var toStatus: String {
        switch self {
        case .refer: PetitionLifecycleStatus.referred
        case .answer: PetitionLifecycleStatus.answered
        case .close: PetitionLifecycleStatus.closed
        }
    }

    /// The actions a petition in `status` allows, in lifecycle order.
    public static func allowed(from status: String) -> [PetitionStaffAction] {
        allCases.filter { $0.fromStatuses.contains(status) }
    }

    /// Closing an open petition (before its course is over) needs a reason.
    public static func closingNeedsReason(from status: String) -> Bool {
        status == PetitionLifecycleStatus.open
    }
}

/// The limits of what staff type, checked by the service and by the gateway's forms.
public enum PetitionLifecycleLimits {
    public static let answerText = 10...20_000
    /// A note on a referral or a closing; a reason for an early closing is at least 10 characters.
    public static let note = 0...2_000
    public static let closingReason = 10...2_000
    public static let reportURL = 0...2_000

    /// An absolute http(s) link with a host, or nil.
    public static func isReportURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, !text.contains(where: \.isWhitespace)
        else { return false }
        return reportURL.contains(text.count)
    }
}

/// The assembly's answer to a petition.
public struct PetitionAnswer: Codable, Sendable, Equatable {
    public var decision: PetitionDecision
    public var text: String
    /// The resulting report or opinion, when published.
    public var reportURL: String?
    public var answeredAt: Date

    public init(decision: PetitionDecision, text: String, reportURL: String?, answeredAt: Date) {
        self.decision = decision
        self.text = text
        self.reportURL = reportURL
        self.answeredAt = answeredAt
    }
}

/// One change of a petition's status, as recorded.
public struct PetitionStatusChange: Codable, Sendable, Equatable {
    public var from: String
    public var to: String
    /// Who made it; nil for the platform itself (moderation, the threshold, the end of the collection).
    public var byName: String?
    public var note: String?
    public var at: Date

    public init(from: String, to: String, byName: String?, note: String?, at: Date) {
        self.from = from
        self.to = to
        self.byName = byName
        self.note = note
        self.at = at
    }
}

/// Refers a petition past its threshold to the assembly (staff).
public struct ReferPetition: DialogueRequest {
    public static let messageType = "petition.refer"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = PetitionLifecycleView

    public var petitionID: UUID
    /// E.g. the commission and the session that will take it up.
    public var note: String?
    public var staffID: UUID
    public var staffName: String

    public init(petitionID: UUID, note: String?, staffID: UUID, staffName: String) {
        self.petitionID = petitionID
        self.note = note
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// Publishes the assembly's answer to a referred petition (staff).
public struct AnswerPetition: DialogueRequest {
    public static let messageType = "petition.answer"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = PetitionLifecycleView

    public var petitionID: UUID
    public var decision: PetitionDecision
    public var text: String
    public var reportURL: String?
    public var staffID: UUID
    public var staffName: String

    public init(petitionID: UUID, decision: PetitionDecision, text: String, reportURL: String?, staffID: UUID, staffName: String) {
        self.petitionID = petitionID
        self.decision = decision
        self.text = text
        self.reportURL = reportURL
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// Closes an answered petition, or an open one early with a reason (staff).
public struct ClosePetition: DialogueRequest {
    public static let messageType = "petition.close"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = PetitionLifecycleView

    public var petitionID: UUID
    /// Required to close an open petition; optional for an answered one.
    public var reason: String?
    public var staffID: UUID
    public var staffName: String

    public init(petitionID: UUID, reason: String?, staffID: UUID, staffName: String) {
        self.petitionID = petitionID
        self.reason = reason
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// Reads a petition's lifecycle: status, referral, answer, closing and history (staff).
public struct GetPetitionLifecycle: DialogueRequest {
    public static let messageType = "petition.lifecycle.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = PetitionLifecycleView

    public var petitionID: UUID

    public init(petitionID: UUID) {
        self.petitionID = petitionID
    }
}

public struct PetitionLifecycleView: Codable, Sendable, Equatable {
    public var petitionID: UUID
    public var status: String
    public var referredAt: Date?
    public var answer: PetitionAnswer?
    public var closedAt: Date?
    public var closingReason: String?
    /// Oldest first.
    public var history: [PetitionStatusChange]

    public init(
        petitionID: UUID, status: String, referredAt: Date?, answer: PetitionAnswer?, closedAt: Date?, closingReason: String?,
        history: [PetitionStatusChange]
    ) {
        self.petitionID = petitionID
        self.status = status
        self.referredAt = referredAt
        self.answer = answer
        self.closedAt = closedAt
        self.closingReason = closingReason
        self.history = history
    }
}

/// A petition's status changed by a staff action (referred, answered, closed) or at the end
/// of its collection. Told to its author.
public struct PetitionStatusChanged: DialogueEvent {
    public static let messageType = "petition.status_changed"
    public static let schemaVersion = 1

    public var petitionID: UUID
    public var title: String
    public var from: String
    public var to: String
    public var authorAccountID: UUID?
    /// The staff note, or the reason of an early closing.
    public var note: String?
    /// Present when `to` is `answered`.
    public var answer: PetitionAnswer?
    public var changedAt: Date

    public init(
        petitionID: UUID, title: String, from: String, to: String, authorAccountID: UUID?, note: String?, answer: PetitionAnswer?,
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
