import DialogueContracts
import Foundation
@testable import NotificationWorker
import PostgresNIO
import Testing
import TestSupport

/// The people of the contributions a recommendation cites are mailed once per event — at its
/// publication, at the council's decision, when a milestone moves — redelivery or not, and
/// however many of their contributions it cites.
@Suite struct RecommendationMailTests {
    /// A confirmed account to mail, and its address.
    static func person(_ worker: NotificationHarness, named name: String) async throws -> (UUID, String) {
        let (account, address) = (UUID(), testAddress())
        try await worker.publish(AccountContactChanged(
            accountID: account, email: address, displayName: name, emailConfirmed: true, disabled: false, staffRoles: [], changedAt: Date()
        ))
        return (account, address)
    }

    /// Waits until a marker mail sent after everything else has arrived: what came before it has too.
    static func settle(_ worker: NotificationHarness) async throws {
        let marker = testAddress()
        try await worker.publish(confirmationRequest(to: marker))
        try await eventually("the marker mailed") { try TestEnvironment.mails(to: marker).count == 1 }
    }

    @Test func eachPersonIsMailedOncePerEvent() async throws {
        try await withNotificationWorker { worker in
            // setup: an author named twice (two of their contributions are cited) and a supporter
            let (author, authorAddress) = try await Self.person(worker, named: "Camille")
            let (supporter, supporterAddress) = try await Self.person(worker, named: "Nour")
            let recommendation = UUID()
            let published = RecommendationPublished(
                recommendationID: recommendation, processID: UUID(), processTitle: "Ateliers citoyens de la jeunesse", number: 3,
                title: "Des maisons des jeunes ouvertes le soir", contributionIDs: [UUID(), UUID()], recipientAccountIDs: [author, supporter, author],
                publishedAt: Date()
            )
            let decided = RecommendationDecided(
                recommendationID: recommendation, processID: published.processID, processTitle: published.processTitle, number: 3,
                title: published.title, decision: RecommendationDecision(fate: .modified, reason: "Ouverture le soir deux jours par semaine.", decidedAt: Date()),
                recipientAccountIDs: [author, supporter]
            )
            let moved = MilestoneUpdated(
                recommendationID: recommendation, processID: published.processID, processTitle: published.processTitle, number: 3,
                recommendationTitle: published.title,
                milestone: MilestoneView(id: UUID(), title: "Ouverture à Douai", dueOn: "2028-06-30", progress: 40, status: .inProgress, updatedAt: Date()),
                previousProgress: 10, recipientAccountIDs: [author]
            )

            // act: each message delivered twice
            let publishedID = UUID().uuidString.lowercased()
            try await worker.publish(published, messageID: publishedID)
            try await worker.publish(published, messageID: publishedID)
            let decidedID = UUID().uuidString.lowercased()
            try await worker.publish(decided, messageID: decidedID)
            try await worker.publish(decided, messageID: decidedID)
            let movedID = UUID().uuidString.lowercased()
            try await worker.publish(moved, messageID: movedID)
            try await worker.publish(moved, messageID: movedID)
            try await eventually("everyone told") {
                try TestEnvironment.mails(to: authorAddress).count == 3 && TestEnvironment.mails(to: supporterAddress).count == 2
            }
            try await Self.settle(worker)

            // check
            #expect(try TestEnvironment.mails(to: authorAddress).count == 3)
            #expect(try TestEnvironment.mails(to: supporterAddress).count == 2)
            let texts = try TestEnvironment.mails(to: authorAddress).compactMap { decodedParts(of: $0).first }
            let link = "http://dialogue.test/recommandations/\(recommendation.uuidString.lowercased())"
            #expect(texts.allSatisfy { $0.contains(link) })
            #expect(texts.contains { $0.contains("est reprise dans la recommandation n° 3 du rapport d'orientation de la démarche « Ateliers citoyens de la jeunesse »") })
            #expect(texts.contains { $0.contains("adoptée avec modifications") && $0.contains("Ce qui a été modifié : Ouverture le soir deux jours par semaine.") })
            #expect(texts.contains { $0.contains("Jalon « Ouverture à Douai », échéance le 30 juin 2028 : en cours, avancement de 10 % à 40 %.") })
        }
    }
}
