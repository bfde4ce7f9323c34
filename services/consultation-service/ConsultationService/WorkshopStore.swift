import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Storage

/// Workshops of a process's phases and their registrations: seats, the waitlist and its
/// promotions, check-in codes, and the fill levels staff are told of.
///
/// Every change to a workshop's seats runs under a lock on the workshop's row (`FOR UPDATE`),
/// so concurrent registrations, cancellations, confirmations and the expiry sweep of one
/// workshop take turns: a freed seat goes to exactly one waiting person, and no seat is given
/// twice. A seat given from the waitlist is held until a deadline to confirm it.
struct WorkshopStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    static let notFound = RequestFailure(code: .notFound, message: "Cet atelier n'existe pas.")
    static let registrationNotFound = RequestFailure(
        code: .notFound, message: "Ce lien d'inscription n'est pas valable : vérifiez qu'il est complet, tel que dans le courriel reçu."
    )

    // MARK: Staff

    /// Stores a workshop in a phase of the process, audited, with `workshop.scheduled`, in one
    /// transaction. It must be held within its phase's days.
    func schedule(_ request: ScheduleWorkshop) async throws -> WorkshopView {
        if let problem = request.draft.problems().first { throw problem }
        let draft = request.draft
        let id = UUID()
        return try await client.transaction(logger: logger) { connection in
            let process = try await ProcessStore.process(request.processID, on: connection, logger: logger)
            guard let phase = process.phases.first(where: { $0.id == request.phaseID }) else {
                throw RequestFailure(code: .invalid, message: "Choisissez une étape de cette démarche.", field: "phase_id")
            }
            if let problem = draft.problems(in: phase).first { throw problem }
            try await connection.query(
                """
                INSERT INTO workshops (id, process_id, phase_id, themes, arrondissement, place, online_link, starts_at, ends_at, capacity,
                                       accessibility, created_by, created_by_name)
                VALUES (\(id), \(request.processID), \(request.phaseID), \(draft.themes), \(draft.arrondissement), \(draft.place), \(draft.onlineLink),
                        \(draft.startsAt), \(draft.endsAt), \(draft.capacity), \(draft.accessibility), \(request.staffID), \(request.staffName))
                """,
                logger: logger
            )
            let workshop = try await Self.workshop(id, on: connection, logger: logger)
            try await StaffAudit.record(
                "workshop.scheduled", by: request.staffID, named: request.staffName, objectType: "workshop", objectID: id.uuidString.lowercased(),
                details: ["process": request.processID.uuidString.lowercased(), "arrondissement": draft.arrondissement, "capacity": String(draft.capacity)],
                service: ConsultationService.name, on: connection, logger: logger
            )
            try await Outbox.enqueue(WorkshopScheduled(workshop: workshop), on: connection, logger: logger)
            return workshop
        }
    }

    /// Changes a scheduled workshop under its lock, audited, in one transaction: it stays within
    /// its phase; its capacity never drops below the seats taken; seats added go to the
    /// waitlist in order; a new date, time or place raises its `sequence` and queues a notice
    /// to each person who held a seat or waited before the change.
    func update(_ request: UpdateWorkshop) async throws -> WorkshopView {
        let draft = request.draft
        if let problem = draft.problems().first { throw problem }
        return try await client.transaction(logger: logger) { connection in
            let before = try await Self.lockedWorkshop(request.workshopID, on: connection, logger: logger)
            guard before.status == .scheduled else {
                throw RequestFailure(code: .conflict, message: "Cet atelier est annulé : il ne se modifie plus.")
            }
            let process = try await ProcessStore.process(before.processID, on: connection, logger: logger)
            if let phase = process.phases.first(where: { $0.id == before.phaseID }), let problem = draft.problems(in: phase).first { throw problem }
            guard draft.capacity >= before.confirmedCount else {
                throw RequestFailure(
                    code: .invalid,
                    message: "La capacité ne peut pas descendre sous les \(before.confirmedCount) places déjà prises : "
                        + "gardez-en au moins \(before.confirmedCount), ou annulez d'abord des inscriptions.",
                    field: "capacity"
                )
            }
            let moved = draft.startsAt != before.startsAt || draft.endsAt != before.endsAt || draft.place != before.place
                || draft.onlineLink != before.onlineLink
            let toTell = moved ? try await Self.registrationsToTell(of: request.workshopID, on: connection, logger: logger) : []
            try await connection.query(
                """
                UPDATE workshops SET themes = \(draft.themes), arrondissement = \(draft.arrondissement), place = \(draft.place),
                       online_link = \(draft.onlineLink), starts_at = \(draft.startsAt), ends_at = \(draft.endsAt), capacity = \(draft.capacity),
                       accessibility = \(draft.accessibility), sequence = sequence + \(moved ? 1 : 0)
                WHERE id = \(request.workshopID)
                """,
                logger: logger
            )
            try await StaffAudit.record(
                "workshop.updated", by: request.staffID, named: request.staffName, objectType: "workshop",
                objectID: request.workshopID.uuidString.lowercased(),
                details: ["capacity": String(draft.capacity), "previous_capacity": String(before.capacity), "moved": moved ? "yes" : "no"],
                service: ConsultationService.name, on: connection, logger: logger
            )
            for id in toTell {
                let notice = try await Self.registration(id: id, on: connection, logger: logger).notice
                try await Outbox.enqueue(
                    WorkshopChangeNoticeRequested(
                        registration: notice, previousStartsAt: before.startsAt, previousEndsAt: before.endsAt, previousPlace: before.place
                    ),
                    on: connection, logger: logger
                )
            }
            try await Self.fillFreeSeats(of: request.workshopID, at: Date(), on: connection, logger: logger)
            return try await Self.workshop(request.workshopID, on: connection, logger: logger)
        }
    }

    /// Calls a workshop off, audited, and queues a notice to each person holding a seat or
    /// waiting for one (erased addresses excepted), in one transaction: calling it off twice
    /// changes nothing more and tells no one twice.
    func cancelWorkshop(_ request: CancelWorkshop) async throws -> WorkshopView {
        try await client.transaction(logger: logger) { connection in
            let workshop = try await Self.lockedWorkshop(request.workshopID, on: connection, logger: logger)
            guard workshop.status == .scheduled else { return workshop }
            try await connection.query(
                "UPDATE workshops SET status = 'cancelled', sequence = sequence + 1 WHERE id = \(request.workshopID)", logger: logger
            )
            try await StaffAudit.record(
                "workshop.cancelled", by: request.staffID, named: request.staffName, objectType: "workshop",
                objectID: request.workshopID.uuidString.lowercased(), details: ["registrations": String(workshop.confirmedCount + workshop.waitlistCount)],
                service: ConsultationService.name, on: connection, logger: logger
            )
            for id in try await Self.registrationsToTell(of: request.workshopID, on: connection, logger: logger) {
                let notice = try await Self.registration(id: id, on: connection, logger: logger).notice
                try await Outbox.enqueue(WorkshopCancellationNoticeRequested(registration: notice), on: connection, logger: logger)
            }
            return try await Self.workshop(request.workshopID, on: connection, logger: logger)
        }
    }

    /// Checks a confirmed registration in by its code (spaces, dashes and case ignored).
    func checkIn(_ request: CheckInWorkshopRegistration) async throws -> WorkshopCheckIn {
        let code = WorkshopCodes.normalized(request.code)
        return try await client.transaction(logger: logger) { connection in
            _ = try await Self.workshop(request.workshopID, on: connection, logger: logger)
            let rows = try await connection.query(
                """
                SELECT id, status, checked_in_at FROM workshop_registrations
                WHERE workshop_id = \(request.workshopID) AND check_in_code = \(code) FOR UPDATE
                """,
                logger: logger
            )
            var found: (UUID, String, Date?)?
            for try await row in rows.decode((UUID, String, Date?).self) { found = row }
            guard let found else {
                throw RequestFailure(code: .invalid, message: "Aucune inscription à cet atelier n'a le code « \(code) ».", field: "code")
            }
            switch WorkshopRegistrationStatus(rawValue: found.1) ?? .confirmed {
            case .waitlisted:
                throw RequestFailure(code: .invalid, message: "Le code « \(code) » est celui d'une inscription en liste d'attente : elle n'a pas de place.", field: "code")
            case .cancelled:
                throw RequestFailure(code: .invalid, message: "Le code « \(code) » est celui d'une inscription annulée.", field: "code")
            default:
                break
            }
            if let checkedInAt = found.2 {
                return WorkshopCheckIn(registrationID: found.0, code: code, checkedInAt: checkedInAt, alreadyCheckedIn: true)
            }
            let now = Date()
            try await connection.query("UPDATE workshop_registrations SET checked_in_at = \(now) WHERE id = \(found.0)", logger: logger)
            try await StaffAudit.record(
                "workshop.checked_in", by: request.staffID, named: request.staffName, objectType: "workshop",
                objectID: request.workshopID.uuidString.lowercased(), details: ["code": code],
                service: ConsultationService.name, on: connection, logger: logger
            )
            return WorkshopCheckIn(registrationID: found.0, code: code, checkedInAt: now, alreadyCheckedIn: false)
        }
    }

    /// A workshop's registrations: confirmed first, then the waitlist in order, then the cancelled.
    func registrations(_ request: ListWorkshopRegistrations) async throws -> WorkshopRegistrationList {
        try await client.withConnection { connection in
            let workshop = try await Self.workshop(request.workshopID, on: connection, logger: logger)
            let rows = try await connection.query(
                """
                SELECT id, name, email, accessibility_needs, childcare, status, check_in_code, checked_in_at, registered_at,
                       CASE WHEN status = 'waitlisted' THEN row_number() OVER (PARTITION BY status ORDER BY waitlisted_at, id)::integer END,
                       CASE WHEN status = 'confirmed' AND promotion_confirmed_at IS NULL THEN confirm_by END
                FROM workshop_registrations WHERE workshop_id = \(request.workshopID)
                ORDER BY CASE status WHEN 'confirmed' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END,
                         CASE WHEN status = 'waitlisted' THEN waitlisted_at END, registered_at, id
                """,
                logger: logger
            )
            var entries: [WorkshopRegistrationEntry] = []
            for try await row in rows.decode((UUID, String, String, String, Bool, String, String, Date?, Date, Int?, Date?).self) {
                entries.append(WorkshopRegistrationEntry(
                    id: row.0, name: request.withPersonalData ? row.1 : nil, email: request.withPersonalData ? row.2 : nil, accessibilityNeeds: row.3,
                    childcare: row.4, status: WorkshopRegistrationStatus(rawValue: row.5) ?? .cancelled, waitlistPosition: row.9, checkInCode: row.6,
                    checkedInAt: row.7, registeredAt: row.8, confirmBy: row.10
                ))
            }
            return WorkshopRegistrationList(workshop: workshop, entries: entries)
        }
    }

    // MARK: Everyone

    func list(_ request: ListProcessWorkshops) async throws -> WorkshopList {
        try await client.withConnection { connection in
            _ = try await ProcessStore.process(request.processID, on: connection, logger: logger)
            let rows = try await connection.query(
                "SELECT id FROM workshops WHERE process_id = \(request.processID) ORDER BY starts_at, id", logger: logger
            )
            var ids: [UUID] = []
            for try await id in rows.decode(UUID.self) { ids.append(id) }
            var items: [WorkshopView] = []
            for id in ids { items.append(try await Self.workshop(id, on: connection, logger: logger)) }
            return WorkshopList(items: items)
        }
    }

    func workshop(_ request: GetWorkshop) async throws -> WorkshopView {
        try await client.withConnection { connection in try await Self.workshop(request.workshopID, on: connection, logger: logger) }
    }

    /// Registers someone: a seat while any remains, else the end of the waitlist; the fill
    /// levels newly reached are told once each. All in one transaction under the workshop's lock.
    func register(_ request: RegisterForWorkshop) async throws -> WorkshopRegistrationReceipt {
        let draft = request.draft
        if let problem = draft.problems.first { throw problem }
        return try await client.transaction(logger: logger) { connection in
            let workshop = try await Self.lockedWorkshop(request.workshopID, on: connection, logger: logger)
            guard workshop.status == .scheduled else {
                throw RequestFailure(code: .conflict, message: "Cet atelier est annulé : il ne prend plus d'inscriptions.")
            }
            let now = Date()
            guard now < workshop.startsAt else {
                throw RequestFailure(code: .conflict, message: "Cet atelier a commencé : les inscriptions sont closes.")
            }
            let key = EmailAddress.normalized(draft.email)
            let taken = try await connection.query(
                "SELECT 1 FROM workshop_registrations WHERE workshop_id = \(request.workshopID) AND email_key = \(key) AND status <> 'cancelled'",
                logger: logger
            ).collect()
            guard taken.isEmpty else {
                throw RequestFailure(
                    code: .conflict,
                    message: "Cette adresse est déjà inscrite à cet atelier. Le courriel de confirmation contient le lien de votre inscription.",
                    field: "email"
                )
            }
            let status: WorkshopRegistrationStatus = workshop.confirmedCount < workshop.capacity ? .confirmed : .waitlisted
            let id = UUID()
            let code = try await Self.freshCode(for: request.workshopID, on: connection, logger: logger)
            let token = WorkshopCodes.token()
            let waitlistedAt: Date? = status == .waitlisted ? now : nil
            try await connection.query(
                """
                INSERT INTO workshop_registrations (id, workshop_id, account_id, name, email, email_key, accessibility_needs, childcare, status,
                                                    check_in_code, cancel_token, registered_at, waitlisted_at)
                VALUES (\(id), \(request.workshopID), \(request.accountID), \(draft.name), \(draft.email), \(key), \(draft.accessibilityNeeds),
                        \(draft.childcare), \(status.rawValue), \(code), \(token), \(now), \(waitlistedAt))
                """,
                logger: logger
            )
            let (receipt, notice) = try await Self.registration(id: id, on: connection, logger: logger)
            if status == .confirmed {
                try await Outbox.enqueue(WorkshopRegistrationConfirmed(registration: notice), on: connection, logger: logger)
                try await Self.tellFillLevels(of: receipt.workshop, on: connection, logger: logger)
            } else {
                try await Outbox.enqueue(WorkshopRegistrationWaitlisted(registration: notice), on: connection, logger: logger)
            }
            return receipt
        }
    }

    func registration(_ request: GetWorkshopRegistration) async throws -> WorkshopRegistrationReceipt {
        try await client.withConnection { connection in
            guard let id = try await Self.registrationID(token: request.token, on: connection, logger: logger) else { throw Self.registrationNotFound }
            return try await Self.registration(id: id, on: connection, logger: logger).receipt
        }
    }

    /// Cancels with the token; a seat freed goes to the first of the waitlist, in the same
    /// transaction, under the workshop's lock. Cancelling again answers the cancelled registration.
    func cancel(_ request: CancelWorkshopRegistration) async throws -> WorkshopRegistrationReceipt {
        try await client.transaction(logger: logger) { connection in
            let (id, workshopID) = try await Self.registrationAndWorkshop(token: request.token, on: connection, logger: logger)
            // The lock first, then the registration's status as it stands under it.
            _ = try await Self.lockedWorkshop(workshopID, on: connection, logger: logger)
            let before = try await Self.registration(id: id, on: connection, logger: logger).receipt
            guard before.status != .cancelled else { return before }
            let now = Date()
            try await connection.query(
                "UPDATE workshop_registrations SET status = 'cancelled', cancelled_at = \(now) WHERE id = \(id)", logger: logger
            )
            let heldSeat = before.status == .confirmed
            let notice = try await Self.registration(id: id, on: connection, logger: logger).notice
            try await Outbox.enqueue(WorkshopRegistrationCancelled(registration: notice, heldSeat: heldSeat), on: connection, logger: logger)
            if heldSeat { try await Self.fillFreeSeats(of: workshopID, at: now, on: connection, logger: logger) }
            return try await Self.registration(id: id, on: connection, logger: logger).receipt
        }
    }

    /// Keeps a seat given from the waitlist, with the registration's token, before its deadline;
    /// under the workshop's lock, so that it cannot cross the sweep that gives the seat away.
    func confirmPromotion(_ request: ConfirmWorkshopPromotion) async throws -> WorkshopRegistrationReceipt {
        try await client.transaction(logger: logger) { connection in
            let (id, workshopID) = try await Self.registrationAndWorkshop(token: request.token, on: connection, logger: logger)
            let workshop = try await Self.lockedWorkshop(workshopID, on: connection, logger: logger)
            guard workshop.status == .scheduled else {
                throw RequestFailure(code: .conflict, message: "Cet atelier est annulé : il n'y a plus de place à confirmer.")
            }
            let receipt = try await Self.registration(id: id, on: connection, logger: logger).receipt
            let now = Date()
            if let expiredAt = receipt.promotionExpiredAt { throw Self.promotionExpired(deadline: expiredAt) }
            switch receipt.status {
            case .cancelled:
                throw RequestFailure(code: .conflict, message: "Cette inscription est annulée : il n'y a plus de place à confirmer.")
            case .waitlisted:
                throw RequestFailure(
                    code: .conflict, message: "Vous êtes encore en liste d'attente : aucune place n'est à confirmer pour l'instant. Un courriel vous dira quand une place sera pour vous."
                )
            case .confirmed:
                break
            }
            // A seat taken when registering, or already confirmed: nothing more to do.
            guard let confirmBy = receipt.confirmBy else { return receipt }
            guard now < confirmBy else { throw Self.promotionExpired(deadline: confirmBy) }
            try await connection.query("UPDATE workshop_registrations SET promotion_confirmed_at = \(now) WHERE id = \(id)", logger: logger)
            return try await Self.registration(id: id, on: connection, logger: logger).receipt
        }
    }

    static func promotionExpired(deadline: Date) -> RequestFailure {
        RequestFailure(
            code: .conflict,
            message: "Le délai pour confirmer votre place est passé (il courait jusqu'au \(FrenchDate.dateTime(deadline)), heure de Paris) : "
                + "la place est allée à la personne suivante de la liste d'attente. Vous pouvez vous inscrire de nouveau depuis la page de l'atelier."
        )
    }

    /// Gives away the seats held past their deadline without confirmation, one workshop per
    /// transaction: the workshop is locked first (`SKIP LOCKED`, so replicas share the work and
    /// none waits on a workshop being registered to), then its overdue registrations are
    /// cancelled as they stand under the lock — a later statement sees what another replica
    /// committed, so each is expired once — and the freed seats go to the waitlist in order.
    /// Returns how many seats were given away.
    @discardableResult
    func expireUnconfirmedPromotions() async throws -> Int {
        var expired = 0
        while true {
            let done: Int? = try await client.transaction(logger: logger) { connection in
                let now = Date()
                let rows = try await connection.query(
                    """
                    SELECT w.id FROM workshops w
                    WHERE w.status = 'scheduled' AND w.starts_at > \(now)
                      AND EXISTS (SELECT 1 FROM workshop_registrations r
                                  WHERE r.workshop_id = w.id AND r.status = 'confirmed' AND r.confirm_by <= \(now) AND r.promotion_confirmed_at IS NULL)
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED
                    """,
                    logger: logger
                )
                var workshopID: UUID?
                for try await id in rows.decode(UUID.self) { workshopID = id }
                guard let workshopID else { return nil }
                let overdue = try await connection.query(
                    """
                    UPDATE workshop_registrations SET status = 'cancelled', cancelled_at = \(now), promotion_expired_at = confirm_by
                    WHERE workshop_id = \(workshopID) AND status = 'confirmed' AND confirm_by <= \(now) AND promotion_confirmed_at IS NULL
                    RETURNING id
                    """,
                    logger: logger
                )
                var ids: [UUID] = []
                for try await id in overdue.decode(UUID.self) { ids.append(id) }
                for id in ids {
                    let notice = try await Self.registration(id: id, on: connection, logger: logger).notice
                    // An erased account's registration has no address left to tell.
                    if !notice.email.isEmpty {
                        try await Outbox.enqueue(WorkshopPromotionExpired(registration: notice), on: connection, logger: logger)
                    }
                }
                try await Self.fillFreeSeats(of: workshopID, at: now, on: connection, logger: logger)
                return ids.count
            }
            guard let done else { break }
            expired += done
        }
        if expired > 0 { logger.info("unconfirmed workshop seats given to the waitlist", metadata: ["count": "\(expired)"]) }
        return expired
    }

    /// Queues the day-before reminder of each seat of a workshop starting within
    /// `WorkshopReminder.lead`, in chunks: the registrations are claimed with
    /// `FOR UPDATE SKIP LOCKED` and marked `reminded_at` in the transaction that queues their
    /// `workshop.reminder_requested`, so replicas share them and each is reminded once. A
    /// registration being cancelled meanwhile holds its row: skipped now, and no longer a seat
    /// on the next run. Returns how many were queued.
    @discardableResult
    func remindTomorrows(chunkSize: Int = 200) async throws -> Int {
        var reminded = 0
        while true {
            let count: Int = try await client.transaction(logger: logger) { connection in
                let now = Date()
                let horizon = now.addingTimeInterval(WorkshopReminder.lead)
                let rows = try await connection.query(
                    """
                    WITH due AS (
                        SELECT r.id FROM workshop_registrations r JOIN workshops w ON w.id = r.workshop_id
                        WHERE r.status = 'confirmed' AND r.reminded_at IS NULL AND r.email <> ''
                          AND w.status = 'scheduled' AND w.starts_at > \(now) AND w.starts_at <= \(horizon)
                          AND coalesce(r.promoted_at, r.registered_at) < w.starts_at - make_interval(secs => \(WorkshopReminder.lead))
                        ORDER BY r.id
                        LIMIT \(chunkSize)
                        FOR UPDATE OF r SKIP LOCKED
                    )
                    UPDATE workshop_registrations r SET reminded_at = \(now) FROM due WHERE r.id = due.id
                    RETURNING r.id
                    """,
                    logger: logger
                )
                var ids: [UUID] = []
                for try await id in rows.decode(UUID.self) { ids.append(id) }
                for id in ids {
                    let notice = try await Self.registration(id: id, on: connection, logger: logger).notice
                    try await Outbox.enqueue(WorkshopReminderRequested(registration: notice), on: connection, logger: logger)
                }
                return ids.count
            }
            reminded += count
            if count < chunkSize { break }
        }
        if reminded > 0 { logger.info("workshop reminders queued", metadata: ["count": "\(reminded)"]) }
        return reminded
    }

    /// Gives the free seats of a workshop (its row locked by the caller) to the first of its
    /// waitlist, in order, each with its deadline to confirm and `workshop.registration_promoted`.
    /// Nothing once the workshop is called off or has begun.
    static func fillFreeSeats(of workshopID: UUID, at now: Date, on connection: PostgresConnection, logger: Logger) async throws {
        let workshop = try await workshop(workshopID, on: connection, logger: logger)
        guard workshop.status == .scheduled, now < workshop.startsAt, workshop.seatsLeft > 0, workshop.waitlistCount > 0 else { return }
        let rows = try await connection.query(
            """
            SELECT id FROM workshop_registrations WHERE workshop_id = \(workshopID) AND status = 'waitlisted'
            ORDER BY waitlisted_at, id LIMIT \(workshop.seatsLeft)
            """,
            logger: logger
        )
        var next: [UUID] = []
        for try await id in rows.decode(UUID.self) { next.append(id) }
        let confirmBy = WorkshopPromotion.deadline(promotedAt: now, startsAt: workshop.startsAt)
        for id in next {
            try await connection.query(
                "UPDATE workshop_registrations SET status = 'confirmed', promoted_at = \(now), confirm_by = \(confirmBy) WHERE id = \(id)",
                logger: logger
            )
        }
        for id in next {
            let promoted = try await registration(id: id, on: connection, logger: logger).notice
            try await Outbox.enqueue(WorkshopRegistrationPromoted(registration: promoted), on: connection, logger: logger)
        }
    }

    /// An erased account's registrations keep their seat (their link still cancels it) but lose
    /// the name and address typed; the address's key becomes the registration's own id, so it
    /// blocks no one from registering again.
    static func apply(_ erased: AccountErased, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            UPDATE workshop_registrations SET name = '', email = '', email_key = id::text, accessibility_needs = '', account_id = NULL
            WHERE account_id = \(erased.accountID)
            """,
            logger: logger
        )
    }

    // MARK: Reading rows

    static func registrationID(token: String, on connection: PostgresConnection, logger: Logger) async throws -> UUID? {
        guard !token.isEmpty, token.count <= 200 else { return nil }
        let rows = try await connection.query("SELECT id FROM workshop_registrations WHERE cancel_token = \(token)", logger: logger)
        var id: UUID?
        for try await row in rows.decode(UUID.self) { id = row }
        return id
    }

    /// The registrations holding a seat or waiting for one, in the order they were made, but
    /// those of erased accounts (no address left): who is told when staff change the workshop.
    static func registrationsToTell(of workshopID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [UUID] {
        let rows = try await connection.query(
            """
            SELECT id FROM workshop_registrations WHERE workshop_id = \(workshopID) AND status <> 'cancelled' AND email <> ''
            ORDER BY registered_at, id
            """,
            logger: logger
        )
        var ids: [UUID] = []
        for try await id in rows.decode(UUID.self) { ids.append(id) }
        return ids
    }

    /// The registration of a token and its workshop's id.
    static func registrationAndWorkshop(token: String, on connection: PostgresConnection, logger: Logger) async throws -> (UUID, UUID) {
        let rows = try await connection.query("SELECT id, workshop_id FROM workshop_registrations WHERE cancel_token = \(token)", logger: logger)
        var found: (UUID, UUID)?
        for try await row in rows.decode((UUID, UUID).self) { found = row }
        guard let found else { throw registrationNotFound }
        return found
    }

    /// The workshop, its row locked until the transaction ends.
    static func lockedWorkshop(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> WorkshopView {
        let locked = try await connection.query("SELECT id FROM workshops WHERE id = \(id) FOR UPDATE", logger: logger).collect()
        guard !locked.isEmpty else { throw notFound }
        return try await workshop(id, on: connection, logger: logger)
    }

    static func workshop(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> WorkshopView {
        let rows = try await connection.query(
            """
            SELECT w.id, w.process_id, p.title, w.phase_id, w.themes, w.arrondissement, w.place, w.online_link, w.starts_at, w.ends_at,
                   w.capacity, w.accessibility, w.status,
                   (SELECT count(*)::integer FROM workshop_registrations r WHERE r.workshop_id = w.id AND r.status = 'confirmed'),
                   (SELECT count(*)::integer FROM workshop_registrations r WHERE r.workshop_id = w.id AND r.status = 'waitlisted'),
                   w.created_at, w.sequence
            FROM workshops w JOIN processes p ON p.id = w.process_id WHERE w.id = \(id)
            """,
            logger: logger
        )
        var found: WorkshopView?
        for try await row in rows.decode((UUID, UUID, String, UUID, [String], String, String, String, Date, Date, Int, String, String, Int, Int, Date, Int).self) {
            found = WorkshopView(
                id: row.0, processID: row.1, processTitle: row.2, phaseID: row.3, themes: row.4, arrondissement: row.5, place: row.6, onlineLink: row.7,
                startsAt: row.8, endsAt: row.9, capacity: row.10, accessibility: row.11, status: WorkshopStatus(rawValue: row.12) ?? .cancelled,
                confirmedCount: row.13, waitlistCount: row.14, createdAt: row.15, sequence: row.16
            )
        }
        guard let found else { throw notFound }
        return found
    }

    /// A registration as its page shows it, and as its mails tell it.
    static func registration(
        id: UUID, on connection: PostgresConnection, logger: Logger
    ) async throws -> (receipt: WorkshopRegistrationReceipt, notice: WorkshopRegistrationNotice) {
        let rows = try await connection.query(
            """
            SELECT r.workshop_id, r.name, r.email, r.account_id, r.status, r.check_in_code, r.cancel_token, r.registered_at,
                   CASE WHEN r.status = 'waitlisted' THEN (
                       SELECT count(*)::integer FROM workshop_registrations o
                       WHERE o.workshop_id = r.workshop_id AND o.status = 'waitlisted' AND (o.waitlisted_at, o.id) <= (r.waitlisted_at, r.id)
                   ) END,
                   CASE WHEN r.status = 'confirmed' AND r.promotion_confirmed_at IS NULL THEN r.confirm_by END,
                   r.promotion_expired_at
            FROM workshop_registrations r WHERE r.id = \(id)
            """,
            logger: logger
        )
        var found: (UUID, String, String, UUID?, String, String, String, Date, Int?, Date?, Date?)?
        for try await row in rows.decode((UUID, String, String, UUID?, String, String, String, Date, Int?, Date?, Date?).self) { found = row }
        guard let found else { throw registrationNotFound }
        let workshop = try await workshop(found.0, on: connection, logger: logger)
        let receipt = WorkshopRegistrationReceipt(
            registrationID: id, workshop: workshop, name: found.1, status: WorkshopRegistrationStatus(rawValue: found.4) ?? .cancelled,
            waitlistPosition: found.8, checkInCode: found.5, cancelToken: found.6, registeredAt: found.7, confirmBy: found.9,
            promotionExpiredAt: found.10
        )
        let notice = WorkshopRegistrationNotice(
            registrationID: id, workshop: workshop, name: found.1, email: found.2, accountID: found.3, checkInCode: found.5, cancelToken: found.6,
            waitlistPosition: found.8, occurredAt: Date(), confirmBy: found.9
        )
        return (receipt, notice)
    }

    /// A check-in code no other registration of the workshop has.
    static func freshCode(for workshopID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> String {
        while true {
            let code = WorkshopCodes.checkInCode()
            let taken = try await connection.query(
                "SELECT 1 FROM workshop_registrations WHERE workshop_id = \(workshopID) AND check_in_code = \(code)", logger: logger
            ).collect()
            if taken.isEmpty { return code }
        }
    }

    /// Queues `workshop.fill_level_reached` for each level the seats taken reach and staff were
    /// not yet told of, recording it in the same transaction: each level is told once.
    static func tellFillLevels(of workshop: WorkshopView, on connection: PostgresConnection, logger: Logger) async throws {
        let now = Date()
        for percentage in WorkshopFillLevel.reached(confirmed: workshop.confirmedCount, capacity: workshop.capacity) {
            let inserted = try await connection.query(
                """
                INSERT INTO workshop_fill_alerts (workshop_id, percentage, sent_at) VALUES (\(workshop.id), \(percentage), \(now))
                ON CONFLICT DO NOTHING RETURNING percentage
                """,
                logger: logger
            ).collect()
            if !inserted.isEmpty {
                try await Outbox.enqueue(WorkshopFillLevelReached(workshop: workshop, percentage: percentage, reachedAt: now), on: connection, logger: logger)
            }
        }
    }
}

/// The codes and tokens of registrations.
enum WorkshopCodes {
    /// No 0/O, 1/I/L: read aloud or copied by hand at the door without doubt.
    static let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")

    /// Six characters: about 900 million codes, unique within a workshop.
    static func checkInCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<6).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// What staff type, as stored: capitals, without spaces or dashes.
    static func normalized(_ code: String) -> String {
        String(code.uppercased().filter { !$0.isWhitespace && $0 != "-" }.prefix(20))
    }

    /// 32 random bytes, base64url without padding (from the system's secure generator).
    static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
