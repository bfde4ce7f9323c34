public import Foundation

// What the consultation service publishes about processes. No event carries an address.

/// A phase of a process began (its first day came): emitted once per phase.
public struct ProcessPhaseStarted: DialogueEvent {
    public static let messageType = "process.phase_started"
    public static let schemaVersion = 1

    public var processID: UUID
    public var processTitle: String
    public var phaseID: UUID
    /// 1-based.
    public var position: Int
    public var phaseCount: Int
    public var kind: ProcessPhaseKind
    /// Staff's own name for it; empty for one of the seven steps left unnamed.
    public var title: String
    public var startsOn: String
    public var endsOn: String
    public var startedAt: Date

    public init(
        processID: UUID, processTitle: String, phaseID: UUID, position: Int, phaseCount: Int, kind: ProcessPhaseKind, title: String,
        startsOn: String, endsOn: String, startedAt: Date
    ) {
        self.processID = processID
        self.processTitle = processTitle
        self.phaseID = phaseID
        self.position = position
        self.phaseCount = phaseCount
        self.kind = kind
        self.title = title
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.startedAt = startedAt
    }
}

/// A phase began: one of the process's followers is to be told (one per follower and phase,
/// queued with `process.phase_started`). The notification worker mails the account's address.
public struct ProcessPhaseNoticeRequested: DialogueEvent {
    public static let messageType = "process.phase_notice_requested"
    public static let schemaVersion = 1

    public var accountID: UUID
    public var phase: ProcessPhaseStarted

    public init(accountID: UUID, phase: ProcessPhaseStarted) {
        self.accountID = accountID
        self.phase = phase
    }
}
