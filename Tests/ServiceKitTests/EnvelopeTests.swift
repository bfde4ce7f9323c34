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

    /// Two changes within one second stay in order: dates keep their milliseconds, and dates
    /// written without them (by an earlier version) still read.
    @Test func datesKeepTheirMillisecondsAndWholeSecondsStillRead() throws {
        let first = Date(timeIntervalSince1970: 1_800_000_000.125)
        let second = Date(timeIntervalSince1970: 1_800_000_000.750)
        func roundTrip(_ date: Date) throws -> Date {
            let command = SignPetition(petitionID: UUID(), name: "C", email: "c@example.fr", postcode: "80000", signedAt: date)
            return try MessageCoding.decode(SignPetition.self, from: try MessageCoding.encode(command)).signedAt
        }
        #expect(abs(try roundTrip(first).timeIntervalSince(first)) < 0.001)
        #expect(try roundTrip(first) < roundTrip(second))
        let body = #"{"email":"c@example.fr","name":"C","petitionID":"6F9619FF-8B86-D011-B42D-00C04FC964FF","postcode":"80000","signedAt":"2027-01-15T08:00:00Z"}"#
        let old = try MessageCoding.decode(SignPetition.self, from: Array(body.utf8))
        #expect(old.signedAt == Date(timeIntervalSince1970: 1_800_000_000))
        #expect(throws: (any Error).self) {
            try MessageCoding.decode(SignPetition.self, from: Array(body.replacingOccurrences(of: "2027-01-15T08:00:00Z", with: "demain").utf8))
        }
    }
}
