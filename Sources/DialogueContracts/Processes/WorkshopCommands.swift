public import Foundation

// What changes workshops: staff's and citizens' requests over RPC, with what they answer.

/// Schedules a workshop in a phase of a process (staff); audited, `workshop.scheduled` queued,
/// in one transaction. A refusal names its field and stores nothing.
public struct ScheduleWorkshop: DialogueRequest {
    public static let messageType = "workshop.schedule"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = WorkshopView

    public var processID: UUID
    public var phaseID: UUID
    public var draft: WorkshopDraft
    public var staffID: UUID
    public var staffName: String

    public init(processID: UUID, phaseID: UUID, draft: WorkshopDraft, staffID: UUID, staffName: String) {
        self.processID = processID
        self.phaseID = phaseID
        self.draft = draft
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// Changes a scheduled workshop (staff): themes, arrondissement, place or link, times,
/// capacity, accessibility; it stays in its phase. A capacity below the seats taken is refused
/// naming `capacity`; a capacity raised gives the new seats to the waitlist in order; a new
/// date, time or place tells each person registered or waiting
/// (`workshop.change_notice_requested`). Audited; refused (`conflict`) once called off.
public struct UpdateWorkshop: DialogueRequest {
    public static let messageType = "workshop.update"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = WorkshopView

    public var workshopID: UUID
    public var draft: WorkshopDraft
    public var staffID: UUID
    public var staffName: String

    public init(workshopID: UUID, draft: WorkshopDraft, staffID: UUID, staffName: String) {
        self.workshopID = workshopID
        self.draft = draft
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// Calls a workshop off (staff); audited. It takes no registration any more.
public struct CancelWorkshop: DialogueRequest {
    public static let messageType = "workshop.cancel"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = WorkshopView

    public var workshopID: UUID
    public var staffID: UUID
    public var staffName: String

    public init(workshopID: UUID, staffID: UUID, staffName: String) {
        self.workshopID = workshopID
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// Registers someone, with or without an account: confirmed while seats remain, waitlisted
/// after. Refused (`conflict`) once the workshop has begun, when it is cancelled, or when the
/// address is already registered (and not cancelled).
public struct RegisterForWorkshop: DialogueRequest {
    public static let messageType = "workshop.register"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = WorkshopRegistrationReceipt

    public var workshopID: UUID
    public var draft: WorkshopRegistrationDraft
    public var accountID: UUID?

    public init(workshopID: UUID, draft: WorkshopRegistrationDraft, accountID: UUID? = nil) {
        self.workshopID = workshopID
        self.draft = draft
        self.accountID = accountID
    }
}

/// Cancels a registration with its token: a freed seat goes to the first of the waitlist in
/// the same transaction. Cancelling twice answers the cancelled registration.
public struct CancelWorkshopRegistration: DialogueRequest {
    public static let messageType = "workshop.registration_cancel"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = WorkshopRegistrationReceipt

    public var token: String

    public init(token: String) {
        self.token = token
    }
}

/// Confirms a seat given from the waitlist, with the registration's token, before its
/// deadline (`WorkshopRegistrationReceipt.confirmBy`). Confirming twice answers the same; after
/// the deadline, or for a registration without a seat, refused (`conflict`) with a French message.
public struct ConfirmWorkshopPromotion: DialogueRequest {
    public static let messageType = "workshop.promotion_confirm"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = WorkshopRegistrationReceipt

    public var token: String

    public init(token: String) {
        self.token = token
    }
}

/// Checks a confirmed registration in at the door by its code (staff). A code of another
/// workshop, or of a registration without a seat, is refused by name (`code`).
public struct CheckInWorkshopRegistration: DialogueRequest {
    public static let messageType = "workshop.check_in"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = WorkshopCheckIn

    public var workshopID: UUID
    public var code: String
    public var staffID: UUID
    public var staffName: String

    public init(workshopID: UUID, code: String, staffID: UUID, staffName: String) {
        self.workshopID = workshopID
        self.code = code
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// The registration checked in, and whether it already was.
public struct WorkshopCheckIn: Codable, Sendable, Equatable {
    public var registrationID: UUID
    public var code: String
    public var checkedInAt: Date
    public var alreadyCheckedIn: Bool

    public init(registrationID: UUID, code: String, checkedInAt: Date, alreadyCheckedIn: Bool) {
        self.registrationID = registrationID
        self.code = code
        self.checkedInAt = checkedInAt
        self.alreadyCheckedIn = alreadyCheckedIn
    }
}
