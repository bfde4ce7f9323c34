public import Foundation

// Fraud controls on signatures, for staff: who signs fastest, block lists, and bulk
// invalidation (previewed, with a recorded reason). Invalidation lowers a petition's count;
// a threshold already reached stays reached.

/// The signatures a bulk invalidation targets: on one petition, those matching every
/// criterion given (at least one is required).
public struct SignatureSelection: Codable, Sendable, Equatable {
    public var petitionID: UUID
    /// One address (`203.0.113.7`) or a network (`203.0.113.0/24`).
    public var clientAddress: String?
    /// The domain of the e-mail addresses (`exemple.fr`).
    public var emailDomain: String?
    /// Signatures recorded from this moment…
    public var from: Date?
    /// …until this one (excluded).
    public var until: Date?

    public init(petitionID: UUID, clientAddress: String? = nil, emailDomain: String? = nil, from: Date? = nil, until: Date? = nil) {
        self.petitionID = petitionID
        self.clientAddress = clientAddress
        self.emailDomain = emailDomain
        self.from = from
        self.until = until
    }
}

/// How many signatures an invalidation would remove, and how many of them count today.
public struct InvalidationPreview: Codable, Sendable, Equatable {
    public var signatures: Int
    public var counted: Int

    public init(signatures: Int, counted: Int) {
        self.signatures = signatures
        self.counted = counted
    }
}

public struct PreviewInvalidation: DialogueRequest {
    public static let messageType = "petition.invalidation.preview"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = InvalidationPreview

    public var selection: SignatureSelection

    public init(selection: SignatureSelection) {
        self.selection = selection
    }
}

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

/// What staff see to spot a campaign of fake signatures on a petition.
public struct GetFraudOverview: DialogueRequest {
    public static let messageType = "petition.fraud.overview"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = FraudOverview

    public var petitionID: UUID

    public init(petitionID: UUID) {
        self.petitionID = petitionID
    }
}

public struct FraudOverview: Codable, Sendable, Equatable {
    public struct Source: Codable, Sendable, Equatable {
        /// An address or an e-mail domain.
        public var value: String
        public var signatures: Int
        public var last: Date

        public init(value: String, signatures: Int, last: Date) {
            self.value = value
            self.signatures = signatures
            self.last = last
        }
    }

    /// The addresses and domains that signed most in the last hour, most first.
    public var addresses: [Source]
    public var domains: [Source]
    public var lastHour: Int
    public var pending: Int
    public var invalidated: Int
    public var invalidations: [Invalidation]
    public var blockList: [BlockListEntry]

    public init(
        addresses: [Source], domains: [Source], lastHour: Int, pending: Int, invalidated: Int, invalidations: [Invalidation], blockList: [BlockListEntry]
    ) {
        self.addresses = addresses
        self.domains = domains
        self.lastHour = lastHour
        self.pending = pending
        self.invalidated = invalidated
        self.invalidations = invalidations
        self.blockList = blockList
    }
}

/// An address, network, domain or e-mail address whose signatures are refused on every petition.
public struct BlockListEntry: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case clientAddress = "ip"
        case domain
        case email
    }

    public var kind: Kind
    public var value: String
    public var reason: String
    public var addedBy: String
    public var addedAt: Date

    public init(kind: Kind, value: String, reason: String, addedBy: String, addedAt: Date) {
        self.kind = kind
        self.value = value
        self.reason = reason
        self.addedBy = addedBy
        self.addedAt = addedAt
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

    public init(kind: BlockListEntry.Kind, value: String, reason: String, staffName: String) {
        self.kind = kind
        self.value = value
        self.reason = reason
        self.staffName = staffName
    }
}

public struct RemoveFromBlockList: DialogueRequest {
    public static let messageType = "petition.blocklist.remove"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = BlockListRemoval

    public var kind: BlockListEntry.Kind
    public var value: String

    public init(kind: BlockListEntry.Kind, value: String) {
        self.kind = kind
        self.value = value
    }
}

public struct BlockListRemoval: Codable, Sendable, Equatable {
    public var removed: Bool

    public init(removed: Bool) {
        self.removed = removed
    }
}
