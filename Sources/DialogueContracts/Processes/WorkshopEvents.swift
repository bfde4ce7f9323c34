public import Foundation

// What the consultation service publishes about workshops. Registrations are made without an
// account: the events about one carry the person's address, for the notification worker's
// mail only (nothing else consumes them).

/// A workshop was scheduled in a phase of a process.
public struct WorkshopScheduled: DialogueEvent {
    public static let messageType = "workshop.scheduled"
    public static let schemaVersion = 1

    public var workshop: WorkshopView

    public init(workshop: WorkshopView) {
        self.workshop = workshop
    }
}

/// What a mail about one registration says: the workshop, the person, their code and link.
public struct WorkshopRegistrationNotice: Codable, Sendable, Equatable {
    public var registrationID: UUID
    public var workshop: WorkshopView
    public var name: String
    public var email: String
    public var accountID: UUID?
    public var checkInCode: String
    public var cancelToken: String
    /// For a waitlisted registration: 1 for the next to be promoted.
    public var waitlistPosition: Int?
    public var occurredAt: Date

    public init(
        registrationID: UUID, workshop: WorkshopView, name: String, email: String, accountID: UUID?, checkInCode: String, cancelToken: String,
        waitlistPosition: Int?, occurredAt: Date
    ) {
        self.registrationID = registrationID
        self.workshop = workshop
        self.name = name
        self.email = email
        self.accountID = accountID
        self.checkInCode = checkInCode
        self.cancelToken = cancelToken
        self.waitlistPosition = waitlistPosition
        self.occurredAt = occurredAt
    }
}

/// A registration took a seat.
public struct WorkshopRegistrationConfirmed: DialogueEvent {
    public static let messageType = "workshop.registration_confirmed"
    public static let schemaVersion = 1

    public var registration: WorkshopRegistrationNotice

    public init(registration: WorkshopRegistrationNotice) {
        self.registration = registration
    }
}

/// A registration joined the waitlist: the workshop was full.
public struct WorkshopRegistrationWaitlisted: DialogueEvent {
    public static let messageType = "workshop.registration_waitlisted"
    public static let schemaVersion = 1

    public var registration: WorkshopRegistrationNotice

    public init(registration: WorkshopRegistrationNotice) {
        self.registration = registration
    }
}

/// A waitlisted registration got the seat a cancellation freed.
public struct WorkshopRegistrationPromoted: DialogueEvent {
    public static let messageType = "workshop.registration_promoted"
    public static let schemaVersion = 1

    public var registration: WorkshopRegistrationNotice

    public init(registration: WorkshopRegistrationNotice) {
        self.registration = registration
    }
}

/// A registration was cancelled with its link.
public struct WorkshopRegistrationCancelled: DialogueEvent {
    public static let messageType = "workshop.registration_cancelled"
    public static let schemaVersion = 1

    public var registration: WorkshopRegistrationNotice
    /// Whether it held a seat (then freed, and given to the first of the waitlist if any).
    public var heldSeat: Bool

    public init(registration: WorkshopRegistrationNotice, heldSeat: Bool) {
        self.registration = registration
        self.heldSeat = heldSeat
    }
}

/// A workshop's seats reached 50, 80 or 100 % taken: staff are told, once per level and
/// workshop (a level reached again after cancellations is not told again).
public struct WorkshopFillLevelReached: DialogueEvent {
    public static let messageType = "workshop.fill_level_reached"
    public static let schemaVersion = 1

    public var workshop: WorkshopView
    /// 50, 80 or 100.
    public var percentage: Int
    public var reachedAt: Date

    public init(workshop: WorkshopView, percentage: Int, reachedAt: Date) {
        self.workshop = workshop
        self.percentage = percentage
        self.reachedAt = reachedAt
    }
}
