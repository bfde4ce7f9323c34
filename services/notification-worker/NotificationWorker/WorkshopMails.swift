import DialogueContracts
import Foundation
import ServiceKit
import Wording

/// The mails about a workshop registration, to the address given when registering (with or
/// without an account): confirmed (with the check-in code, the invitation and the cancel
/// link), waitlisted (with the rank), promoted (a freed seat is theirs if they confirm it by
/// its deadline), promotion expired (not confirmed in time, the seat went to the next), and
/// the workshop called off or moved by staff (with the new invitation), and the reminder the
/// day before. The mail client gets
/// the invitation as a link to the `.ics` (the mailer sends no attachments). Staff are told
/// of each fill level in their inbox.
enum WorkshopMails {
    /// `workshop-registration.*.mustache`.
    struct Registration: MailModel {
        static let kind = MailKind.workshopRegistration
        let subject: String
        let lead: String
        let title: String
        let processTitle: String
        let when: String
        let place: String
        let accessibility: String?
        let confirmed: Bool
        let checkInCode: String?
        let onlineLink: String?
        let invitationLink: String?
        let registrationLink: String
        /// For a seat given from the waitlist: the deadline to confirm it, in words.
        let confirmBy: String?
        /// Whether the registration still holds a seat or a place in line (then the mail offers
        /// to cancel it).
        let live: Bool
    }

    enum Moment {
        case confirmed
        case waitlisted
        case promoted
        /// The seat given from the waitlist went to the next person, not confirmed in time.
        case promotionExpired
        /// Staff called the workshop off.
        case workshopCancelled
        /// Staff moved it: when and where it was before.
        case moved(previousWhen: String, previousPlace: String)
        /// The day before.
        case reminder
    }

    static func registration(
        _ notice: WorkshopRegistrationNotice, _ moment: Moment, links: NotificationLinks, renderer: MailRenderer = .bundled
    ) throws(EnvelopeError) -> OutgoingMail {
        let workshop = notice.workshop
        let when = FrenchDate.span(from: workshop.startsAt, to: workshop.endsAt)
        let subject: String
        let lead: String
        switch moment {
        case .confirmed:
            subject = "Inscription confirmée : atelier du \(FrenchDate.day(workshop.startsAt)) — Dialogue"
            lead = "Votre inscription à l'atelier citoyen est confirmée : une place vous est réservée."
        case .waitlisted:
            subject = "Liste d'attente : atelier du \(FrenchDate.day(workshop.startsAt)) — Dialogue"
            lead = "L'atelier est complet : vous êtes au rang \(notice.waitlistPosition ?? 1) de la liste d'attente. "
                + "Si une place se libère pour vous, elle vous est attribuée et un courriel vous le dit."
        case .promoted:
            subject = "Une place s'est libérée : confirmez-la pour l'atelier du \(FrenchDate.day(workshop.startsAt)) — Dialogue"
            lead = "Une place s'est libérée à l'atelier citoyen pour lequel vous étiez en liste d'attente : elle vous est réservée."
        case .promotionExpired:
            subject = "Place non confirmée : atelier du \(FrenchDate.day(workshop.startsAt)) — Dialogue"
            lead = "La place qui vous était réservée à l'atelier citoyen n'a pas été confirmée à temps : elle est allée à la personne suivante "
                + "de la liste d'attente, et votre inscription est annulée. S'il reste des places, vous pouvez vous inscrire de nouveau depuis la page de l'atelier."
        case .workshopCancelled:
            subject = "Atelier annulé : atelier du \(FrenchDate.day(workshop.startsAt)) — Dialogue"
            let held = notice.waitlistPosition == nil ? "auquel vous étiez inscrit" : "pour lequel vous étiez en liste d'attente"
            lead = "L'atelier citoyen \(held) est annulé par ses organisateurs : il n'aura pas lieu à cette date. "
                + "Votre inscription n'a plus d'effet ; les autres ateliers de la démarche sont sur sa page."
        case .moved(let previousWhen, let previousPlace):
            subject = "Atelier modifié : nouvelle date ou nouveau lieu — atelier du \(FrenchDate.day(workshop.startsAt)) — Dialogue"
            let held = notice.waitlistPosition == nil ? "auquel vous êtes inscrit" : "pour lequel vous êtes en liste d'attente"
            lead = "L'atelier citoyen \(held) change de date, d'horaire ou de lieu : voici ce qui vaut désormais. "
                + "Il était prévu \(previousWhen), \(previousPlace)."
                + (notice.waitlistPosition == nil ? " L'invitation ci-dessous remplace l'ancienne dans votre agenda." : "")
        case .reminder:
            subject = "Rappel : atelier citoyen du \(FrenchDate.dateTime(workshop.startsAt)) — Dialogue"
            lead = "Rappel : l'atelier citoyen auquel vous êtes inscrit a lieu bientôt. Nous vous y attendons ; "
                + "si vous ne pouvez plus venir, annulez pour laisser votre place à la personne suivante de la liste d'attente."
        }
        let confirmed: Bool
        switch moment {
        case .confirmed, .promoted, .reminder: confirmed = true
        case .moved: confirmed = notice.waitlistPosition == nil
        case .waitlisted, .promotionExpired, .workshopCancelled: confirmed = false
        }
        let live: Bool
        switch moment {
        case .promotionExpired, .workshopCancelled: live = false
        default: live = true
        }
        let onlineLink = confirmed && !workshop.onlineLink.isEmpty ? workshop.onlineLink : nil
        let invitation = try MailLink.web(links.url(.workshopInvitation(token: notice.cancelToken)))
        let page = try MailLink.web(links.url(.workshopRegistration(token: notice.cancelToken)))
        if let onlineLink { _ = try MailLink.web(onlineLink) }
        return renderer.render(Registration(
            subject: subject, lead: lead, title: workshop.frenchTitle, processTitle: workshop.processTitle, when: when, place: workshop.frenchPlace,
            accessibility: workshop.accessibility.isEmpty ? nil : workshop.accessibility, confirmed: confirmed,
            checkInCode: confirmed ? notice.checkInCode : nil,
            onlineLink: onlineLink, invitationLink: confirmed ? invitation : nil, registrationLink: page,
            confirmBy: confirmByShown(notice, moment), live: live
        ), to: notice.email)
    }

    /// The deadline to confirm a seat given from the waitlist, when the mail must repeat it.
    private static func confirmByShown(_ notice: WorkshopRegistrationNotice, _ moment: Moment) -> String? {
        switch moment {
        case .promoted, .moved, .reminder: notice.confirmBy.map(FrenchDate.dateTime)
        default: nil
        }
    }
}

extension TopicMessages {
    /// A workshop reached 50, 80 or 100 % of its seats, to staff.
    static func workshopFilling(_ event: WorkshopFillLevelReached) -> TopicMessage {
        let workshop = event.workshop
        let level = event.percentage >= 100 ? "complet" : "rempli à \(event.percentage) %"
        return TopicMessage(
            topic: .workshopFilling,
            title: "Atelier \(level) : \(workshop.arrondissement), \(FrenchDate.day(workshop.startsAt))",
            headline: "« \(workshop.frenchTitle) » est \(level)",
            paragraphs: [
                "L'atelier « \(workshop.frenchTitle) » de la démarche « \(workshop.processTitle) », \(FrenchDate.span(from: workshop.startsAt, to: workshop.endsAt)), est \(level) : \(workshop.confirmedCount) inscrits pour \(workshop.capacity) places.",
            ],
            link: .staffWorkshop(workshop.id), actionLabel: "Voir les inscriptions"
        )
    }
}

extension NotificationWorker {
    /// The workshop events the worker mails or puts in the staff inbox.
    static func addWorkshopRoutes(to routes: inout ServiceRoutes<Parts>) {
        // Anyone can type any address in the form: these two are limited per recipient.
        routes.events.on(WorkshopRegistrationConfirmed.self) { parts, event, messageID, connection in
            _ = try await MailQueue.enqueueRequested(
                try WorkshopMails.registration(event.registration, .confirmed, links: parts.links, renderer: parts.renderer), template: "workshop.registration_confirmed",
                subject: "workshop:\(event.registration.workshop.id.uuidString.lowercased())", limits: parts.requestedLimits, sourceMessageID: messageID,
                accountID: event.registration.accountID, sendBefore: event.registration.workshop.startsAt, on: connection, logger: parts.logger
            )
        }
        routes.events.on(WorkshopRegistrationWaitlisted.self) { parts, event, messageID, connection in
            _ = try await MailQueue.enqueueRequested(
                try WorkshopMails.registration(event.registration, .waitlisted, links: parts.links, renderer: parts.renderer), template: "workshop.registration_waitlisted",
                subject: "workshop:\(event.registration.workshop.id.uuidString.lowercased())", limits: parts.requestedLimits, sourceMessageID: messageID,
                accountID: event.registration.accountID, sendBefore: event.registration.workshop.startsAt, on: connection, logger: parts.logger
            )
        }
        // Caused by someone else's cancellation or by the deadline, never by a request: always sent.
        routes.events.on(WorkshopRegistrationPromoted.self) { parts, event, messageID, connection in
            _ = try await MailQueue.enqueue(
                try WorkshopMails.registration(event.registration, .promoted, links: parts.links, renderer: parts.renderer), template: "workshop.registration_promoted",
                sourceMessageID: messageID, accountID: event.registration.accountID, sendBefore: event.registration.workshop.startsAt,
                on: connection, logger: parts.logger
            )
        }
        routes.events.on(WorkshopPromotionExpired.self) { parts, event, messageID, connection in
            _ = try await MailQueue.enqueue(
                try WorkshopMails.registration(event.registration, .promotionExpired, links: parts.links, renderer: parts.renderer),
                template: "workshop.promotion_expired", sourceMessageID: messageID, accountID: event.registration.accountID,
                sendBefore: event.registration.workshop.startsAt, on: connection, logger: parts.logger
            )
        }
        // Caused by staff calling the workshop off: always sent, once per registration.
        routes.events.on(WorkshopCancellationNoticeRequested.self) { parts, event, messageID, connection in
            _ = try await MailQueue.enqueue(
                try WorkshopMails.registration(event.registration, .workshopCancelled, links: parts.links, renderer: parts.renderer),
                template: "workshop.cancellation_notice", sourceMessageID: messageID, accountID: event.registration.accountID,
                sendBefore: event.registration.workshop.endsAt, on: connection, logger: parts.logger
            )
        }
        // Queued once per seat by the consultation service's sweep, the day before.
        routes.events.on(WorkshopReminderRequested.self) { parts, event, messageID, connection in
            _ = try await MailQueue.enqueue(
                try WorkshopMails.registration(event.registration, .reminder, links: parts.links, renderer: parts.renderer),
                template: "workshop.reminder", sourceMessageID: messageID, accountID: event.registration.accountID,
                sendBefore: event.registration.workshop.startsAt, on: connection, logger: parts.logger
            )
        }
        // Caused by staff moving the workshop: always sent, once per registration and change.
        routes.events.on(WorkshopChangeNoticeRequested.self) { parts, event, messageID, connection in
            let moment = WorkshopMails.Moment.moved(
                previousWhen: FrenchDate.span(from: event.previousStartsAt, to: event.previousEndsAt),
                previousPlace: event.previousPlace.isEmpty ? "en ligne" : event.previousPlace
            )
            _ = try await MailQueue.enqueue(
                try WorkshopMails.registration(event.registration, moment, links: parts.links, renderer: parts.renderer),
                template: "workshop.change_notice", sourceMessageID: messageID, accountID: event.registration.accountID,
                sendBefore: event.registration.workshop.startsAt, on: connection, logger: parts.logger
            )
        }
        routes.events.on(WorkshopFillLevelReached.self) { parts, event, messageID, connection in
            let message = TopicMessages.workshopFilling(event)
            try await StaffNotifications.record(message, messageID: messageID, on: connection, logger: parts.logger)
            try await parts.notifier.tellStaff(message, sourceMessageID: messageID, on: connection)
        }
    }
}
