import DialogueContracts
import Foundation
import HTTPTypes
import HummingbirdTesting
import Messaging
import NIOCore
import PostgresNIO
import Synchronization
import Testing
import TestSupport

/// One trace from the HTTP request to the mail: the `traceparent` a client sends is the
/// parent of the command, of the event the petitions service writes to its outbox, and of
/// the confirmation mail the notification worker queues.
@Suite struct TracePropagationTests {
    @Test func signatureIsFollowedByOneTraceFromTheRequestToTheConfirmationMail() async throws {
        // setup
        let stack = try await GatewayStack.make()
        let sent = try #require(TraceContext(traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
        let email = "trace-\(UUID().uuidString.prefix(8).lowercased())@example.fr"
        try await stack.run { client, probe in
            let petition = try await client.createPetition()
            try await probe.openThroughModeration(petition.id, topology: stack.topology)
            // act: a visitor signs, with the trace context of a caller upstream
            let signed = try await client.anonymous.execute(
                uri: "/api/v1/petitions/\(petition.id.uuidString.lowercased())/signatures", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("traceparent")!: sent.traceparent],
                body: ByteBuffer(string: #"{"name": "Camille", "email": "\#(email)", "postcode": "59000", "consent": true}"#)
            )
            #expect(signed.status == .accepted)

            // check: the event the service wrote for the mail (the only one of its type in this
            // test's database: its body, which holds the link, is blanked once published)
            // belongs to the request's trace, as a span of its own
            let outboxRow = Mutex<String?>(nil)
            try await eventually("the confirmation event in the petitions outbox") {
                let found = try await probe.texts(
                    """
                    SELECT traceparent FROM petitions.outbox
                    WHERE message_type = 'petition.signature_confirmation_requested'
                    """
                ).first ?? nil
                outboxRow.withLock { $0 = found }
                return found != nil
            }
            let event = try #require(outboxRow.withLock { $0 }.flatMap(TraceContext.init(traceparent:)))
            #expect(event.traceID == sent.traceID)
            #expect(event.spanID != sent.spanID)

            // ... and so does the mail the notification worker queued from that event
            let mailRow = Mutex<String?>(nil)
            try await eventually("the confirmation mail queued") {
                let found = try await probe.texts(
                    """
                    SELECT traceparent FROM notifications.email_deliveries
                    WHERE recipient = \(email) AND template = 'petition.signature_confirmation'
                    """
                ).first ?? nil
                mailRow.withLock { $0 = found }
                return found != nil
            }
            let mail = try #require(mailRow.withLock { $0 }.flatMap(TraceContext.init(traceparent:)))
            #expect(mail.traceID == sent.traceID)
            #expect(mail.spanID != event.spanID)
        }
    }

    @Test func requestWithoutAValidTraceparentStartsATraceOfItsOwn() async throws {
        // setup
        let stack = try await GatewayStack.make()
        let email = "trace-\(UUID().uuidString.prefix(8).lowercased())@example.fr"
        try await stack.run { client, probe in
            let petition = try await client.createPetition()
            try await probe.openThroughModeration(petition.id, topology: stack.topology)
            // act: an invalid header (upper-case) is ignored
            let invalid = "00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01"
            let signed = try await client.anonymous.execute(
                uri: "/api/v1/petitions/\(petition.id.uuidString.lowercased())/signatures", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("traceparent")!: invalid],
                body: ByteBuffer(string: #"{"name": "Camille", "email": "\#(email)", "postcode": "59000", "consent": true}"#)
            )
            #expect(signed.status == .accepted)
            // check
            let row = Mutex<String?>(nil)
            try await eventually("the confirmation event in the petitions outbox") {
                let found = try await probe.texts(
                    """
                    SELECT traceparent FROM petitions.outbox
                    WHERE message_type = 'petition.signature_confirmation_requested'
                    """
                ).first ?? nil
                row.withLock { $0 = found }
                return found != nil
            }
            let event = try #require(row.withLock { $0 }.flatMap(TraceContext.init(traceparent:)))
            #expect(event.traceID != "0af7651916cd43dd8448eb211c80319c")
        }
    }
}
