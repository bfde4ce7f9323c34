import DialogueContracts
import Foundation
@testable import NotificationWorker
import PostgresNIO
import Testing
import TestSupport

@Suite struct DeliveryLogTests {
    @Test func theLogFindsAnAddressWhateverItsSpellingAndPagesByTime() async throws {
        // Three confirmation mails to one address: no limit on them here.
        try await withNotificationWorker(delivery: quickDelivery(requestedLimits: RequestedMailLimits(interval: .zero, perDay: 100))) { worker in
            let local = "camille.\(UUID().uuidString.prefix(6).lowercased())"
            let refused = testAddress("refuse-550-")
            for _ in 1...3 { try await worker.publish(confirmationRequest(to: "\(local)@gmail.com")) }
            try await worker.publish(confirmationRequest(to: refused))
            try await eventually("all handled") {
                try await worker.probe.int("SELECT count(*)::int8 FROM notifications.email_deliveries WHERE status IN ('sent', 'failed')") == 4
            }
            let log = DeliveryLog(client: worker.database, logger: TestEnvironment.logger)

            // Gmail ignores dots, case and +suffix: the person's own spelling finds their mails.
            let spelled = local.replacingOccurrences(of: ".", with: "").uppercased() + "+dialogue@gmail.com"
            let first = try await log.search(SearchDeliveries(address: spelled, limit: 2))
            #expect(first.entries.count == 2)
            #expect(first.entries.allSatisfy { $0.status == "sent" && $0.recipient == "\(local)@gmail.com" })
            let second = try await log.search(SearchDeliveries(address: spelled, before: first.next, limit: 2))
            #expect(second.entries.count == 1)
            #expect(second.next == nil)
            #expect(Set((first.entries + second.entries).map(\.id)).count == 3)

            let failed = try await log.search(SearchDeliveries(status: "failed"))
            #expect(failed.entries.map(\.recipient) == [refused])
            #expect(failed.entries.first?.lastSMTPCode == 550)
            await #expect(throws: RequestFailure.self) { try await log.search(SearchDeliveries(status: "perdu")) }
        }
    }
}
