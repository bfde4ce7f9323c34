public import Foundation

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
    public var status: String
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
        id: UUID, title: String, text: String, status: String, signatureCount: Int, threshold: Int, createdAt: Date, visible: Bool,
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

    public init(
        petitionID: UUID, name: String, email: String, postcode: String, signedAt: Date,
        showName: Bool = false, wantsAnswer: Bool = false, clientAddress: String? = nil, confirmedAccountID: UUID? = nil
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
    }

    private enum CodingKeys: String, CodingKey {
        case petitionID, name, email, postcode, signedAt, showName, wantsAnswer, clientAddress, confirmedAccountID
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
            confirmedAccountID: try container.decodeIfPresent(UUID.self, forKey: .confirmedAccountID)
        )
    }
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

// MARK: Public pages

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

// MARK: Paper signatures

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

// MARK: Settings

/// The platform's petition settings; each petition freezes them when it opens.
public struct PetitionSettings: Codable, Sendable, Equatable {
    /// Signatures that oblige the assembly to take the subject up.
    public var defaultThreshold: Int
    /// How long a petition collects signatures once open.
    public var collectionDays: Int
    /// Intermediate milestones told to the author, as percentages of the threshold (1–99).
    public var milestones: [Int]

    public init(defaultThreshold: Int, collectionDays: Int, milestones: [Int] = PetitionSettings.defaultMilestones) {
        self.defaultThreshold = defaultThreshold
        self.collectionDays = collectionDays
        self.milestones = milestones
    }

    public static let defaultMilestones = [50]

    private enum CodingKeys: String, CodingKey {
        case defaultThreshold, collectionDays, milestones
    }

    /// Settings sent before milestones could be edited still read (with the default).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            defaultThreshold: try container.decode(Int.self, forKey: .defaultThreshold),
            collectionDays: try container.decode(Int.self, forKey: .collectionDays),
            milestones: try container.decodeIfPresent([Int].self, forKey: .milestones) ?? Self.defaultMilestones
        )
    }
}

public struct GetPetitionSettings: DialogueRequest {
    public static let messageType = "petition.settings.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = PetitionSettings

    public init() {}
}

public struct SavePetitionSettings: DialogueRequest {
    public static let messageType = "petition.settings.save"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = PetitionSettings

    public var settings: PetitionSettings
    public var staffName: String

    public init(settings: PetitionSettings, staffName: String) {
        self.settings = settings
        self.staffName = staffName
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
