import DialogueContracts
import Foundation
import Messaging
import ServiceKit
import Testing

@Suite struct EnvelopeTests {
    let topology = MessagingTopology(prefix: "x.")

    @Test func commandCarriesTheEnvelopeOfTheArchitecture() throws {
        let command = SignPetition(petitionID: UUID(), name: "Camille", email: "c@example.fr", postcode: "80000", signedAt: Date(timeIntervalSince1970: 1_800_000_000))
        let id = UUID()
        let message = try OutgoingMessage(command: command, topology: topology, messageID: id, correlationID: "corr")
        #expect(message.exchange == "x.dialogue.commands" && message.routingKey == "petitions")
        #expect(message.type == "petition.sign" && message.messageID == id.uuidString.lowercased())
        #expect(message.correlationID == "corr" && message.contentType == "application/json" && message.persistent)
        #expect(message.headers["schema-version"] == .int(1))
        let traceparent = try #require(message.headers["traceparent"]?.stringValue)
        #expect(traceparent.wholeMatch(of: /00-[0-9a-f]{32}-[0-9a-f]{16}-01/) != nil)
    }

    @Test func decodingChecksTypeAndVersion() throws {
        let command = SignPetition(petitionID: UUID(), name: "Camille", email: "c@example.fr", postcode: "80000", signedAt: Date(timeIntervalSince1970: 1_800_000_000))
        let body = try MessageCoding.encode(command)
        let good = IncomingMessage(body: body, type: "petition.sign", headers: ["schema-version": .int(1)])
        #expect(try good.decode(SignPetition.self).email == "c@example.fr")
        #expect(throws: EnvelopeError.self) { try IncomingMessage(body: body, type: "petition.other").decode(SignPetition.self) }
        #expect(throws: EnvelopeError.self) {
            try IncomingMessage(body: body, type: "petition.sign", headers: ["schema-version": .int(2)]).decode(SignPetition.self)
        }
        #expect(throws: EnvelopeError.self) { try IncomingMessage(body: Array("{".utf8), type: "petition.sign").decode(SignPetition.self) }
    }
}
