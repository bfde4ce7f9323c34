import DialogueContracts
import Foundation
@testable import NotificationWorker
import PostgresNIO
import Testing
import TestSupport

/// Mails anyone can cause with someone else's address (signatures, registrations, resets)
/// are limited per recipient, and show none of the text typed by whoever caused them.
@Suite struct RequestedMailLimitTests {
    static func signatureLink(_ petition: UUID, to address: String, name: String = "Camille") -> PetitionSignatureConfirmationRequested {
        PetitionSignatureConfirmationRequested(
            petitionID: petition, title: "Des bancs au parc", email: address, name: name, token: "jeton-\(UUID().uuidString)",
            expiresAt: Date().addingTimeInterval(86_400)
        )
    }

    static func delivery(limits: RequestedMailLimits) -> MailDeliveryPolicy {
        quickDelivery(requestedLimits: limits)
    }

    func count(_ status: String, to address: String, _ worker: NotificationHarness) async throws -> Int {
        try await worker.deliveries(to: address).filter { $0.status == status }.count
    }

    @Test func tenSigningRequestsForOneAddressSendOneMail() async throws {
        try await withNotificationWorker(delivery: Self.delivery(limits: RequestedMailLimits(interval: .seconds(3600), perDay: 5))) { worker in
            // setup
            let address = testAddress()
            let petition = UUID()

            // act: ten requests at once, under several spellings of the address
            try await withThrowingTaskGroup(of: Void.self) { group in
                for round in 0..<10 {
                    group.addTask { try await worker.publish(Self.signatureLink(petition, to: round.isMultiple(of: 2) ? address : address.uppercased())) }
                }
                try await group.waitForAll()
            }
            try await eventually("every request handled") {
                try await worker.probe.int("SELECT count(*)::int8 FROM notifications.email_deliveries") == 10
            }
            try await eventually("the one mail sent") { try await worker.probe.int("SELECT count(*)::int8 FROM notifications.email_deliveries WHERE status = 'sent'") == 1 }

            // check: one mail left; the nine others are in the log as held back, without a body
            // (the test SMTP server matches the address whatever its case)
            #expect(try TestEnvironment.mails(to: address).count == 1)
            #expect(try await worker.probe.int(
                "SELECT count(*)::int8 FROM notifications.email_deliveries WHERE status = 'suppressed' AND body_text IS NULL AND body_html IS NULL AND attempts = 0"
            ) == 9)
            let log = try await DeliveryLog(client: worker.database, logger: TestEnvironment.logger)
                .search(SearchDeliveries(address: address, status: "suppressed"))
            #expect(log.entries.count == 9)
            #expect(log.entries.allSatisfy { $0.template == "petition.signature_confirmation" && $0.lastError?.hasPrefix("suppressed") == true })
        }
    }

    @Test func aRecipientGetsOneMailPerSubjectAndAFewADay() async throws {
        try await withNotificationWorker(delivery: Self.delivery(limits: RequestedMailLimits(interval: .seconds(3600), perDay: 3))) { worker in
            // setup
            let address = testAddress()
            let bystander = testAddress()

            // act: four petitions, one after the other, and a reset request; someone else signs too
            for _ in 0..<4 {
                try await worker.publish(Self.signatureLink(UUID(), to: address))
            }
            try await worker.publish(AccountPasswordResetRequested(
                accountID: UUID(), email: address, displayName: nil, resetURL: "https://dialogue.example/mot-de-passe/nouveau?jeton=abc",
                expiresAt: Date().addingTimeInterval(3600)
            ))
            try await worker.publish(Self.signatureLink(UUID(), to: bystander))
            try await eventually("every request handled") { try await worker.deliveries(to: address).count == 5 }
            try await eventually("the bystander mailed") { try TestEnvironment.mails(to: bystander).count == 1 }
            try await eventually("the allowed mails sent") { try await count("sent", to: address, worker) == 3 }

            // check: three a day in all, whatever the subject; the others held back
            #expect(try await count("suppressed", to: address, worker) == 2)
            #expect(try TestEnvironment.mails(to: address).count == 3)
            #expect(try await worker.probe.int(
                "SELECT count(*)::int8 FROM notifications.email_deliveries WHERE recipient = \(address) AND last_error = 'suppressed: daily limit reached'"
            ) == 2)
        }
    }

    @Test func confirmationMailsShowNoTextTypedByTheRequester() async throws {
        try await withNotificationWorker { worker in
            // setup: a name that is an advertisement
            let address = testAddress()
            let registrant = testAddress()
            let advertisement = "Gagnez 1000 euros sur arnaque.example"

            // act
            try await worker.publish(Self.signatureLink(UUID(), to: address, name: advertisement))
            try await worker.publish(AccountEmailConfirmationRequested(
                accountID: UUID(), email: registrant, displayName: advertisement, confirmationURL: "https://dialogue.example/confirmation?jeton=abc",
                expiresAt: Date().addingTimeInterval(3600)
            ))
            try await eventually("mailed") { try TestEnvironment.mails(to: address).count == 1 && TestEnvironment.mails(to: registrant).count == 1 }

            // check
            for recipient in [address, registrant] {
                let raw = try #require(try TestEnvironment.mails(to: recipient).first)
                for part in decodedParts(of: raw) {
                    #expect(!part.contains(advertisement))
                    #expect(!part.contains("arnaque"))
                }
                #expect(try #require(TestEnvironment.mailTexts(to: recipient).first).hasPrefix("Bonjour,\n"))
            }
        }
    }

    @Test func aResetMailGreetsByNameOnlyAConfirmedAddress() async throws {
        try await withNotificationWorker { worker in
            // setup: one account the worker knows as confirmed, one it does not
            let (confirmed, unconfirmed) = (testAddress(), testAddress())
            let (confirmedID, unconfirmedID) = (UUID(), UUID())
            try await worker.publish(AccountContactChanged(
                accountID: confirmedID, email: confirmed, displayName: "Camille", emailConfirmed: true, disabled: false, staffRoles: [], changedAt: Date()
            ))
            try await worker.publish(AccountContactChanged(
                accountID: unconfirmedID, email: unconfirmed, displayName: "Nom choisi par un autre", emailConfirmed: false, disabled: false,
                staffRoles: [], changedAt: Date()
            ))
            try await eventually("contacts known") { try await worker.probe.int("SELECT count(*)::int8 FROM notifications.recipients") == 2 }

            // act
            for (id, email, name) in [(confirmedID, confirmed, "Camille"), (unconfirmedID, unconfirmed, "Nom choisi par un autre")] {
                try await worker.publish(AccountPasswordResetRequested(
                    accountID: id, email: email, displayName: name, resetURL: "https://dialogue.example/mot-de-passe/nouveau?jeton=abc",
                    expiresAt: Date().addingTimeInterval(3600)
                ))
            }
            try await eventually("mailed") { try TestEnvironment.mails(to: confirmed).count == 1 && TestEnvironment.mails(to: unconfirmed).count == 1 }

            // check
            #expect(try #require(TestEnvironment.mailTexts(to: confirmed).first).hasPrefix("Bonjour Camille,\n"))
            let other = try #require(TestEnvironment.mailTexts(to: unconfirmed).first)
            #expect(other.hasPrefix("Bonjour,\n"))
            #expect(!other.contains("Nom choisi"))
        }
    }

    @Test func theOwnerOfAnAddressIsToldOfARegistrationAttempt() async throws {
        try await withNotificationWorker { worker in
            // setup
            let owner = testAddress()

            // act
            try await worker.publish(AccountRegistrationAttempted(accountID: UUID(), email: owner, attemptedAt: Date()))
            try await eventually("mailed") { try TestEnvironment.mails(to: owner).count == 1 }

            // check
            let raw = try #require(try TestEnvironment.mails(to: owner).first)
            let text = try #require(decodedParts(of: raw).first)
            #expect(text.contains("quelqu'un a tenté de créer un compte sur Dialogue"))
            #expect(text.contains("Votre compte existe déjà : aucun autre n'a été créé"))
            #expect(text.contains("Se connecter : \(testNotificationLinks.url(.signIn))"))
            #expect(text.contains("Choisir un nouveau mot de passe : \(testNotificationLinks.url(.forgottenPassword))"))
            #expect(try await worker.deliveries(to: owner).first?.status == "sent")
        }
    }
}
