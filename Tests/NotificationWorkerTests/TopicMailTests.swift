import DialogueContracts
import Foundation
@testable import NotificationWorker
import PostgresNIO
import Testing
import TestSupport

/// Topic mails: who gets what, when, and how they stop it.
@Suite struct TopicMailTests {
    private func contact(_ account: UUID, _ address: String, confirmed: Bool = true, roles: [String] = [], at: Date = Date()) -> AccountContactChanged {
        AccountContactChanged(accountID: account, email: address, displayName: "Camille", emailConfirmed: confirmed, disabled: false, staffRoles: roles, changedAt: at)
    }

    private func decision(for author: UUID, status: ModerationStatus = .rejected) -> ModerationDecisionMade {
        ModerationDecisionMade(
            itemID: UUID(), contentType: .petition, contentID: UUID(), ownerService: .petitions, status: status, visible: status.isVisible,
            reasonCode: "hors_sujet", reasonLabel: "Le texte ne relève pas des compétences de la Région.", comment: "Voyez plutôt la mairie.",
            decidedBy: UUID(), rule: nil, decidedAt: Date(), revision: 2, authorAccountID: author, title: "Un abri vélo à Arras"
        )
    }

    /// Waits until the worker has handled everything published before (a marker mail is out).
    private func settle(_ worker: NotificationHarness) async throws {
        let marker = testAddress()
        try await worker.publish(confirmationRequest(to: marker))
        try await eventually("the marker mailed") { try TestEnvironment.mails(to: marker).count == 1 }
    }

    @Test func anUnconfirmedAddressIsNeverMailedThenAConfirmedOneIs() async throws {
        try await withNotificationWorker { worker in
            let author = UUID()
            let address = testAddress()
            try await worker.publish(contact(author, address, confirmed: false))
            try await worker.publish(decision(for: author))
            try await settle(worker)
            #expect(try await worker.deliveries(to: address).isEmpty)

            try await worker.publish(contact(author, address, confirmed: true))
            try await worker.publish(decision(for: author))
            try await eventually("the author told") { try TestEnvironment.mails(to: address).count == 1 }
            let raw = try #require(try TestEnvironment.mails(to: address).first)
            let text = try #require(decodedParts(of: raw).first)
            #expect(text.contains("« Un abri vélo à Arras » n'a pas été publiée"))
            #expect(text.contains("Motif : Le texte ne relève pas des compétences de la Région."))
            #expect(text.contains("Commentaire de l'équipe : Voyez plutôt la mairie."))
            #expect(text.contains("http://dialogue.test/desabonnement?jeton="))
            #expect(raw.contains("\r\nList-Unsubscribe: <http://dialogue.test/desabonnement?jeton="))
        }
    }

    @Test func automaticPlacementsAreNotMailedToTheAuthor() async throws {
        try await withNotificationWorker { worker in
            let author = UUID()
            let address = testAddress()
            try await worker.publish(contact(author, address))
            var automatic = decision(for: author, status: .pending)
            automatic.decidedBy = nil
            automatic.rule = "pre_moderation"
            try await worker.publish(automatic)
            try await settle(worker)
            #expect(try await worker.deliveries(to: address).isEmpty)
        }
    }

    @Test func theUnsubscribeLinkStopsThatTopicForThatPersonOnly() async throws {
        try await withNotificationWorker { worker in
            let (camille, dominique) = (UUID(), UUID())
            let (camilleAddress, dominiqueAddress) = (testAddress(), testAddress())
            try await worker.publish(contact(camille, camilleAddress))
            try await worker.publish(contact(dominique, dominiqueAddress))
            try await settle(worker)

            let token = testNotificationLinks.unsubscribeURL(account: camille, topic: .contributionModeration)
                .components(separatedBy: "jeton=").last ?? ""
            let unsubscription = Unsubscription(client: worker.database, links: testNotificationLinks, logger: TestEnvironment.logger)
            // A changed token is refused; inspecting changes nothing.
            await #expect(throws: RequestFailure.self) { try await unsubscription.apply(token.replacingOccurrences(of: ".", with: "x.")) }
            let seen = try await unsubscription.inspect(token)
            #expect(seen.topic == .contributionModeration)
            #expect(seen.maskedEmail.hasPrefix(String(camilleAddress.prefix(2)) + "•••@"))
            #expect(try await worker.probe.int("SELECT count(*)::int8 FROM notifications.preferences") == 0)

            _ = try await unsubscription.apply(token)
            try await worker.publish(decision(for: camille))
            try await worker.publish(decision(for: dominique))
            try await eventually("Dominique told") { try TestEnvironment.mails(to: dominiqueAddress).count == 1 }
            try await settle(worker)
            #expect(try TestEnvironment.mails(to: camilleAddress).isEmpty)
        }
    }

    @Test func dailyChoicesAreGroupedIntoOneDigestSentOnce() async throws {
        try await withNotificationWorker { worker in
            let author = UUID()
            let address = testAddress()
            try await worker.publish(contact(author, address))
            try await settle(worker)
            let preferences = PreferenceStore(client: worker.database, logger: TestEnvironment.logger)
            _ = try await preferences.save(SaveNotificationPreferences(
                accountID: author, staffRoles: [], choices: [.init(topic: .contributionModeration, frequency: .daily)]
            ))
            try await worker.publish(decision(for: author, status: .rejected))
            try await worker.publish(decision(for: author, status: .published))
            try await eventually("two digest lines") {
                try await worker.probe.int("SELECT count(*)::int8 FROM notifications.digest_items WHERE digested_at IS NULL") == 2
            }
            #expect(try await worker.deliveries(to: address).isEmpty)

            // The next morning's sending time has passed.
            let job = DigestJob(client: worker.database, links: testNotificationLinks, schedule: DigestSchedule(hour: 7),
                                interval: .seconds(3600), logger: TestEnvironment.logger)
            let tomorrow = Date().addingTimeInterval(86_400 + 3600)
            #expect(try await job.sendDue(at: tomorrow) == 1)
            #expect(try await job.sendDue(at: tomorrow) == 0)
            try await eventually("the digest mailed") { try TestEnvironment.mails(to: address).count == 1 }
            let raw = try #require(try TestEnvironment.mails(to: address).first)
            let text = try #require(decodedParts(of: raw).first)
            #expect(text.contains("Pétition « Un abri vélo à Arras » : rejetée"))
            #expect(text.contains("Pétition « Un abri vélo à Arras » : publiée"))
            #expect(raw.contains("Subject: =?UTF-8?B?"))
        }
    }

    @Test func staffAreMailedByRoleAndTheInboxKeepsOneRow() async throws {
        try await withNotificationWorker { worker in
            let (staff, moderator) = (UUID(), UUID())
            let (staffAddress, moderatorAddress) = (testAddress(), testAddress())
            try await worker.publish(contact(staff, staffAddress, roles: ["staff"]))
            try await worker.publish(contact(moderator, moderatorAddress, roles: ["moderator"]))
            try await worker.publish(PetitionThresholdReached(
                petitionID: UUID(), title: "Des bus le dimanche", threshold: 1000, signatureCount: 1000, reachedAt: Date()
            ))
            try await eventually("the staff member mailed") { try TestEnvironment.mails(to: staffAddress).count == 1 }
            try await settle(worker)
            #expect(try TestEnvironment.mails(to: moderatorAddress).isEmpty)
            #expect(try await worker.probe.int("SELECT count(*)::int8 FROM notifications.staff_notifications WHERE topic = 'petition.threshold'") == 1)
        }
    }

    @Test func anAuthorIsToldOfTheirPetitionsMilestonesAndThreshold() async throws {
        try await withNotificationWorker { worker in
            let author = UUID()
            let address = testAddress()
            try await worker.publish(contact(author, address))
            let petition = UUID()
            try await worker.publish(PetitionMilestoneReached(
                petitionID: petition, title: "Des bus le dimanche", percent: 50, signatureCount: 500, threshold: 1000, authorAccountID: author
            ))
            try await worker.publish(PetitionThresholdReached(
                petitionID: petition, title: "Des bus le dimanche", threshold: 1000, signatureCount: 1000, reachedAt: Date(), authorAccountID: author
            ))
            try await eventually("both told") { try TestEnvironment.mails(to: address).count == 2 }
            let texts = try TestEnvironment.mails(to: address).compactMap { decodedParts(of: $0).first }
            #expect(texts.contains { $0.contains("500 signatures : 50 % des 1000") })
            #expect(texts.contains { $0.contains("le seuil de saisine est franchi") })
        }
    }

    @Test func anOlderContactChangeArrivingLateIsIgnoredAndErasureIsFinal() async throws {
        try await withNotificationWorker { worker in
            let account = UUID()
            let now = Date()
            try await worker.publish(contact(account, "nouvelle@exemple.fr", at: now))
            try await worker.publish(contact(account, "ancienne@exemple.fr", at: now.addingTimeInterval(-60)))
            try await settle(worker)
            #expect(try await worker.probe.texts("SELECT email FROM notifications.recipients WHERE account_id = \(account)") == ["nouvelle@exemple.fr"])

            try await worker.publish(AccountErased(accountID: account, normalizedEmails: ["nouvelle@exemple.fr"], erasedAt: now))
            try await worker.publish(contact(account, "nouvelle@exemple.fr", at: now.addingTimeInterval(60)))
            try await settle(worker)
            #expect(try await worker.probe.int("SELECT count(*)::int8 FROM notifications.recipients WHERE account_id = \(account)") == 0)
        }
    }

    @Test func digestsGoOutEachMorningAndEachMondayParisTime() throws {
        let schedule = DigestSchedule(hour: 7)
        // Wednesday 25 November 2026, 06:30 UTC = 07:30 in Paris.
        let wednesday = try Date("2026-11-25T06:30:00Z", strategy: .iso8601)
        #expect(schedule.lastSendingTime(.daily, atOrBefore: wednesday) == (try Date("2026-11-25T06:00:00Z", strategy: .iso8601)))
        // 05:30 UTC = 06:30 in Paris: still yesterday's.
        let early = try Date("2026-11-25T05:30:00Z", strategy: .iso8601)
        #expect(schedule.lastSendingTime(.daily, atOrBefore: early) == (try Date("2026-11-24T06:00:00Z", strategy: .iso8601)))
        #expect(schedule.lastSendingTime(.weekly, atOrBefore: wednesday) == (try Date("2026-11-23T06:00:00Z", strategy: .iso8601)))
        // Summer time: 07:00 in Paris is 05:00 UTC.
        let july = try Date("2026-07-15T12:00:00Z", strategy: .iso8601)
        #expect(schedule.lastSendingTime(.daily, atOrBefore: july) == (try Date("2026-07-15T05:00:00Z", strategy: .iso8601)))
    }
}
