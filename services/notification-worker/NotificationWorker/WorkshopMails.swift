import DialogueContracts
import Foundation
import ServiceKit
import Wording

/// The mails about a workshop registration, to the address given when registering (with or
/// without an account): confirmed (with the check-in code, the invitation and the cancel
/// link), waitlisted (with the rank), promoted (a freed seat is theirs). The mail client gets
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
    }

    enum Moment {
        case confirmed
        case waitlisted
        case promoted
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
            subject = "Une place s'est libérée : vous êtes inscrit à l'atelier du \(FrenchDate.day(workshop.startsAt)) — Dialogue"
            lead = "Une place s'est libérée à l'atelier citoyen pour lequel vous étiez en liste d'attente : elle est à vous, votre inscription est confirmée."
        }
        let confirmed = moment != .waitlisted
        let onlineLink = confirmed && !workshop.onlineLink.isEmpty ? workshop.onlineLink : nil
        let invitation = try MailLink.web(links.url(.workshopInvitation(token: notice.cancelToken)))
        let page = try MailLink.web(links.url(.workshopRegistration(token: notice.cancelToken)))
        if let onlineLink { _ = try MailLink.web(onlineLink) }
        return renderer.render(Registration(
            subject: subject, lead: lead, title: workshop.frenchTitle, processTitle: workshop.processTitle, when: when, place: workshop.frenchPlace,
            accessibility: workshop.accessibility.isEmpty ? nil : workshop.accessibility, confirmed: confirmed,
            checkInCode: confirmed ? notice.checkInCode : nil,
            onlineLink: onlineLink, invitationLink: confirmed ? invitation : nil, registrationLink: page
        ), to: notice.email)
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
        // Caused by someone else's cancellation, never by a request: always sent.
        routes.events.on(WorkshopRegistrationPromoted.self) { parts, event, messageID, connection in
            _ = try await MailQueue.enqueue(
                try WorkshopMails.registration(event.registration, .promoted, links: parts.links, renderer: parts.renderer), template: "workshop.registration_promoted",
                sourceMessageID: messageID, accountID: event.registration.accountID, sendBefore: event.registration.workshop.startsAt,
                on: connection, logger: parts.logger
            )
        }
        routes.events.on(WorkshopFillLevelReached.self) { parts, event, messageID, connection in
            let message = TopicMessages.workshopFilling(event)
            try await StaffNotifications.record(message, messageID: messageID, on: connection, logger: parts.logger)
            try await parts.notifier.tellStaff(message, sourceMessageID: messageID, on: connection)
        }
    }
}
