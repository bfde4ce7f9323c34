import DialogueContracts
import Foundation
@testable import NotificationWorker
import Testing
import TestSupport

/// The mails of a petition's lifecycle: its author at each step, and each signatory who
/// asked to be told of the assembly's answer.
@Suite struct LifecycleMailTests {
    private func notice(to address: String, accountID: UUID? = nil, petition: UUID = UUID()) -> PetitionSignatoryNoticeRequested {
        PetitionSignatoryNoticeRequested(
            petitionID: petition, signatureID: UUID(), email: address, name: "Inès", accountID: accountID,
            title: "Un lycée à Guise", decision: .referralNotRetained, publicPath: "/petitions/\(petition.uuidString.lowercased())"
        )
    }

    @Test func aSignatoryIsMailedTheAnswerOnceEvenWhenTheEventIsRedelivered() async throws {
        try await withNotificationWorker { worker in
            // setup
            let address = testAddress()
            let petition = UUID()
            let messageID = UUID().uuidString.lowercased()

            // act: the same event twice (a redelivery)
            try await worker.publish(notice(to: address, petition: petition), messageID: messageID)
            try await worker.publish(notice(to: address, petition: petition), messageID: messageID)

            // check
            try await eventually("the signatory mailed") { try TestEnvironment.mails(to: address).count == 1 }
            let raw = try #require(try TestEnvironment.mails(to: address).first)
            let text = try #require(decodedParts(of: raw).first)
            #expect(text.contains("Bonjour Inès,"))
            #expect(text.contains("Vous avez signé la pétition « Un lycée à Guise »"))
            #expect(text.contains("Décision : Saisine non retenue."))
            #expect(text.contains("http://dialogue.test/petitions/\(petition.uuidString.lowercased())"))
            // A mail they asked for once: no unsubscribe header.
            #expect(!raw.contains("List-Unsubscribe"))
            let marker = testAddress()
            try await worker.publish(confirmationRequest(to: marker))
            try await eventually("the events before the marker handled") { try TestEnvironment.mails(to: marker).count == 1 }
            #expect(try await worker.deliveries(to: address).count == 1)
            #expect(try TestEnvironment.mails(to: address).count == 1)
        }
    }

    @Test func aSignatoryWhoseAccountWasErasedIsNotMailed() async throws {
        try await withNotificationWorker { worker in
            // setup: the account is erased before the notice arrives
            let (account, address) = (UUID(), testAddress())
            try await worker.publish(AccountErased(accountID: account, normalizedEmails: [EmailAddress.normalized(address)], erasedAt: Date()))

            // act
            try await worker.publish(notice(to: address, accountID: account))
            let marker = testAddress()
            try await worker.publish(notice(to: marker))
            try await eventually("the later notice mailed") { try TestEnvironment.mails(to: marker).count == 1 }

            // check
            #expect(try await worker.deliveries(to: address).isEmpty)
        }
    }

    @Test func eachStepIsToldToTheAuthorInWords() {
        // setup
        let petition = UUID()
        func change(from: PetitionStatus, to: PetitionStatus, note: String? = nil, answer: PetitionAnswer? = nil) -> PetitionStatusChanged {
            PetitionStatusChanged(
                petitionID: petition, title: "Un lycée à Guise", from: from, to: to, authorAccountID: UUID(), note: note, answer: answer,
                changedAt: Date()
            )
        }
        let answer = PetitionAnswer(decision: .forwarded, text: "Le sujet relève du Rectorat.", reportURL: nil, answeredAt: Date())

        // act
        let referred = TopicMessages.statusChanged(change(from: .thresholdReached, to: .referred, note: "Commission Éducation"))
        let answered = TopicMessages.statusChanged(change(from: .referred, to: .answered, answer: answer))
        let closedEarly = TopicMessages.statusChanged(change(from: .open, to: .closed, note: "Doublon de la pétition sur le lycée de Hirson."))
        let ended = TopicMessages.statusChanged(change(from: .open, to: .closed))
        let unknown = TopicMessages.statusChanged(change(from: .open, to: .thresholdReached))

        // check
        #expect(referred?.paragraphs.contains("Précision de l'équipe : Commission Éducation") == true)
        #expect(answered?.paragraphs.contains("Décision : Transmise à l'autorité compétente.") == true)
        #expect(answered?.topic == .petitionMilestones)
        #expect(closedEarly?.paragraphs.contains("Motif : Doublon de la pétition sur le lycée de Hirson.") == true)
        #expect(ended?.paragraphs.first?.contains("sa période de collecte est terminée") == true)
        #expect(unknown == nil)
        #expect(referred?.path == "/petitions/\(petition.uuidString.lowercased())")
    }
}
