public import Foundation

// The words of participatory processes: the kinds of phases of seed 001's « Ateliers
// citoyens », the days phases run on, what staff write, and the rules it must follow.

/// What a phase of a process is: one of seed 001's seven steps, or one staff name themselves.
public enum ProcessPhaseKind: String, Codable, Sendable, CaseIterable {
    case callForContributions = "call_for_contributions"
    case launchForum = "launch_forum"
    case workshops
    case synthesisForum = "synthesis_forum"
    case orientationReport = "orientation_report"
    case adoption
    case publicRestitution = "public_restitution"
    /// A phase named by staff (its title is then required).
    case free
}

/// Days as phases run on them (`yyyy-MM-dd`), in the region's time zone: a phase begins at
/// midnight of its first day and ends at midnight after its last.
public enum ProcessDay {
    public static let zone = TimeZone(identifier: "Europe/Paris") ?? .current

    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// Midnight, in the region, of a `yyyy-MM-dd` day that exists; nil for anything else.
    public static func start(of day: String) -> Date? {
        let parts = day.split(separator: "-", omittingEmptySubsequences: false)
        guard day.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2 else { return nil }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == 3 else { return nil }
        let components = DateComponents(year: numbers[0], month: numbers[1], day: numbers[2])
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }

    /// Midnight, in the region, after a `yyyy-MM-dd` day (the end of a phase whose last day it is).
    public static func end(of day: String) -> Date? {
        start(of: day).flatMap { calendar.date(byAdding: .day, value: 1, to: $0) }
    }

    /// The `yyyy-MM-dd` of `date` in the region.
    public static func day(of date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// The day `count` days after `day` (`yyyy-MM-dd`), or nil when `day` is not one.
    public static func day(_ count: Int, after day: String) -> String? {
        start(of: day).flatMap { calendar.date(byAdding: .day, value: count, to: $0) }.map(Self.day(of:))
    }
}

/// A document of a phase: a title and where to read it (the synthesis of contributions, the
/// orientation report, the adopted deliberation…).
public struct ProcessDocument: Codable, Sendable, Equatable {
    public static let titleLength = 1...200

    public var title: String
    /// An `https://` (or `http://`) address, or a path of the site (`/…`).
    public var url: String

    public init(title: String, url: String) {
        self.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        self.url = url.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether `url` is an address a link may carry: the web or the site, never a script.
    public var hasSafeAddress: Bool {
        let lowered = url.lowercased()
        guard !url.contains(where: { $0.isWhitespace }), url.count <= 2_000 else { return false }
        if lowered.hasPrefix("https://") || lowered.hasPrefix("http://") { return url.count > 8 }
        return url.hasPrefix("/") && !url.hasPrefix("//")
    }
}

/// One phase as staff write it.
public struct ProcessPhaseDraft: Codable, Sendable, Equatable {
    public static let titleLength = 0...150
    public static let descriptionLength = 0...5_000
    public static let maximumDocuments = 20

    public var kind: ProcessPhaseKind
    /// Its own name; may be empty for one of the seven steps (the step's name is shown then).
    public var title: String
    /// The first and the last day of the phase (`yyyy-MM-dd`, in the region).
    public var startsOn: String
    public var endsOn: String
    public var description: String
    /// What is open in it.
    public var consultationID: UUID?
    public var forumID: UUID?
    public var surveyID: UUID?
    public var documents: [ProcessDocument]

    /// Trims every text.
    public init(
        kind: ProcessPhaseKind, title: String = "", startsOn: String, endsOn: String, description: String = "", consultationID: UUID? = nil,
        forumID: UUID? = nil, surveyID: UUID? = nil, documents: [ProcessDocument] = []
    ) {
        self.kind = kind
        self.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        self.startsOn = startsOn.trimmingCharacters(in: .whitespacesAndNewlines)
        self.endsOn = endsOn.trimmingCharacters(in: .whitespacesAndNewlines)
        self.description = description.trimmingCharacters(in: .whitespacesAndNewlines)
        self.consultationID = consultationID
        self.forumID = forumID
        self.surveyID = surveyID
        self.documents = documents
    }
}

/// What staff write to run a process, and its rules: the consultation service enforces them,
/// the site checks them first to show the form back with every error at once.
public struct ProcessDraft: Codable, Sendable, Equatable {
    public static let titleLength = 3...150
    public static let policyLength = 3...200
    public static let purposeLength = 10...5_000
    public static let phaseCount = 1...12

    public var title: String
    /// The public policy it prepares (« Politique départementale de la jeunesse »).
    public var policy: String
    /// What it is for, and what will be done with what participants bring.
    public var purpose: String
    /// In the order they run.
    public var phases: [ProcessPhaseDraft]

    /// Trims every text.
    public init(title: String, policy: String, purpose: String, phases: [ProcessPhaseDraft]) {
        self.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        self.policy = policy.trimmingCharacters(in: .whitespacesAndNewlines)
        self.purpose = purpose.trimmingCharacters(in: .whitespacesAndNewlines)
        self.phases = phases
    }

    /// The field a refusal names for a phase's field (`phases[2].starts_on`, 0-based).
    public static func phaseField(_ index: Int, _ field: String) -> String { "phases[\(index)].\(field)" }

    /// Every rule the draft breaks, each naming its field, in the order of the form.
    public var problems: [RequestFailure] {
        var problems: [RequestFailure] = []
        func fail(_ field: String, _ message: String) { problems.append(RequestFailure(code: .invalid, message: message, field: field)) }
        if !Self.titleLength.contains(title.count) { fail("title", "Le titre compte de 3 à 150 caractères.") }
        if !Self.policyLength.contains(policy.count) { fail("policy", "Nommez la politique publique concernée (3 à 200 caractères).") }
        if !Self.purposeLength.contains(purpose.count) { fail("purpose", "L'objet de la démarche compte de 10 à 5 000 caractères.") }
        if !Self.phaseCount.contains(phases.count) { fail("phases", "Une démarche compte de 1 à 12 étapes.") }
        var previousEnd: (day: String, number: Int)?
        for (index, phase) in phases.enumerated() {
            let number = index + 1
            let field = { Self.phaseField(index, $0) }
            if phase.kind == .free && phase.title.isEmpty { fail(field("title"), "Nommez l'étape \(number) : son type est libre.") }
            if phase.title.count > ProcessPhaseDraft.titleLength.upperBound { fail(field("title"), "Le nom de l'étape \(number) compte au plus 150 caractères.") }
            let starts = ProcessDay.start(of: phase.startsOn)
            let ends = ProcessDay.start(of: phase.endsOn)
            if starts == nil { fail(field("starts_on"), "Indiquez le premier jour de l'étape \(number), par exemple 2027-03-01.") }
            if ends == nil { fail(field("ends_on"), "Indiquez le dernier jour de l'étape \(number), par exemple 2027-04-30.") }
            if let starts, let ends, ends < starts {
                fail(field("ends_on"), "Le dernier jour de l'étape \(number) précède son premier jour : inversez-les ou corrigez-les.")
            }
            if let starts, let previous = previousEnd, let previousLastDay = ProcessDay.start(of: previous.day), starts <= previousLastDay {
                fail(field("starts_on"), "L'étape \(number) commence avant la fin de l'étape \(previous.number) (\(previous.day)) : les étapes se suivent sans se chevaucher.")
            }
            if phase.description.count > ProcessPhaseDraft.descriptionLength.upperBound {
                fail(field("description"), "La description de l'étape \(number) compte au plus 5 000 caractères.")
            }
            if phase.documents.count > ProcessPhaseDraft.maximumDocuments {
                fail(field("documents"), "L'étape \(number) compte au plus 20 documents.")
            } else if phase.documents.contains(where: { !ProcessDocument.titleLength.contains($0.title.count) || !$0.hasSafeAddress }) {
                fail(field("documents"), "Chaque document de l'étape \(number) a un titre et une adresse en https:// (ou un chemin du site).")
            }
            // The next phase must begin after this one's last day, as far as it can be read.
            if let ends, ends >= (starts ?? .distantPast) { previousEnd = (phase.endsOn, number) }
        }
        return problems
    }
}

/// Processes made from a model in one step.
public enum ProcessTemplate: String, Codable, Sendable, CaseIterable {
    /// Seed 001's departmental « Ateliers citoyens »: its seven steps, one after the other.
    case citizenWorkshops = "citizen_workshops"

    /// The steps and how many days each lasts by default (staff change the dates afterwards).
    public var steps: [(kind: ProcessPhaseKind, days: Int)] {
        switch self {
        case .citizenWorkshops:
            [(.callForContributions, 42), (.launchForum, 1), (.workshops, 42), (.synthesisForum, 1), (.orientationReport, 28), (.adoption, 1), (.publicRestitution, 28)]
        }
    }

    /// The phases of the model, the first beginning on `firstDay` (`yyyy-MM-dd`) and each the
    /// day after the previous one ends; empty when `firstDay` is not a day.
    public func phases(startingOn firstDay: String) -> [ProcessPhaseDraft] {
        var phases: [ProcessPhaseDraft] = []
        var start = firstDay
        for step in steps {
            guard let end = ProcessDay.day(step.days - 1, after: start), let next = ProcessDay.day(step.days, after: start) else { return [] }
            phases.append(ProcessPhaseDraft(kind: step.kind, startsOn: start, endsOn: end))
            start = next
        }
        return phases
    }
}
