public import Foundation

// Contributions gathered in person (seed 002: « ne pas compter sur le tout numérique »),
// entered by staff one by one or from a CSV file, and supports counted on paper.

/// How a contribution gathered in person reached staff.
public enum OfflineChannel: String, Codable, Sendable, CaseIterable {
    /// An *animation in situ*: staff met people where they are (a market, a hall).
    case inSitu = "in_situ"
    /// A workshop (*atelier*).
    case workshop
    /// A paper form filled in and handed over.
    case paperForm = "paper_form"
    /// A letter (*courrier*).
    case mail
}

/// Where and when a contribution was gathered in person: shown publicly as « recueillie lors de … ».
public struct OfflineOrigin: Codable, Sendable, Equatable {
    public static let placeLength = 2...200
    public static let sessionLength = 2...200

    /// The place (a town, a hall, a market).
    public var place: String
    /// The day it was gathered, `yyyy-MM-dd`.
    public var collectedOn: String
    /// The session's name (« Forum des associations de Lille »).
    public var session: String
    public var channel: OfflineChannel

    /// Trims every field.
    public init(place: String, collectedOn: String, session: String, channel: OfflineChannel) {
        self.place = place.trimmingCharacters(in: .whitespacesAndNewlines)
        self.collectedOn = collectedOn.trimmingCharacters(in: .whitespacesAndNewlines)
        self.session = session.trimmingCharacters(in: .whitespacesAndNewlines)
        self.channel = channel
    }

    /// The day as a date at midnight in Europe/Paris, nil when it is not a real `yyyy-MM-dd` day.
    public var day: Date? { Self.day(collectedOn) }

    public static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        let components = DateComponents(year: year, month: month, day: dayOfMonth)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { return nil }
        return date
    }

    /// Every rule the origin breaks, each naming its field (`place`, `collected_on`, `session`).
    public func problems(now: Date = Date()) -> [RequestFailure] {
        var problems: [RequestFailure] = []
        func invalid(_ field: String, _ message: String) {
            problems.append(RequestFailure(code: .invalid, message: message, field: field))
        }
        if !Self.placeLength.contains(place.count) {
            invalid("place", place.isEmpty ? "Indiquez le lieu de la rencontre." : "Le lieu doit compter entre 2 et 200 caractères.")
        }
        if let day {
            // A day ahead is tolerated, as for paper signatures: staff in another time zone.
            if day > now.addingTimeInterval(86_400) { invalid("collected_on", "La date de la rencontre ne peut pas être dans le futur.") }
        } else {
            invalid("collected_on", collectedOn.isEmpty ? "Indiquez la date de la rencontre." : "La date de la rencontre n'est pas une date (AAAA-MM-JJ).")
        }
        if !Self.sessionLength.contains(session.count) {
            invalid("session", session.isEmpty ? "Indiquez le nom de la rencontre." : "Le nom de la rencontre doit compter entre 2 et 200 caractères.")
        }
        return problems
    }
}

/// One contribution gathered in person: what was said or written, by whom when they gave a
/// name (no account), and where it was gathered.
public struct OfflineContributionEntry: Codable, Sendable, Equatable {
    public static let authorNameLength = 0...100

    public var draft: ContributionDraft
    /// The name the person gave, nil when they gave none.
    public var authorName: String?
    public var origin: OfflineOrigin

    public init(draft: ContributionDraft, authorName: String?, origin: OfflineOrigin) {
        let name = authorName?.trimmingCharacters(in: .whitespacesAndNewlines)
        self.draft = draft
        self.authorName = name?.isEmpty == false ? name : nil
        self.origin = origin
    }

    /// Every rule of the entry itself (the consultation's kinds and themes are checked against
    /// it), each naming its field: the draft's, `author_name`, and the origin's.
    public func problems(now: Date = Date()) -> [RequestFailure] {
        var problems = draft.problems
        if let authorName, !Self.authorNameLength.contains(authorName.count) {
            problems.append(RequestFailure(code: .invalid, message: "Le nom de l'auteur doit compter au plus 100 caractères.", field: "author_name"))
        }
        return problems + origin.problems(now: now)
    }
}

/// Staff record contributions gathered in person: all of them or none (one transaction), each
/// checked against the consultation (kinds, themes). They are published at once (see the service).
public struct RecordOfflineContributions: DialogueRequest {
    public static let messageType = "contribution.offline.record"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = OfflineContributionsRecorded
    /// The most contributions one request (one CSV file) records.
    public static let maximumEntries = 200

    public var consultationID: UUID
    public var entries: [OfflineContributionEntry]
    public var staffID: UUID
    public var staffName: String

    public init(consultationID: UUID, entries: [OfflineContributionEntry], staffID: UUID, staffName: String) {
        self.consultationID = consultationID
        self.entries = entries
        self.staffID = staffID
        self.staffName = staffName
    }
}

public struct OfflineContributionsRecorded: Codable, Sendable, Equatable {
    public var items: [ContributionView]

    public init(items: [ContributionView]) {
        self.items = items
    }
}

/// Staff record supports of a published proposal gathered on paper: counted apart from the
/// supports given online, like petitions' paper signatures (`PaperCollection`'s rules).
public struct RecordPaperSupports: DialogueRequest {
    public static let messageType = "contribution.paper_supports.record"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = PaperSupportBatch

    public var contributionID: UUID
    public var count: Int
    /// The day the sheets were collected.
    public var collectedOn: Date
    public var place: String
    public var staffID: UUID
    public var staffName: String

    public init(contributionID: UUID, count: Int, collectedOn: Date, place: String, staffID: UUID, staffName: String) {
        self.contributionID = contributionID
        self.count = count
        self.collectedOn = collectedOn
        self.place = place
        self.staffID = staffID
        self.staffName = staffName
    }
}

public struct PaperSupportBatch: Codable, Sendable, Equatable {
    public var id: UUID
    public var contributionID: UUID
    public var count: Int
    /// `yyyy-MM-dd`.
    public var collectedOn: String
    public var place: String
    /// The proposal's supports on paper, all batches together.
    public var paperSupportCount: Int

    public init(id: UUID, contributionID: UUID, count: Int, collectedOn: String, place: String, paperSupportCount: Int) {
        self.id = id
        self.contributionID = contributionID
        self.count = count
        self.collectedOn = collectedOn
        self.place = place
        self.paperSupportCount = paperSupportCount
    }
}
