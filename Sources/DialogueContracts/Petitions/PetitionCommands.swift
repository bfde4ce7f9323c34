public import Foundation

// What changes petitions: the signing commands on the command queue (answered 202 at a peak), and the staff and citizen requests over RPC with what they answer.

/// A signature to record; sent as a command so a peak waits in the queue, not in the gateway.
/// It counts once its address is confirmed: at once for a signed-in citizen whose account
/// address is confirmed (`confirmedAccountID`), otherwise through the link mailed to it.
public struct SignPetition: DialogueCommand {
    public static let messageType = "petition.sign"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions

    public var petitionID: UUID
    public var name: String
    public var email: String
    public var postcode: String
    public var signedAt: Date
    /// The signatory agreed to show their name on the petition's page.
    public var showName: Bool
    /// The signatory wants to be told of the assembly's answer.
    public var wantsAnswer: Bool
    /// The address the request came from, for the fraud controls.
    public var clientAddress: String?
    /// Set by the gateway only for a signed-in account whose `email` is its confirmed address.
    public var confirmedAccountID: UUID?
    /// Set when the source went over a signing rate limit: stored, but held for review, not counted.
    public var hold: SignatureHold?

    public init(
        petitionID: UUID, name: String, email: String, postcode: String, signedAt: Date,
        showName: Bool = false, wantsAnswer: Bool = false, clientAddress: String? = nil, confirmedAccountID: UUID? = nil,
        hold: SignatureHold? = nil
    ) {
        self.petitionID = petitionID
        self.name = name
        self.email = email
        self.postcode = postcode
        self.signedAt = signedAt
        self.showName = showName
        self.wantsAnswer = wantsAnswer
        self.clientAddress = clientAddress
        self.confirmedAccountID = confirmedAccountID
        self.hold = hold
    }

    private enum CodingKeys: String, CodingKey {
        case petitionID, name, email, postcode, signedAt, showName, wantsAnswer, clientAddress, confirmedAccountID, hold
    }

    /// Commands queued before the choices existed still read (as "no" to both).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            petitionID: try container.decode(UUID.self, forKey: .petitionID),
            name: try container.decode(String.self, forKey: .name),
            email: try container.decode(String.self, forKey: .email),
            postcode: try container.decode(String.self, forKey: .postcode),
            signedAt: try container.decode(Date.self, forKey: .signedAt),
            showName: try container.decodeIfPresent(Bool.self, forKey: .showName) ?? false,
            wantsAnswer: try container.decodeIfPresent(Bool.self, forKey: .wantsAnswer) ?? false,
            clientAddress: try container.decodeIfPresent(String.self, forKey: .clientAddress),
            confirmedAccountID: try container.decodeIfPresent(UUID.self, forKey: .confirmedAccountID),
            hold: try container.decodeIfPresent(SignatureHold.self, forKey: .hold)
        )
    }
}

// The confirmation of signatures made without an account: the petitions service stores the
// signature as pending and asks for a mail with a link; the link opens a page whose button
// (a POST, so link scanners confirm nothing) sends `ConfirmSignature`.

/// Someone pressed "Confirmer ma signature" on the page of a link mailed to them.
public struct ConfirmSignature: DialogueCommand {
    public static let messageType = "petition.signature.confirm"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions

    public var token: String

    public init(token: String) {
        self.token = token
    }
}

/// Deposits a petition: it waits for moderation (`in_moderation`) and opens when published.
/// Version 2: `reasons` (why the petition asks) is required; `theme` is optional.
public struct CreatePetition: DialogueRequest {
    public static let messageType = "petition.create"
    public static let schemaVersion = 2
    public static let targetService = ServiceName.petitions
    public typealias Response = PetitionView

    public var title: String
    public var text: String
    public var reasons: String
    /// A `PetitionTheme` code.
    public var theme: String?
    public var authorAccountID: UUID?
    public var authorName: String?

    public init(title: String, text: String, reasons: String, theme: String? = nil, authorAccountID: UUID? = nil, authorName: String? = nil) {
        self.title = title
        self.text = text
        self.reasons = reasons
        self.theme = theme
        self.authorAccountID = authorAccountID
        self.authorName = authorName
    }

    /// The written part, trimmed, with the rules it must follow.
    public var draft: PetitionDraft { PetitionDraft(title: title, text: text, reasons: reasons, theme: theme) }
}

/// Signatures collected on paper, entered by staff: they count toward the threshold.
public struct AddPaperSignatures: DialogueRequest {
    public static let messageType = "petition.paper.add"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = PaperBatch

    public var petitionID: UUID
    public var count: Int
    /// The day the sheets were collected.
    public var collectedOn: Date
    public var place: String
    /// The names on the sheets, when they list them.
    public var names: [String]
    public var staffID: UUID
    public var staffName: String

    public init(petitionID: UUID, count: Int, collectedOn: Date, place: String, names: [String], staffID: UUID, staffName: String) {
        self.petitionID = petitionID
        self.count = count
        self.collectedOn = collectedOn
        self.place = place
        self.names = names
        self.staffID = staffID
        self.staffName = staffName
    }
}

public struct PaperBatch: Codable, Sendable, Equatable {
    public var id: UUID
    public var count: Int
    /// `yyyy-MM-dd`.
    public var collectedOn: String
    public var place: String
    public var names: [String]
    public var enteredBy: String
    public var enteredAt: Date

    public init(id: UUID, count: Int, collectedOn: String, place: String, names: [String], enteredBy: String, enteredAt: Date) {
        self.id = id
        self.count = count
        self.collectedOn = collectedOn
        self.place = place
        self.names = names
        self.enteredBy = enteredBy
        self.enteredAt = enteredAt
    }
}

// The petition's lifecycle after the threshold: staff refer it to the assembly, publish the
// assembly's answer, and close it. Every change of status is recorded with who made it.

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

public struct SavePetitionSettings: DialogueRequest {
    public static let messageType = "petition.settings.save"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = PetitionSettings

    public var settings: PetitionSettings
    public var staffName: String
    /// The staff account, for the service's audit entry.
    public var staffID: UUID?

    public init(settings: PetitionSettings, staffName: String, staffID: UUID? = nil) {
        self.settings = settings
        self.staffName = staffName
        self.staffID = staffID
    }
}

// Fraud controls on signatures, for staff: block lists, and bulk invalidation (previewed,
// with a recorded reason). Invalidation lowers a petition's count; a threshold already
// reached stays reached.

/// Invalidates the selected signatures for good, with the reason staff gave.
public struct InvalidateSignatures: DialogueRequest {
    public static let messageType = "petition.invalidation.apply"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = Invalidation

    public var selection: SignatureSelection
    public var reason: String
    public var staffID: UUID
    public var staffName: String

    public init(selection: SignatureSelection, reason: String, staffID: UUID, staffName: String) {
        self.selection = selection
        self.reason = reason
        self.staffID = staffID
        self.staffName = staffName
    }
}

public struct Invalidation: Codable, Sendable, Equatable {
    public var id: UUID
    public var selection: SignatureSelection
    public var reason: String
    /// Signatures invalidated, and among them those that counted.
    public var signatures: Int
    public var counted: Int
    public var decidedBy: String
    public var decidedAt: Date

    public init(id: UUID, selection: SignatureSelection, reason: String, signatures: Int, counted: Int, decidedBy: String, decidedAt: Date) {
        self.id = id
        self.selection = selection
        self.reason = reason
        self.signatures = signatures
        self.counted = counted
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }
}

public struct AddToBlockList: DialogueRequest {
    public static let messageType = "petition.blocklist.add"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = BlockListEntry

    public var kind: BlockListEntry.Kind
    public var value: String
    public var reason: String
    public var staffName: String
    /// The staff account, for the service's audit entry.
    public var staffID: UUID?

    public init(kind: BlockListEntry.Kind, value: String, reason: String, staffName: String, staffID: UUID? = nil) {
        self.kind = kind
        self.value = value
        self.reason = reason
        self.staffName = staffName
        self.staffID = staffID
    }
}

public struct RemoveFromBlockList: DialogueRequest {
    public static let messageType = "petition.blocklist.remove"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = BlockListRemoval

    public var kind: BlockListEntry.Kind
    public var value: String
    /// The staff member, for the service's audit entry.
    public var staffID: UUID?
    public var staffName: String?

    public init(kind: BlockListEntry.Kind, value: String, staffID: UUID? = nil, staffName: String? = nil) {
        self.kind = kind
        self.value = value
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// Staff's decision on the signatures held for review from one source on one petition:
/// released ones count (once each, as soon as their address is confirmed), invalidated ones
/// never will.
public struct ReviewHeldSignatures: DialogueRequest {
    public static let messageType = "petition.held_signatures.review"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = HeldSignatureReview

    public enum Decision: String, Codable, Sendable, CaseIterable {
        case release
        case invalidate
    }

    public var petitionID: UUID
    public var source: HeldSignatureSource
    public var decision: Decision
    /// Required to invalidate (5 to 1,000 characters); optional to release.
    public var reason: String
    public var staffID: UUID
    public var staffName: String

    public init(petitionID: UUID, source: HeldSignatureSource, decision: Decision, reason: String, staffID: UUID, staffName: String) {
        self.petitionID = petitionID
        self.source = source
        self.decision = decision
        self.reason = reason
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// What a decision on held signatures did.
public struct HeldSignatureReview: Codable, Sendable, Equatable {
    public var id: UUID
    public var petitionID: UUID
    public var source: HeldSignatureSource
    public var decision: ReviewHeldSignatures.Decision
    public var reason: String
    /// The held signatures decided on, and among them those counted now (released with
    /// their address already confirmed).
    public var signatures: Int
    public var counted: Int
    public var decidedBy: String
    public var decidedAt: Date

    public init(
        id: UUID, petitionID: UUID, source: HeldSignatureSource, decision: ReviewHeldSignatures.Decision, reason: String,
        signatures: Int, counted: Int, decidedBy: String, decidedAt: Date
    ) {
        self.id = id
        self.petitionID = petitionID
        self.source = source
        self.decision = decision
        self.reason = reason
        self.signatures = signatures
        self.counted = counted
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }
}

public struct BlockListRemoval: Codable, Sendable, Equatable {
    public var removed: Bool

    public init(removed: Bool) {
        self.removed = removed
    }
}
