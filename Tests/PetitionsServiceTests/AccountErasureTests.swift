import DialogueContracts
import Foundation
import Messaging
import PetitionsService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// `account.erased`: the petitions service removes the person's data from their signatures.
@Suite struct AccountErasureTests {
    let topology = TestEnvironment.isolatedTopology()

    @Test func erasedPersonsSignaturesAreAnonymisedAndStillCount() async throws {
        try await withPetitionsService(topology: topology, threshold: 1_000) { publisher, probe in
            // setup: two people sign
            let petition = try await probe.insertPetition(threshold: 1_000)
            try await publisher.publish(try signature(petition, name: "Léa Fontaine", email: "Lea.Fontaine@gmail.com", postcode: "80000", topology: topology))
            try await publisher.publish(try signature(petition, name: "Hugo Petit", email: "hugo@example.fr", topology: topology))
            try await eventually("both signatures counted") { try await probe.signatureCount(petition) == 2 }

            // act: Léa erases her account; the event arrives twice
            let event = AccountErased(accountID: UUID(), normalizedEmails: [EmailAddress.normalized("lea.fontaine@gmail.com")], erasedAt: Date())
            let message = OutgoingMessage(
                exchange: topology.eventsExchange, routingKey: AccountErased.messageType, body: try MessageCoding.encode(event),
                messageID: UUID().uuidString.lowercased(), type: AccountErased.messageType
            )
            try await publisher.publish(message)
            try await publisher.publish(message)

            // check: her name, address and postcode are gone; her signature still counts, with its département
            try await eventually("the signature anonymised") {
                try await probe.int("SELECT count(*)::int8 FROM petitions.signatures WHERE name = \(AccountErased.anonymousAuthorName)") == 1
            }
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.signatures WHERE email_normalized LIKE '%lea%' OR email ILIKE '%lea%'") == 0)
            #expect(try await probe.texts("SELECT departement FROM petitions.signatures WHERE name = \(AccountErased.anonymousAuthorName)") == ["80"])
            #expect(try await probe.texts("SELECT name FROM petitions.signatures WHERE email = 'hugo@example.fr'") == ["Hugo Petit"])
            #expect(try await probe.signatureCount(petition) == 2)
            try await eventually("the duplicate claimed once") {
                try await probe.int("SELECT count(*)::int8 FROM petitions.inbox WHERE message_type = \(AccountErased.messageType)") == 1
            }
        }
    }
}
