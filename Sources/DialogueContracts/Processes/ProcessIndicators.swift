public import Foundation

// The follow-up indicators of a process (seed 003: who took part, how many, what was kept, how
// fast they were answered, what became of it), counted from the consultation service's data.
// Staff read them exactly; the public reads them with small numbers of people hidden.

/// Who reads the indicators: staff see exact figures and draft recommendations; the public sees
/// published recommendations only, and every count of people under `PeopleCount.threshold` hidden.
public enum IndicatorAudience: String, Codable, Sendable {
    case `public`
    case staff
}

/// Reads a process's follow-up indicators, for one audience.
public struct GetProcessIndicators: DialogueRequest {
    public static let messageType = "process.indicators"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ProcessIndicators

    public var processID: UUID
    public var audience: IndicatorAudience

    public init(processID: UUID, audience: IndicatorAudience) {
        self.processID = processID
        self.audience = audience
    }
}

/// A number of people, which the public may not see exactly.
public struct PeopleCount: Codable, Sendable, Equatable {
    /// Below this many people (and above none), a public cell is hidden: with the département,
    /// the arrondissement of a workshop or an age band, one, two or three people could be told
    /// apart by someone who knows them. Zero is shown: it points at nobody.
    public static let threshold = 5

    /// Why a count is not shown to the public.
    public enum Hiding: String, Codable, Sendable {
        /// From 1 to `threshold - 1` people.
        case small
        /// Not small itself, but the other cells of its table and their total would give back
        /// a small one hidden beside it.
        case complement
    }

    /// The number of people; nil where it is hidden.
    public var count: Int?
    /// Why the number is hidden; nil when it is shown.
    public var hidden: Hiding?

    public init(_ count: Int) {
        self.count = count
        self.hidden = nil
    }

    /// Whether the public may not see this number exactly.
    public var isSmall: Bool { (count ?? 0) > 0 && (count ?? 0) < Self.threshold }

    /// The same count hidden: as small when it is, as a complement otherwise.
    public var hiddenCopy: PeopleCount {
        var copy = self
        copy.hidden = isSmall ? .small : .complement
        copy.count = nil
        return copy
    }
}

/// One line of a breakdown of the participants: a key (a département's code, an arrondissement,
/// an age band's code), nil for the people of whom it is not known, and how many they are.
public struct PeopleCell: Codable, Sendable, Equatable {
    public var key: String?
    public var people: PeopleCount

    public init(key: String?, people: PeopleCount) {
        self.key = key
        self.people = people
    }
}

/// The distinct people who took part in one phase: wrote a contribution to its consultation,
/// supported one, or registered for one of its workshops — each counted once in the phase.
public struct PhaseParticipation: Codable, Sendable, Equatable {
    public var phaseID: UUID
    public var position: Int
    public var kind: ProcessPhaseKind
    public var title: String
    public var people: PeopleCount

    public init(phaseID: UUID, position: Int, kind: ProcessPhaseKind, title: String, people: PeopleCount) {
        self.phaseID = phaseID
        self.position = position
        self.kind = kind
        self.title = title
        self.people = people
    }
}

/// The contributions of the consultations of a process's phases, not withdrawn by their authors.
public struct ContributionIndicators: Codable, Sendable, Equatable {
    public var total: Int
    public var online: Int
    /// Gathered in person and entered by staff.
    public var inPerson: Int
    /// With a status other than « reçue », or a public answer: the balance sheet's « avec une réponse ».
    public var answered: Int
    /// Retained, or taken into a report.
    public var retained: Int
    /// The median time from a contribution to its first answer, in days; nil before any answer.
    public var medianDaysToAnswer: Double?

    public init(total: Int, online: Int, inPerson: Int, answered: Int, retained: Int, medianDaysToAnswer: Double?) {
        self.total = total
        self.online = online
        self.inPerson = inPerson
        self.answered = answered
        self.retained = retained
        self.medianDaysToAnswer = medianDaysToAnswer
    }
}

/// A workshop that is over (and was not called off): its seats taken when it began, who came.
public struct WorkshopAttendance: Codable, Sendable, Equatable {
    public var workshopID: UUID
    public var arrondissement: String
    public var themes: [String]
    public var startsAt: Date
    /// Registrations holding a seat (confirmed).
    public var registered: PeopleCount
    /// Of them, checked in at the door.
    public var attended: PeopleCount
    /// Of them, not checked in.
    public var noShows: PeopleCount

    public init(workshopID: UUID, arrondissement: String, themes: [String], startsAt: Date, registered: PeopleCount, attended: PeopleCount, noShows: PeopleCount) {
        self.workshopID = workshopID
        self.arrondissement = arrondissement
        self.themes = themes
        self.startsAt = startsAt
        self.registered = registered
        self.attended = attended
        self.noShows = noShows
    }
}

/// The orientation report and what became of it.
public struct RecommendationIndicators: Codable, Sendable, Equatable {
    /// Recommendations (published ones only, for the public).
    public var total: Int
    /// Of them, citing at least one contribution.
    public var citingContributions: Int
    /// Of them, carried out: adopted as they are or modified.
    public var adopted: Int
    /// Milestones of the adopted ones.
    public var milestones: Int
    /// Of them, reached (done).
    public var milestonesReached: Int
    /// The mean progress of the adopted recommendations, in percent — each one's the mean of its
    /// milestones', 0 for one without a milestone yet; nil when none is adopted.
    public var meanProgress: Double?

    public init(total: Int, citingContributions: Int, adopted: Int, milestones: Int, milestonesReached: Int, meanProgress: Double?) {
        self.total = total
        self.citingContributions = citingContributions
        self.adopted = adopted
        self.milestones = milestones
        self.milestonesReached = milestonesReached
        self.meanProgress = meanProgress
    }
}

/// A process's follow-up indicators, as one audience may read them.
public struct ProcessIndicators: Codable, Sendable, Equatable {
    public var processID: UUID
    public var processTitle: String
    public var audience: IndicatorAudience
    public var computedAt: Date
    /// Distinct people over the whole process.
    public var participants: PeopleCount
    /// In the order of the phases.
    public var byPhase: [PhaseParticipation]
    /// Each participant once, by the département of their profile (a code), nil when unknown
    /// or outside the region (a profile outside the region keeps no département).
    public var byDepartement: [PeopleCell]
    /// Each participant once, by the arrondissement of the first workshop they registered for;
    /// nil for those who registered for none.
    public var byArrondissement: [PeopleCell]
    /// Each participant once, by the age band of their profile (given with consent), nil when unknown.
    public var byAgeBand: [PeopleCell]
    public var contributions: ContributionIndicators
    /// Workshops over, in the order they were held.
    public var workshops: [WorkshopAttendance]
    public var recommendations: RecommendationIndicators

    public init(
        processID: UUID, processTitle: String, audience: IndicatorAudience, computedAt: Date, participants: PeopleCount, byPhase: [PhaseParticipation],
        byDepartement: [PeopleCell], byArrondissement: [PeopleCell], byAgeBand: [PeopleCell], contributions: ContributionIndicators,
        workshops: [WorkshopAttendance], recommendations: RecommendationIndicators
    ) {
        self.processID = processID
        self.processTitle = processTitle
        self.audience = audience
        self.computedAt = computedAt
        self.participants = participants
        self.byPhase = byPhase
        self.byDepartement = byDepartement
        self.byArrondissement = byArrondissement
        self.byAgeBand = byAgeBand
        self.contributions = contributions
        self.workshops = workshops
        self.recommendations = recommendations
    }

    /// Whether any participant's age band is known.
    public var knowsAgeBands: Bool { byAgeBand.contains { $0.key != nil && ($0.people.count ?? 1) > 0 } }

    /// The indicators the public may read: every count of people from 1 to 4 hidden, and in each
    /// table whose lines add up to a known total, one more line hidden beside a lone hidden one
    /// (otherwise the total minus the others gives it back).
    public func protectingSmallNumbers() -> ProcessIndicators {
        var copy = self
        copy.audience = .public
        if copy.participants.isSmall { copy.participants = copy.participants.hiddenCopy }
        copy.byPhase = byPhase.map { phase in
            var phase = phase
            if phase.people.isSmall { phase.people = phase.people.hiddenCopy }
            return phase
        }
        copy.byDepartement = Self.protecting(byDepartement)
        copy.byArrondissement = Self.protecting(byArrondissement)
        copy.byAgeBand = Self.protecting(byAgeBand)
        copy.workshops = workshops.map { workshop in
            var workshop = workshop
            if workshop.registered.isSmall {
                workshop.registered = workshop.registered.hiddenCopy
                workshop.attended = workshop.attended.hiddenCopy
                workshop.noShows = workshop.noShows.hiddenCopy
            } else if workshop.attended.isSmall || workshop.noShows.isSmall {
                // Registered = attended + no-shows: hiding one alone would give it back.
                workshop.attended = workshop.attended.hiddenCopy
                workshop.noShows = workshop.noShows.hiddenCopy
            }
            return workshop
        }
        return copy
    }

    /// A breakdown's lines, small ones hidden; a lone hidden line takes the smallest other
    /// non-zero line with it.
    static func protecting(_ cells: [PeopleCell]) -> [PeopleCell] {
        var cells = cells
        var hidden = 0
        for index in cells.indices where cells[index].people.isSmall {
            cells[index].people = cells[index].people.hiddenCopy
            hidden += 1
        }
        if hidden == 1 {
            let shown = cells.indices.filter { cells[$0].people.hidden == nil && (cells[$0].people.count ?? 0) > 0 }
            if let smallest = shown.min(by: { (cells[$0].people.count ?? 0) < (cells[$1].people.count ?? 0) }) {
                cells[smallest].people = cells[smallest].people.hiddenCopy
            }
        }
        return cells
    }
}
