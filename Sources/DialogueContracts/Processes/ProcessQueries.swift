public import Foundation

// What the site and the back-office read about processes, over RPC.

/// One phase of a process as its timeline shows it.
public struct ProcessPhaseView: Codable, Sendable, Equatable {
    public var id: UUID
    /// 1-based, in the order the phases run.
    public var position: Int
    public var kind: ProcessPhaseKind
    /// Staff's own name for it; empty for one of the seven steps left unnamed.
    public var title: String
    public var startsOn: String
    public var endsOn: String
    public var description: String
    public var consultationID: UUID?
    public var forumID: UUID?
    public var surveyID: UUID?
    public var documents: [ProcessDocument]

    public init(
        id: UUID, position: Int, kind: ProcessPhaseKind, title: String, startsOn: String, endsOn: String, description: String,
        consultationID: UUID?, forumID: UUID?, surveyID: UUID?, documents: [ProcessDocument]
    ) {
        self.id = id
        self.position = position
        self.kind = kind
        self.title = title
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.description = description
        self.consultationID = consultationID
        self.forumID = forumID
        self.surveyID = surveyID
        self.documents = documents
    }

    /// Where the phase stands at `date`.
    public func timing(at date: Date = Date()) -> ProcessPhaseTiming {
        if let start = ProcessDay.start(of: startsOn), date < start { return .coming }
        if let end = ProcessDay.end(of: endsOn), date >= end { return .past }
        return .current
    }
}

/// Where a phase stands on a day: over, running, or still to come.
public enum ProcessPhaseTiming: String, Codable, Sendable {
    case past
    case current
    case coming
}

/// Where a whole process stands.
public enum ProcessStage: Equatable, Sendable {
    /// Its first phase is still to come.
    case notStarted
    /// The phase at this index (0-based) is running.
    case inPhase(Int)
    /// Between two phases: the one at this index (0-based) comes next.
    case between(next: Int)
    /// Every phase is over.
    case finished
}

/// A process as its page and the lists show it.
public struct ProcessView: Codable, Sendable, Equatable {
    public var id: UUID
    public var title: String
    public var policy: String
    public var purpose: String
    public var phases: [ProcessPhaseView]
    public var createdAt: Date
    /// Whether the viewer named by `GetProcess` follows it (false otherwise).
    public var followedByViewer: Bool

    public init(id: UUID, title: String, policy: String, purpose: String, phases: [ProcessPhaseView], createdAt: Date, followedByViewer: Bool = false) {
        self.id = id
        self.followedByViewer = followedByViewer
        self.title = title
        self.policy = policy
        self.purpose = purpose
        self.phases = phases
        self.createdAt = createdAt
    }

    /// Where it stands at `date`, from its phases' days.
    public func stage(at date: Date = Date()) -> ProcessStage {
        let timings = phases.map { $0.timing(at: date) }
        if let running = timings.firstIndex(of: .current) { return .inPhase(running) }
        guard let next = timings.firstIndex(of: .coming) else { return .finished }
        return next == 0 ? .notStarted : .between(next: next)
    }
}

/// Lists processes, the latest begun first.
public struct ListProcesses: DialogueRequest {
    public static let messageType = "process.list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ProcessList

    public init() {}
}

public struct ProcessList: Codable, Sendable, Equatable {
    public var items: [ProcessView]

    public init(items: [ProcessView]) {
        self.items = items
    }
}

/// Reads one process with its phases in order.
public struct GetProcess: DialogueRequest {
    public static let messageType = "process.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ProcessView

    public var processID: UUID
    /// Who reads it, to say whether they follow it.
    public var viewerAccountID: UUID?

    public init(processID: UUID, viewerAccountID: UUID? = nil) {
        self.processID = processID
        self.viewerAccountID = viewerAccountID
    }
}
