public import Foundation

// What the site and the back-office read about workshops, over RPC.

/// A workshop as its page, the process page and the calendar feed show it.
public struct WorkshopView: Codable, Sendable, Equatable {
    public var id: UUID
    public var processID: UUID
    public var processTitle: String
    public var phaseID: UUID
    public var themes: [String]
    public var arrondissement: String
    public var place: String
    public var onlineLink: String
    public var startsAt: Date
    public var endsAt: Date
    public var capacity: Int
    public var accessibility: String
    public var status: WorkshopStatus
    /// Seats taken.
    public var confirmedCount: Int
    public var waitlistCount: Int
    public var createdAt: Date
    /// How many times its date, time or place changed or it was called off: the iCalendar
    /// SEQUENCE, so that a calendar holding the invitation takes the newer one.
    public var sequence: Int?

    public init(
        id: UUID, processID: UUID, processTitle: String, phaseID: UUID, themes: [String], arrondissement: String, place: String, onlineLink: String,
        startsAt: Date, endsAt: Date, capacity: Int, accessibility: String, status: WorkshopStatus, confirmedCount: Int, waitlistCount: Int,
        createdAt: Date, sequence: Int? = nil
    ) {
        self.id = id
        self.processID = processID
        self.processTitle = processTitle
        self.phaseID = phaseID
        self.themes = themes
        self.arrondissement = arrondissement
        self.place = place
        self.onlineLink = onlineLink
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.capacity = capacity
        self.accessibility = accessibility
        self.status = status
        self.confirmedCount = confirmedCount
        self.waitlistCount = waitlistCount
        self.createdAt = createdAt
        self.sequence = sequence
    }

    public var seatsLeft: Int { max(capacity - confirmedCount, 0) }

    /// Whether it still takes registrations at `date`: scheduled and not begun.
    public func takesRegistrations(at date: Date = Date()) -> Bool { status == .scheduled && date < startsAt }
}

/// Lists a process's workshops, the soonest first.
public struct ListProcessWorkshops: DialogueRequest {
    public static let messageType = "workshop.list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = WorkshopList

    public var processID: UUID

    public init(processID: UUID) {
        self.processID = processID
    }
}

public struct WorkshopList: Codable, Sendable, Equatable {
    public var items: [WorkshopView]

    public init(items: [WorkshopView]) {
        self.items = items
    }
}

/// Reads one workshop.
public struct GetWorkshop: DialogueRequest {
    public static let messageType = "workshop.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = WorkshopView

    public var workshopID: UUID

    public init(workshopID: UUID) {
        self.workshopID = workshopID
    }
}

/// One registration as the person who made it sees it (through the link of their mail), with
/// its workshop: status, place in the waitlist, check-in code, cancel token.
public struct WorkshopRegistrationReceipt: Codable, Sendable, Equatable {
    public var registrationID: UUID
    public var workshop: WorkshopView
    public var name: String
    public var status: WorkshopRegistrationStatus
    /// 1 for the next to be promoted; nil unless waitlisted.
    public var waitlistPosition: Int?
    /// Shown at the door: short, unambiguous (no 0/O, 1/I).
    public var checkInCode: String
    /// Opens and cancels the registration: unguessable, the only key to it.
    public var cancelToken: String
    public var registeredAt: Date
    /// A seat given from the waitlist and not yet confirmed: the moment it goes to the next
    /// person unless confirmed (`ConfirmWorkshopPromotion`). Nil once confirmed, or for a seat
    /// taken when registering.
    public var confirmBy: Date?
    /// When a seat given from the waitlist went to the next person for want of confirmation
    /// (the registration is then cancelled).
    public var promotionExpiredAt: Date?

    public init(
        registrationID: UUID, workshop: WorkshopView, name: String, status: WorkshopRegistrationStatus, waitlistPosition: Int?, checkInCode: String,
        cancelToken: String, registeredAt: Date, confirmBy: Date? = nil, promotionExpiredAt: Date? = nil
    ) {
        self.registrationID = registrationID
        self.workshop = workshop
        self.name = name
        self.status = status
        self.waitlistPosition = waitlistPosition
        self.checkInCode = checkInCode
        self.cancelToken = cancelToken
        self.registeredAt = registeredAt
        self.confirmBy = confirmBy
        self.promotionExpiredAt = promotionExpiredAt
    }
}

/// Reads a registration by its cancel token (the link of the confirmation mail).
public struct GetWorkshopRegistration: DialogueRequest {
    public static let messageType = "workshop.registration_get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = WorkshopRegistrationReceipt

    public var token: String

    public init(token: String) {
        self.token = token
    }
}

/// One line of a workshop's registrations for staff.
public struct WorkshopRegistrationEntry: Codable, Sendable, Equatable {
    public var id: UUID
    /// Nil unless the request asked for personal data.
    public var name: String?
    public var email: String?
    public var accessibilityNeeds: String
    public var childcare: Bool
    public var status: WorkshopRegistrationStatus
    public var waitlistPosition: Int?
    public var checkInCode: String
    public var checkedInAt: Date?
    public var registeredAt: Date
    /// A seat given from the waitlist, not yet confirmed: until when it is held.
    public var confirmBy: Date?

    public init(
        id: UUID, name: String?, email: String?, accessibilityNeeds: String, childcare: Bool, status: WorkshopRegistrationStatus, waitlistPosition: Int?,
        checkInCode: String, checkedInAt: Date?, registeredAt: Date, confirmBy: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.accessibilityNeeds = accessibilityNeeds
        self.childcare = childcare
        self.status = status
        self.waitlistPosition = waitlistPosition
        self.checkInCode = checkInCode
        self.checkedInAt = checkedInAt
        self.registeredAt = registeredAt
        self.confirmBy = confirmBy
    }
}

/// A workshop's registrations for staff: confirmed ones first, then the waitlist in order,
/// then the cancelled ones. Names and addresses only when `withPersonalData` (the gateway asks
/// for them only for the roles allowed to read personal data).
public struct ListWorkshopRegistrations: DialogueRequest {
    public static let messageType = "workshop.registration_list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = WorkshopRegistrationList

    public var workshopID: UUID
    public var withPersonalData: Bool

    public init(workshopID: UUID, withPersonalData: Bool) {
        self.workshopID = workshopID
        self.withPersonalData = withPersonalData
    }
}

public struct WorkshopRegistrationList: Codable, Sendable, Equatable {
    public var workshop: WorkshopView
    public var entries: [WorkshopRegistrationEntry]

    public init(workshop: WorkshopView, entries: [WorkshopRegistrationEntry]) {
        self.workshop = workshop
        self.entries = entries
    }
}
