import DialogueContracts
import Foundation
@testable import NotificationWorker
import PostgresNIO
import Testing
import TestSupport

/// A process's follower gets one mail when a new phase begins, redelivery or not, under the
/// topic they can stop.
@Suite struct ProcessPhaseMailTests {
    static func notice(to account: UUID) -> ProcessPhaseNoticeRequested {
        ProcessPhaseNoticeRequested(
            accountID: account,
            phase: ProcessPhaseStarted(
                processID: UUID(), processTitle: "Ateliers citoyens de la jeunesse", phaseID: UUID(), position: 3, phaseCount: 7, kind: .workshops,
                title: "", startsOn: "2027-03-01", endsOn: "2027-04-11", startedAt: Date()
            )
        )
    }

    @Test func aFollowerIsMailedOnceAtANewPhase() async throws {
        try await withNotificationWorker { worker in
            // setup
            let follower = UUID()
            let address = testAddress()
            try await worker.publish(AccountContactChanged(
                accountID: follower, email: address, displayName: "Camille", emailConfirmed: true, disabled: false, staffRoles: [], changedAt: Date()
            ))
            let notice = Self.notice(to: follower)
            let messageID = UUID().uuidString.lowercased()

            // act: the same message delivered twice
            try await worker.publish(notice, messageID: messageID)
            try await worker.publish(notice, messageID: messageID)
            try await eventually("the follower told") { try TestEnvironment.mails(to: address).count == 1 }
            let marker = testAddress()
            try await worker.publish(confirmationRequest(to: marker))
            try await eventually("the marker mailed") { try TestEnvironment.mails(to: marker).count == 1 }

            // check
            #expect(try TestEnvironment.mails(to: address).count == 1)
            let raw = try #require(try TestEnvironment.mails(to: address).first)
            let text = try #require(decodedParts(of: raw).first)
            #expect(text.contains("La démarche « Ateliers citoyens de la jeunesse » que vous suivez entre dans son étape 3 sur 7 : Ateliers, du 1er mars 2027 au 11 avril 2027."))
            #expect(text.contains("http://dialogue.test/processus/\(notice.phase.processID.uuidString.lowercased())"))
            #expect(text.contains("http://dialogue.test/desabonnement?jeton="))
        }
    }
}
