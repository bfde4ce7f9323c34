import DialogueContracts
import Foundation
@testable import NotificationWorker
import PostgresNIO
import Testing
import TestSupport

/// The workshop mails: a confirmation with its code, its invitation (.ics link) and its cancel
/// link; a waitlist mail with its rank and no code; a promotion mail; and the fill levels in
/// the staff inbox, once per event however often delivered.
@Suite struct WorkshopMailTests {
    static let start = Date(timeIntervalSince1970: 1_812_211_200) // 2027-06-05 18:00 in Paris (16:00 UTC)

    static func workshop(online: Bool = false) -> WorkshopView {
        WorkshopView(
            id: UUID(), processID: UUID(), processTitle: "Ateliers citoyens de la jeunesse", phaseID: UUID(), themes: ["Mobilité", "Logement"],
            arrondissement: "Douai", place: online ? "" : "Salle des fêtes, Douai", onlineLink: online ? "https://visio.example/atelier" : "",
            startsAt: start, endsAt: start.addingTimeInterval(7200), capacity: 20, accessibility: "Accès de plain-pied", status: .scheduled,
            confirmedCount: 10, waitlistCount: 0, createdAt: Date()
        )
    }

    static func notice(_ workshop: WorkshopView = workshop(), to email: String, position: Int? = nil) -> WorkshopRegistrationNotice {
        WorkshopRegistrationNotice(
            registrationID: UUID(), workshop: workshop, name: "Léa", email: email, accountID: nil, checkInCode: "K7PX3M", cancelToken: "aW5zY3JpcHRpb24",
            waitlistPosition: position, occurredAt: Date()
        )
    }

    @Test func theConfirmationCarriesTheCodeTheInvitationAndTheCancelLink() throws {
        let mail = try WorkshopMails.registration(Self.notice(Self.workshop(online: true), to: "lea@exemple.fr"), .confirmed, links: testNotificationLinks)
        #expect(mail.to == "lea@exemple.fr")
        #expect(mail.subject.hasPrefix("Inscription confirmée : atelier du 5 juin 2027"))
        for part in [mail.text, mail.html] {
            #expect(part.contains("K7PX3M"))
            #expect(part.contains("http://dialogue.test/inscription-atelier/invitation.ics?jeton=aW5zY3JpcHRpb24"))
            #expect(part.contains("http://dialogue.test/inscription-atelier?jeton=aW5zY3JpcHRpb24"))
            #expect(part.contains("https://visio.example/atelier"))
        }
        #expect(mail.text.contains("le 5 juin 2027 de 18:00 à 20:00 (heure de Paris)"))
        #expect(mail.text.contains("Atelier citoyen — Douai : Mobilité, Logement"))
    }

    @Test func theWaitlistMailGivesTheRankAndNoCode() throws {
        let mail = try WorkshopMails.registration(Self.notice(to: "lea@exemple.fr", position: 3), .waitlisted, links: testNotificationLinks)
        #expect(mail.text.contains("vous êtes au rang 3 de la liste d'attente"))
        #expect(!mail.text.contains("K7PX3M") && !mail.text.contains("invitation.ics"))
        #expect(mail.text.contains("http://dialogue.test/inscription-atelier?jeton=aW5zY3JpcHRpb24"))
        let promoted = try WorkshopMails.registration(Self.notice(to: "lea@exemple.fr"), .promoted, links: testNotificationLinks)
        #expect(promoted.subject.hasPrefix("Une place s'est libérée"))
        #expect(promoted.text.contains("K7PX3M") && promoted.text.contains("invitation.ics"))
    }

    @Test func thePromotionGivesItsDeadlineAndTheExpiryTellsTheSeatIsGone() throws {
        var notice = Self.notice(to: "lea@exemple.fr")
        notice.confirmBy = Self.start.addingTimeInterval(-86_400) // 4 June 2027 at 18:00 in Paris
        let promoted = try WorkshopMails.registration(notice, .promoted, links: testNotificationLinks)
        for part in [promoted.text, promoted.html] {
            #expect(part.contains("Confirmez votre place avant le 4 juin 2027 à 18:00 (heure de Paris)"))
            #expect(part.contains("Confirmer ma place") && part.contains("http://dialogue.test/inscription-atelier?jeton=aW5zY3JpcHRpb24"))
        }
        let expired = try WorkshopMails.registration(notice, .promotionExpired, links: testNotificationLinks)
        #expect(expired.subject.hasPrefix("Place non confirmée : atelier du 5 juin 2027"))
        for part in [expired.text, expired.html] {
            #expect(part.contains("pas été confirmée à temps") && part.contains("personne suivante"))
            #expect(!part.contains("K7PX3M") && !part.contains("invitation.ics") && !part.contains("Confirmez votre place"))
            #expect(!part.contains("Voir ou annuler votre inscription") && part.contains("Voir votre inscription"))
        }
        // a seat taken when registering has no deadline to tell
        let confirmed = try WorkshopMails.registration(Self.notice(to: "lea@exemple.fr"), .confirmed, links: testNotificationLinks)
        #expect(!confirmed.text.contains("Confirmez votre place"))
    }

    @Test func aCalledOffWorkshopIsToldWithoutCodeNorCancelLink() throws {
        var cancelled = Self.workshop()
        cancelled.status = .cancelled
        let seated = try WorkshopMails.registration(Self.notice(cancelled, to: "lea@exemple.fr"), .workshopCancelled, links: testNotificationLinks)
        let waiting = try WorkshopMails.registration(Self.notice(cancelled, to: "lea@exemple.fr", position: 2), .workshopCancelled, links: testNotificationLinks)
        #expect(seated.subject.hasPrefix("Atelier annulé : atelier du 5 juin 2027"))
        for part in [seated.text, seated.html] {
            #expect(part.contains("auquel vous étiez inscrit est annulé par ses organisateurs"))
            #expect(!part.contains("K7PX3M") && !part.contains("invitation.ics") && !part.contains("Voir ou annuler votre inscription"))
        }
        #expect(waiting.text.contains("pour lequel vous étiez en liste d'attente est annulé"))
    }

    @Test func aMovedWorkshopGivesTheNewTimesAndTheInvitationToThoseSeated() throws {
        let moment = WorkshopMails.Moment.moved(previousWhen: "le 3 juin 2027 de 18:00 à 20:00", previousPlace: "Mairie de Douai")
        let seated = try WorkshopMails.registration(Self.notice(to: "lea@exemple.fr"), moment, links: testNotificationLinks)
        let waiting = try WorkshopMails.registration(Self.notice(to: "lea@exemple.fr", position: 1), moment, links: testNotificationLinks)
        #expect(seated.subject.hasPrefix("Atelier modifié : nouvelle date ou nouveau lieu — atelier du 5 juin 2027"))
        for part in [seated.text, seated.html] {
            #expect(part.contains("Il était prévu le 3 juin 2027 de 18:00 à 20:00, Mairie de Douai."))
            #expect(part.contains("le 5 juin 2027 de 18:00 à 20:00") && part.contains("Salle des fêtes, Douai"))
            #expect(part.contains("http://dialogue.test/inscription-atelier/invitation.ics?jeton=aW5zY3JpcHRpb24") && part.contains("K7PX3M"))
        }
        #expect(waiting.text.contains("pour lequel vous êtes en liste d'attente") && !waiting.text.contains("invitation.ics"))
    }

    @Test func theReminderCarriesTheCodeTheInvitationAndTheCancelLink() throws {
        let mail = try WorkshopMails.registration(Self.notice(to: "lea@exemple.fr"), .reminder, links: testNotificationLinks)
        #expect(mail.subject.hasPrefix("Rappel : atelier citoyen du 5 juin 2027 à 18:00"))
        for part in [mail.text, mail.html] {
            #expect(part.contains("a lieu bientôt") && part.contains("K7PX3M") && part.contains("invitation.ics"))
            #expect(part.contains("http://dialogue.test/inscription-atelier?jeton=aW5zY3JpcHRpb24"))
        }
    }

    @Test func aCalledOffWorkshopIsMailedOncePerRegistration() async throws {
        try await withNotificationWorker { worker in
            // setup
            var cancelled = Self.workshop()
            cancelled.status = .cancelled
            let address = testAddress()
            let event = WorkshopCancellationNoticeRequested(registration: Self.notice(cancelled, to: address))
            let messageID = UUID().uuidString.lowercased()

            // act: delivered twice
            try await worker.publish(event, messageID: messageID)
            try await worker.publish(event, messageID: messageID)
            try await eventually("the person mailed") { try TestEnvironment.mails(to: address).count == 1 }
            let marker = testAddress()
            try await worker.publish(confirmationRequest(to: marker))
            try await eventually("the marker mailed") { try TestEnvironment.mails(to: marker).count == 1 }

            // check
            let raw = try #require(try TestEnvironment.mails(to: address).first)
            #expect(try #require(decodedParts(of: raw).first).contains("est annulé par ses organisateurs"))
            #expect(try TestEnvironment.mails(to: address).count == 1)
        }
    }

    @Test func anExpiredPromotionIsMailedOnce() async throws {
        try await withNotificationWorker { worker in
            // setup
            let address = testAddress()
            let event = WorkshopPromotionExpired(registration: Self.notice(to: address))
            let messageID = UUID().uuidString.lowercased()

            // act: delivered twice
            try await worker.publish(event, messageID: messageID)
            try await worker.publish(event, messageID: messageID)
            try await eventually("the person mailed") { try TestEnvironment.mails(to: address).count == 1 }
            let marker = testAddress()
            try await worker.publish(confirmationRequest(to: marker))
            try await eventually("the marker mailed") { try TestEnvironment.mails(to: marker).count == 1 }

            // check
            let raw = try #require(try TestEnvironment.mails(to: address).first)
            let text = try #require(decodedParts(of: raw).first)
            #expect(text.contains("n'a pas été confirmée à temps"))
            #expect(try TestEnvironment.mails(to: address).count == 1)
        }
    }

    @Test func aRegistrationIsMailedOnceToTheAddressTyped() async throws {
        try await withNotificationWorker { worker in
            // setup
            let address = testAddress()
            let event = WorkshopRegistrationConfirmed(registration: Self.notice(to: address))
            let messageID = UUID().uuidString.lowercased()

            // act: delivered twice
            try await worker.publish(event, messageID: messageID)
            try await worker.publish(event, messageID: messageID)
            try await eventually("the registrant mailed") { try TestEnvironment.mails(to: address).count == 1 }
            let marker = testAddress()
            try await worker.publish(confirmationRequest(to: marker))
            try await eventually("the marker mailed") { try TestEnvironment.mails(to: marker).count == 1 }

            // check
            let raw = try #require(try TestEnvironment.mails(to: address).first)
            let text = try #require(decodedParts(of: raw).first)
            #expect(text.contains("K7PX3M"))
            #expect(try TestEnvironment.mails(to: address).count == 1)
        }
    }

    @Test func fillLevelsReachTheStaffInboxOnce() async throws {
        try await withNotificationWorker { worker in
            let event = WorkshopFillLevelReached(workshop: Self.workshop(), percentage: 80, reachedAt: Date())
            let messageID = UUID().uuidString.lowercased()
            try await worker.publish(event, messageID: messageID)
            try await worker.publish(event, messageID: messageID)
            try await eventually("recorded") {
                try await worker.probe.int("SELECT count(*)::int8 FROM notifications.staff_notifications WHERE topic = 'workshop.filling'") == 1
            }
            let store = StaffInboxStore(client: worker.database, logger: TestEnvironment.logger)
            let page = try await store.page(ListStaffNotifications(topics: ["workshop.filling"]))
            #expect(page.items.first?.title == "Atelier rempli à 80 % : Douai, 5 juin 2027")
            #expect(page.items.first?.link == "/admin/ateliers/\(event.workshop.id.uuidString.lowercased())")
        }
    }
}
