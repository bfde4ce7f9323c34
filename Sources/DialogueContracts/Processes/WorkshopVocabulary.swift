public import Foundation

// The words of workshops (« ateliers ») of a process: where and when they are held, who may
// register, and the rules staff and citizens must follow. The consultation service enforces
// them; the site checks them first to show the form back with every error at once.

/// The arrondissements the scheduling form offers: the Nord's six. Staff may type any other
/// (another département's arrondissement, or a place name).
public enum WorkshopArrondissement {
    public static let nord = ["Avesnes-sur-Helpe", "Cambrai", "Douai", "Dunkerque", "Lille", "Valenciennes"]
}

/// A date and time as typed in a form (`yyyy-MM-ddTHH:mm`, what `<input type="datetime-local">`
/// sends), read in the region's time zone (Europe/Paris).
public enum WorkshopTime {
    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = ProcessDay.zone
        return calendar
    }

    /// The instant of a local `yyyy-MM-ddTHH:mm` (seconds allowed) that exists; nil otherwise.
    public static func date(fromLocal text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let halves = trimmed.split(separator: "T", omittingEmptySubsequences: false)
        guard halves.count == 2, ProcessDay.start(of: String(halves[0])) != nil else { return nil }
        let day = halves[0].split(separator: "-").compactMap { Int($0) }
        let time = halves[1].split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(time.count), time.allSatisfy({ $0.count == 2 }) else { return nil }
        let numbers = time.compactMap { Int($0) }
        guard numbers.count == time.count, numbers[0] < 24, numbers[1] < 60, numbers.count == 2 || numbers[2] < 60 else { return nil }
        let components = DateComponents(
            year: day[0], month: day[1], day: day[2], hour: numbers[0], minute: numbers[1], second: numbers.count == 3 ? numbers[2] : 0
        )
        return calendar.date(from: components)
    }

    /// The local `yyyy-MM-ddTHH:mm` of `date` in the region (what a form shows back).
    public static func local(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }
}

/// A workshop as staff schedule it in a phase of a process.
public struct WorkshopDraft: Codable, Sendable, Equatable {
    public static let themeLength = 2...120
    public static let themeCount = 1...8
    public static let arrondissementLength = 2...100
    public static let placeLength = 0...300
    public static let accessibilityLength = 0...2_000
    public static let capacityRange = 1...10_000

    /// What it works on, in the order staff gave them.
    public var themes: [String]
    /// One of the Nord's six, or another typed by staff.
    public var arrondissement: String
    /// The address where it is held; empty for an online workshop.
    public var place: String
    /// The `https://` link of an online workshop; empty when held in a place.
    public var onlineLink: String
    public var startsAt: Date
    public var endsAt: Date
    /// Seats: past it, registrations join the waitlist.
    public var capacity: Int
    /// Step-free access, hearing loop, interpreter… as the place is.
    public var accessibility: String

    /// Trims every text and drops blank themes.
    public init(
        themes: [String], arrondissement: String, place: String = "", onlineLink: String = "", startsAt: Date, endsAt: Date, capacity: Int,
        accessibility: String = ""
    ) {
        self.themes = themes.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        self.arrondissement = arrondissement.trimmingCharacters(in: .whitespacesAndNewlines)
        self.place = place.trimmingCharacters(in: .whitespacesAndNewlines)
        self.onlineLink = onlineLink.trimmingCharacters(in: .whitespacesAndNewlines)
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.capacity = capacity
        self.accessibility = accessibility.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every rule the draft breaks, each naming its field (`themes`, `arrondissement`, `place`,
    /// `online_link`, `starts_at`, `ends_at`, `capacity`, `accessibility`), in the order of the
    /// form. With its phase, the workshop must also be held within the phase's days.
    public func problems(in phase: ProcessPhaseView? = nil) -> [RequestFailure] {
        var problems: [RequestFailure] = []
        func fail(_ field: String, _ message: String) { problems.append(RequestFailure(code: .invalid, message: message, field: field)) }
        if !Self.themeCount.contains(themes.count) { fail("themes", "Indiquez de 1 à 8 thèmes, un par ligne.") }
        else if themes.contains(where: { !Self.themeLength.contains($0.count) }) { fail("themes", "Chaque thème compte de 2 à 120 caractères.") }
        if !Self.arrondissementLength.contains(arrondissement.count) {
            fail("arrondissement", "Choisissez l'arrondissement, ou écrivez celui d'un autre département (2 à 100 caractères).")
        }
        if place.isEmpty && onlineLink.isEmpty { fail("place", "Indiquez le lieu de l'atelier, ou son lien en ligne.") }
        if place.count > Self.placeLength.upperBound { fail("place", "Le lieu compte au plus 300 caractères.") }
        if !onlineLink.isEmpty && !Self.isWebLink(onlineLink) { fail("online_link", "Le lien en ligne est une adresse en https://.") }
        if endsAt <= startsAt { fail("ends_at", "La fin de l'atelier précède son début : corrigez l'heure de fin.") }
        if let phase, let first = ProcessDay.start(of: phase.startsOn), let after = ProcessDay.end(of: phase.endsOn) {
            if startsAt < first || startsAt >= after {
                fail("starts_at", "L'atelier commence hors de son étape, qui court du \(phase.startsOn) au \(phase.endsOn).")
            } else if endsAt > after {
                fail("ends_at", "L'atelier finit après le dernier jour de son étape (\(phase.endsOn)).")
            }
        }
        if !Self.capacityRange.contains(capacity) { fail("capacity", "La capacité est d'au moins 1 place (au plus 10 000).") }
        if accessibility.count > Self.accessibilityLength.upperBound { fail("accessibility", "Les informations d'accessibilité comptent au plus 2 000 caractères.") }
        return problems
    }

    static func isWebLink(_ text: String) -> Bool {
        guard !text.contains(where: { $0.isWhitespace }), text.count <= 2_000, let components = URLComponents(string: text) else { return false }
        return components.scheme?.lowercased() == "https" && !(components.host ?? "").isEmpty
    }
}

/// Whether a workshop still takes registrations.
public enum WorkshopStatus: String, Codable, Sendable {
    case scheduled
    /// Called off by staff: it takes no registration any more.
    case cancelled
}

/// Where a registration stands.
public enum WorkshopRegistrationStatus: String, Codable, Sendable {
    /// Holds a seat.
    case confirmed
    /// Waits for a seat, in order of registration.
    case waitlisted
    /// Given up with the cancel link: the seat (or the place in the waitlist) is freed.
    case cancelled
}

/// What a citizen writes to register.
public struct WorkshopRegistrationDraft: Codable, Sendable, Equatable {
    public static let nameLength = 2...120
    public static let needsLength = 0...1_000

    public var name: String
    public var email: String
    /// Accessibility needs (wheelchair, sign language…), free text; may be empty.
    public var accessibilityNeeds: String
    /// Whether they need childcare during the workshop.
    public var childcare: Bool

    public init(name: String, email: String, accessibilityNeeds: String = "", childcare: Bool = false) {
        self.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        self.email = email.trimmingCharacters(in: .whitespacesAndNewlines)
        self.accessibilityNeeds = accessibilityNeeds.trimmingCharacters(in: .whitespacesAndNewlines)
        self.childcare = childcare
    }

    /// Every rule broken, naming `name`, `email` or `accessibility_needs`.
    public var problems: [RequestFailure] {
        var problems: [RequestFailure] = []
        func fail(_ field: String, _ message: String) { problems.append(RequestFailure(code: .invalid, message: message, field: field)) }
        if !Self.nameLength.contains(name.count) { fail("name", "Indiquez votre nom (2 à 120 caractères).") }
        if !EmailAddress.isValid(email) { fail("email", "Indiquez une adresse électronique valide, par exemple nom@exemple.fr.") }
        if accessibilityNeeds.count > Self.needsLength.upperBound { fail("accessibility_needs", "Vos besoins tiennent en 1 000 caractères au plus.") }
        return problems
    }
}

/// The fill levels at which staff are told how full a workshop is, once each.
public enum WorkshopFillLevel {
    public static let percentages = [50, 80, 100]

    /// The levels reached with `confirmed` seats taken out of `capacity`.
    public static func reached(confirmed: Int, capacity: Int) -> [Int] {
        guard capacity > 0 else { return [] }
        return percentages.filter { confirmed * 100 >= $0 * capacity }
    }
}

/// How long a person promoted from the waitlist has to confirm their seat.
public enum WorkshopPromotion {
    /// Long enough to see a mail sent over a weekend or while away for a day.
    public static let longestWait: TimeInterval = 48 * 3600

    /// 48 hours after the promotion, or halfway to the workshop's start if that comes sooner:
    /// near the day, the person after them in the waitlist is left as much time to confirm and
    /// to arrange coming as they had. Never after the start.
    public static func deadline(promotedAt: Date, startsAt: Date) -> Date {
        let halfway = promotedAt.addingTimeInterval(max(startsAt.timeIntervalSince(promotedAt), 0) / 2)
        return min(promotedAt.addingTimeInterval(longestWait), halfway)
    }
}

/// When people holding a seat are reminded of their workshop.
public enum WorkshopReminder {
    /// A day before the start: the reminder goes once the start is this near, to seats taken
    /// before then (a seat taken later has just been confirmed by mail).
    public static let lead: TimeInterval = 24 * 3600
}
