public import Foundation

// What the site and the back-office read from the petitions service, over RPC.

/// Reads one petition.
public struct GetPetition: DialogueRequest {
    public static let messageType = "petition.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = PetitionView

    public var petitionID: UUID

    public init(petitionID: UUID) {
        self.petitionID = petitionID
    }
}

/// A petition as pages and the API show it.
public struct PetitionView: Codable, Sendable, Equatable {
    public var id: UUID
    public var title: String
    public var text: String
    public var status: PetitionStatus
    public var signatureCount: Int
    /// Signatures needed for the assembly to take the subject up, frozen when the petition opened.
    public var threshold: Int
    public var createdAt: Date
    /// Whether moderation lets the petition be shown (false while in moderation or held).
    public var visible: Bool
    /// Why the petition asks what it asks (absent from lists, and from petitions deposited before it existed).
    public var reasons: String?
    /// A `PetitionTheme` code.
    public var theme: String?

    public init(
        id: UUID, title: String, text: String, status: PetitionStatus, signatureCount: Int, threshold: Int, createdAt: Date, visible: Bool,
        reasons: String? = nil, theme: String? = nil
    ) {
        self.id = id
        self.title = title
        self.text = text
        self.status = status
        self.signatureCount = signatureCount
        self.threshold = threshold
        self.createdAt = createdAt
        self.visible = visible
        self.reasons = reasons
        self.theme = theme
    }
}

/// The public list of petitions.
public struct ListPetitions: DialogueRequest {
    public static let messageType = "petition.list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = PetitionList

    public enum Selection: String, Codable, Sendable, CaseIterable {
        /// Open to signatures (open or past the threshold).
        case open
        /// No longer collecting: referred, answered, closed.
        case closed
    }

    public enum Order: String, Codable, Sendable, CaseIterable {
        case mostSigned = "most_signed"
        case newest
        /// Open petitions whose collection ends first.
        case closingSoon = "closing_soon"
    }

    public var selection: Selection
    public var order: Order
    /// Words to look for in the title and text (French stemming: « lycées » finds « lycée »).
    public var words: String?
    public var offset: Int
    public var limit: Int

    public init(selection: Selection = .open, order: Order = .mostSigned, words: String? = nil, offset: Int = 0, limit: Int = 20) {
        self.selection = selection
        self.order = order
        self.words = words
        self.offset = offset
        self.limit = limit
    }
}

public struct PetitionList: Codable, Sendable, Equatable {
    public var items: [PetitionView]
    public var total: Int

    public init(items: [PetitionView], total: Int) {
        self.items = items
        self.total = total
    }
}

/// A petition's public page: the petition, its author, and its signatures by place and day.
public struct GetPetitionDetail: DialogueRequest {
    public static let messageType = "petition.detail"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = PetitionDetail

    public var petitionID: UUID

    public init(petitionID: UUID) {
        self.petitionID = petitionID
    }
}

public struct PetitionDetail: Codable, Sendable, Equatable {
    public struct PlaceCount: Codable, Sendable, Equatable {
        /// A département code of the region, or nil for "outside the region".
        public var departement: String?
        public var count: Int

        public init(departement: String?, count: Int) {
            self.departement = departement
            self.count = count
        }
    }

    public struct DayCount: Codable, Sendable, Equatable {
        /// The day in Paris time, `yyyy-MM-dd`.
        public var day: String
        public var count: Int

        public init(day: String, count: Int) {
            self.day = day
            self.count = count
        }
    }

    public var petition: PetitionView
    public var authorName: String?
    public var openedAt: Date?
    /// When the collection ends (frozen when the petition opened).
    public var closesAt: Date?
    /// The five départements of the region in order, then outside the region.
    public var byPlace: [PlaceCount]
    /// Every day from the opening (or the first signature) to the last signature, zeros included.
    public var byDay: [DayCount]
    /// When staff referred the petition to the assembly.
    public var referredAt: Date? = nil
    /// The assembly's answer, once published.
    public var answer: PetitionAnswer? = nil
    /// Signatures collected on paper, included in the count.
    public var paperCount: Int? = nil
    /// The names of the latest signatories who chose to show them (confirmed ones only).
    public var shownNames: [String]? = nil

    public init(petition: PetitionView, authorName: String?, openedAt: Date?, closesAt: Date? = nil, byPlace: [PlaceCount], byDay: [DayCount]) {
        self.petition = petition
        self.authorName = authorName
        self.openedAt = openedAt
        self.closesAt = closesAt
        self.byPlace = byPlace
        self.byDay = byDay
    }
}

/// The published petitions closest to a draft (French full-text relevance, open ones first),
/// shown before depositing so the author can sign one of them instead.
public struct FindSimilarPetitions: DialogueRequest {
    public static let messageType = "petition.similar"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = PetitionList

    public static let maximumLimit = 5

    public var title: String
    public var text: String
    public var limit: Int

    public init(title: String, text: String, limit: Int = FindSimilarPetitions.maximumLimit) {
        self.title = title
        self.text = text
        self.limit = limit
    }
}

/// Every petition an account deposited, newest first, in any state ("Mes pétitions").
public struct ListAuthorPetitions: DialogueRequest {
    public static let messageType = "petition.by_author"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = AuthorPetitionList

    public var authorAccountID: UUID

    public init(authorAccountID: UUID) {
        self.authorAccountID = authorAccountID
    }
}

public struct AuthorPetitionList: Codable, Sendable, Equatable {
    public struct Item: Codable, Sendable, Equatable {
        public var petition: PetitionView
        /// Moderation's reason when it refused or hid the petition.
        public var moderationReason: String?

        public init(petition: PetitionView, moderationReason: String?) {
            self.petition = petition
            self.moderationReason = moderationReason
        }
    }

    public var items: [Item]

    public init(items: [Item]) {
        self.items = items
    }
}

/// What a confirmation link stands for, read before showing its page and before confirming.
public struct InspectSignatureToken: DialogueRequest {
    public static let messageType = "petition.signature.inspect"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = SignatureTokenStatus

    public var token: String

    public init(token: String) {
        self.token = token
    }
}

public struct SignatureTokenStatus: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        /// Waiting for the button.
        case pending
        /// Confirmed already (the link was used, or the button pressed twice).
        case confirmed
        /// Older than its validity: the person signs again.
        case expired
        /// The petition no longer takes signatures.
        case closed
        /// No such link (mistyped, or its signature was removed).
        case unknown
    }

    public var state: State
    public var petitionID: UUID?
    public var title: String?

    public init(state: State, petitionID: UUID? = nil, title: String? = nil) {
        self.state = state
        self.petitionID = petitionID
        self.title = title
    }
}

/// Whether an address has signed a petition (for a signed-in citizen's page).
public struct FindSignature: DialogueRequest {
    public static let messageType = "petition.signature.find"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = SignatureLookup

    public var petitionID: UUID
    public var email: String

    public init(petitionID: UUID, email: String) {
        self.petitionID = petitionID
        self.email = email
    }
}

public struct SignatureLookup: Codable, Sendable, Equatable {
    /// When the address signed; nil when it did not (or its signature was invalidated).
    public var signedAt: Date?
    public var confirmed: Bool

    public init(signedAt: Date?, confirmed: Bool) {
        self.signedAt = signedAt
        self.confirmed = confirmed
    }
}

/// A petition as staff see it, in any state, with its paper batches.
public struct GetPetitionForStaff: DialogueRequest {
    public static let messageType = "petition.staff.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = StaffPetitionView

    public var petitionID: UUID

    public init(petitionID: UUID) {
        self.petitionID = petitionID
    }
}

public struct StaffPetitionView: Codable, Sendable, Equatable {
    public var petition: PetitionView
    public var authorName: String?
    /// Of `petition.signatureCount`, those collected on paper.
    public var paperCount: Int
    public var moderationStatus: String?
    public var moderationReason: String?
    public var batches: [PaperBatch]

    public init(petition: PetitionView, authorName: String?, paperCount: Int, moderationStatus: String?, moderationReason: String?, batches: [PaperBatch]) {
        self.petition = petition
        self.authorName = authorName
        self.paperCount = paperCount
        self.moderationStatus = moderationStatus
        self.moderationReason = moderationReason
        self.batches = batches
    }
}

/// A page of a petition's signatures, with personal data, for the administrators' export.
public struct ListSignaturesForExport: DialogueRequest {
    public static let messageType = "petition.signatures.export"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = SignatureExportPage

    public var petitionID: UUID
    /// The last signature of the previous page (keyset), nil for the first.
    public var after: UUID?
    public var limit: Int

    public init(petitionID: UUID, after: UUID? = nil, limit: Int = 2000) {
        self.petitionID = petitionID
        self.after = after
        self.limit = limit
    }
}

public struct SignatureExportPage: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var id: UUID
        public var name: String
        public var email: String
        public var postcode: String
        public var departement: String?
        public var signedAt: Date

        public init(id: UUID, name: String, email: String, postcode: String, departement: String?, signedAt: Date) {
            self.id = id
            self.name = name
            self.email = email
            self.postcode = postcode
            self.departement = departement
            self.signedAt = signedAt
        }
    }

    public var rows: [Row]
    public var next: UUID?

    public init(rows: [Row], next: UUID?) {
        self.rows = rows
        self.next = next
    }
}

public struct GetPetitionSettings: DialogueRequest {
    public static let messageType = "petition.settings.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = PetitionSettings

    public init() {}
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
    public var status: PetitionStatus
    public var referredAt: Date?
    public var answer: PetitionAnswer?
    public var closedAt: Date?
    public var closingReason: String?
    /// Oldest first.
    public var history: [PetitionStatusChange]

    public init(
        petitionID: UUID, status: PetitionStatus, referredAt: Date?, answer: PetitionAnswer?, closedAt: Date?, closingReason: String?,
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

/// One change of a petition's status, as recorded.
public struct PetitionStatusChange: Codable, Sendable, Equatable {
    public var from: PetitionStatus
    public var to: PetitionStatus
    /// Who made it; nil for the platform itself (moderation, the threshold, the end of the collection).
    public var byName: String?
    public var note: String?
    public var at: Date

    public init(from: PetitionStatus, to: PetitionStatus, byName: String?, note: String?, at: Date) {
        self.from = from
        self.to = to
        self.byName = byName
        self.note = note
        self.at = at
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
    /// The signatures held for review (over a signing rate limit), by source, most first.
    public var held: [HeldSource]
    /// The latest decisions on held signatures, newest first.
    public var heldReviews: [HeldSignatureReview]

    /// Signatures held for review from one source.
    public struct HeldSource: Codable, Sendable, Equatable {
        public var source: HeldSignatureSource
        public var signatures: Int
        /// Among them, those whose address is confirmed (they count at once if released).
        public var confirmed: Int
        /// The rate limits they went over.
        public var rules: [String]
        public var first: Date
        public var last: Date

        public init(source: HeldSignatureSource, signatures: Int, confirmed: Int, rules: [String], first: Date, last: Date) {
            self.source = source
            self.signatures = signatures
            self.confirmed = confirmed
            self.rules = rules
            self.first = first
            self.last = last
        }
    }

    public init(
        addresses: [Source], domains: [Source], lastHour: Int, pending: Int, invalidated: Int, invalidations: [Invalidation], blockList: [BlockListEntry],
        held: [HeldSource] = [], heldReviews: [HeldSignatureReview] = []
    ) {
        self.addresses = addresses
        self.domains = domains
        self.lastHour = lastHour
        self.pending = pending
        self.invalidated = invalidated
        self.invalidations = invalidations
        self.blockList = blockList
        self.held = held
        self.heldReviews = heldReviews
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

/// How many signatures an invalidation would remove, and how many of them count today.
public struct InvalidationPreview: Codable, Sendable, Equatable {
    public var signatures: Int
    public var counted: Int

    public init(signatures: Int, counted: Int) {
        self.signatures = signatures
        self.counted = counted
    }
}
