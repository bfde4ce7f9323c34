import DialogueContracts
import Foundation
@testable import NotificationWorker
import Testing
import TestSupport

/// What became of a contribution (`contribution.status_changed`): its author and each person
/// supporting it are mailed once per change — a redelivered event mails nobody twice, a new
/// change mails everyone again — with the status, the reason and the public answer.
@Suite struct ContributionAnswerMailTests {
    private func contact(_ account: UUID, _ address: String) -> AccountContactChanged {
        AccountContactChanged(accountID: account, email: address, displayName: "Camille", emailConfirmed: true, disabled: false, staffRoles: [], changedAt: Date())
    }

    private func change(
        _ contribution: UUID, author: UUID, supporters: [UUID], _ answer: ContributionAnswer, from: ContributionAnswerStatus = .received
    ) -> ContributionStatusChanged {
        ContributionStatusChanged(
            contributionID: contribution, consultationID: UUID(), kind: .proposal, theme: "emploi-associatif", title: "Un guichet unique",
            from: from, answer: answer, authorAccountID: author, supporterAccountIDs: supporters, changedAt: Date()
        )
    }

    @Test func theAuthorAndEachSupporterAreMailedOncePerChange() async throws {
        try await withNotificationWorker { worker in
            // setup: an author who also appears among the supporters, and two supporters
            let (author, first, second) = (UUID(), UUID(), UUID())
            let (authorAddress, firstAddress, secondAddress) = (testAddress(), testAddress(), testAddress())
            for (account, address) in [(author, authorAddress), (first, firstAddress), (second, secondAddress)] {
                try await worker.publish(contact(account, address))
            }
            let contribution = UUID()
            let notRetained = ContributionAnswer(
                status: .notRetained, text: "Le CESER en reparlera.", reason: "Cela relève de l'État, pas de la Région.", answeredAt: Date()
            )
            let messageID = UUID().uuidString.lowercased()

            // act: the change, delivered twice
            let event = change(contribution, author: author, supporters: [first, second, author], notRetained)
            try await worker.publish(event, messageID: messageID)
            try await worker.publish(event, messageID: messageID)

            // check: one mail each
            for address in [authorAddress, firstAddress, secondAddress] {
                try await eventually("\(address) told") { try TestEnvironment.mails(to: address).count == 1 }
            }
            let authorMail = try #require(try TestEnvironment.mails(to: authorAddress).first)
            let authorText = try #require(decodedParts(of: authorMail).first)
            #expect(authorText.contains("votre contribution « Un guichet unique » : non retenue."))
            #expect(authorText.contains("Pourquoi : Cela relève de l'État, pas de la Région."))
            #expect(authorText.contains("Réponse du CESER : Le CESER en reparlera."))
            #expect(authorText.contains("http://dialogue.test/contributions/\(contribution.uuidString.lowercased())"))
            let supporterMail = try #require(try TestEnvironment.mails(to: firstAddress).first)
            let supporterText = try #require(decodedParts(of: supporterMail).first)
            #expect(supporterText.contains("la proposition « Un guichet unique », que vous soutenez : non retenue."))

            // act: a second change is news again
            try await worker.publish(change(contribution, author: author, supporters: [first, second], ContributionAnswer(status: .underStudy), from: .notRetained))

            // check
            for address in [authorAddress, firstAddress, secondAddress] {
                try await eventually("\(address) told again") { try TestEnvironment.mails(to: address).count == 2 }
            }
            #expect(try await worker.deliveries(to: authorAddress).count == 2)
        }
    }

    @Test func theMessageNamesTheReportOfAContributionTakenIntoOne() {
        let event = change(
            UUID(), author: UUID(), supporters: [],
            ContributionAnswer(status: .inReport, reportURL: "https://ceser.hautsdefrance.fr/avis-2026.pdf", answeredAt: Date())
        )

        let message = TopicMessages.contributionAnswered(event, toAuthor: true)

        #expect(message.topic == .contributionAnswers)
        #expect(message.title == "Votre contribution : intégrée à un rapport")
        #expect(message.paragraphs.contains("Le rapport qui la reprend : https://ceser.hautsdefrance.fr/avis-2026.pdf"))
        #expect(!message.paragraphs.contains { $0.hasPrefix("Pourquoi") })
    }
}
