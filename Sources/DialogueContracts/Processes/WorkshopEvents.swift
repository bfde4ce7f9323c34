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
    /// For a seat given from the waitlist: when it goes to the next person unless confirmed.
    public var confirmBy: Date?

    public init(
        registrationID: UUID, workshop: WorkshopView, name: String, email: String, accountID: UUID?, checkInCode: String, cancelToken: String,
        waitlistPosition: Int?, occurredAt: Date, confirmBy: Date? = nil
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
        self.confirmBy = confirmBy
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

/// A waitlisted registration got a freed seat: it holds it until `registration.confirmBy`, and
/// keeps it only if the person confirms by then.
public struct WorkshopRegistrationPromoted: DialogueEvent {
    public static let messageType = "workshop.registration_promoted"
    public static let schemaVersion = 1

    public var registration: WorkshopRegistrationNotice

    public init(registration: WorkshopRegistrationNotice) {
        self.registration = registration
    }
}

/// A seat given from the waitlist was not confirmed by its deadline: the registration is
/// cancelled and the seat went to the next waiting person (told by their own promotion).
public struct WorkshopPromotionExpired: DialogueEvent {
    public static let messageType = "workshop.promotion_expired"
    public static let schemaVersion = 1

    public var registration: WorkshopRegistrationNotice

    public init(registration: WorkshopRegistrationNotice) {
        self.registration = registration
    }
}

/// Staff called a workshop off: one per registration holding a seat or waiting for one, queued
/// once in the transaction that calls it off, so that each person is told once.
public struct WorkshopCancellationNoticeRequested: DialogueEvent {
    public static let messageType = "workshop.cancellation_notice_requested"
    public static let schemaVersion = 1

    /// The workshop as called off (`status` cancelled); `waitlistPosition` set for one who waited.
    public var registration: WorkshopRegistrationNotice

    public init(registration: WorkshopRegistrationNotice) {
        self.registration = registration
    }
}

/// Staff moved a workshop (date, time or place): one per registration holding a seat or
/// waiting for one, with the workshop as it now is (its `sequence` raised) and where and when
/// it was before.
public struct WorkshopChangeNoticeRequested: DialogueEvent {
    public static let messageType = "workshop.change_notice_requested"
    public static let schemaVersion = 1

    public var registration: WorkshopRegistrationNotice
    public var previousStartsAt: Date
    public var previousEndsAt: Date
    /// The address it had; empty if it was held online.
    public var previousPlace: String

    public init(registration: WorkshopRegistrationNotice, previousStartsAt: Date, previousEndsAt: Date, previousPlace: String) {
        self.registration = registration
        self.previousStartsAt = previousStartsAt
        self.previousEndsAt = previousEndsAt
        self.previousPlace = previousPlace
    }
}

/// A workshop begins within a day: one per registration holding a seat (taken more than a day
/// before the start, else its confirmation is fresh), queued once by the reminder sweep.
public struct WorkshopReminderRequested: DialogueEvent {
    public static let messageType = "workshop.reminder_requested"
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
