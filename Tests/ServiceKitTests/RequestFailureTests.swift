import DialogueContracts
import Foundation
import Logging
import Messaging
import ServiceKit
import Testing

/// One list of failure codes from the service that throws to the caller that reads the reply.
@Suite struct RequestFailureTests {
    @Test(arguments: RequestFailure.Code.allCases) func aThrownFailureReachesTheCallerWithItsCode(_ code: RequestFailure.Code) async throws {
        // setup
        var router = RequestRouter(logger: Logger(label: "tests"))
        router.on(GetPetition.self) { _ in throw RequestFailure(code: code, message: "refusé", field: "petition_id") }
        let request = IncomingMessage(
            body: try MessageCoding.encode(GetPetition(petitionID: UUID())), type: GetPetition.messageType,
            headers: [EnvelopeHeader.schemaVersion: .int(1)]
        )

        // act
        let reply = await router.respond(to: request)

        // check
        #expect(reply.status == code.rpcStatus && reply.status != .ok)
        #expect(try MessageCoding.decode(RequestFailure.self, from: reply.body) == RequestFailure(code: code, message: "refusé", field: "petition_id"))
    }

    @Test func codesTravelAsTheirNamesAndAnUnknownOneReadsAsInternal() throws {
        #expect(String(decoding: try MessageCoding.encode(RequestFailure(code: .notFound, message: "m")), as: UTF8.self).contains(#""code":"not_found""#))
        let newer = try MessageCoding.decode(RequestFailure.self, from: Array(#"{"code":"too_early","message":"m"}"#.utf8))
        #expect(newer.code == .internal && newer.message == "m")
    }

    @Test func anUnknownRequestTypeIsInvalid() async throws {
        let reply = await RequestRouter(logger: Logger(label: "tests")).respond(to: IncomingMessage(body: [], type: "petition.nothing"))
        #expect(reply.status == .invalid)
        #expect(try MessageCoding.decode(RequestFailure.self, from: reply.body).code == .invalid)
    }
}
