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
