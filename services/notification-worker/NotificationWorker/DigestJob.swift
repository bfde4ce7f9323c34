import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import Storage
import ServiceKit
import ServiceLifecycle

/// When digests go out: every day, and every Monday, at the same hour, Paris time.
public struct DigestSchedule: Sendable {
    public var hour: Int

    public init(hour: Int = 7) {
        self.hour = hour
    }

    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .current
        return calendar
    }

    /// The latest sending time of this frequency at or before `now`: what was collected
    /// before it goes out now; what came after waits for the next one.
    func lastSendingTime(_ frequency: NotificationFrequency, atOrBefore now: Date) -> Date {
        let calendar = Self.calendar
        var today = calendar.dateComponents([.year, .month, .day], from: now)
        today.hour = hour
        var time = calendar.date(from: today) ?? now
        if time > now { time = calendar.date(byAdding: .day, value: -1, to: time) ?? time }
        guard frequency == .weekly else { return time }
        // Back to the latest Monday (weekday 2 in the Gregorian calendar).
        while calendar.component(.weekday, from: time) != 2 {
            time = calendar.date(byAdding: .day, value: -1, to: time) ?? time
        }
        return time
    }
}

/// Sends the daily and weekly digests: one mail per person and period grouping every line
/// collected before the sending time. Each digest is queued under a key of its own
/// (person, frequency, time) in the transaction that marks its lines sent: once only.
struct DigestJob: Service {
    let client: PostgresClient
    let links: NotificationLinks
    let schedule: DigestSchedule
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try await PeriodicJob(name: "digest pass", interval: interval, logger: logger) { try await self.sendDue(at: Date()) }.run()
    }

    /// Queues the digests due at `now`; returns how many.
    @discardableResult
    func sendDue(at now: Date) async throws -> Int {
        var queued = 0
        for frequency in [NotificationFrequency.daily, .weekly] {
            let time = schedule.lastSendingTime(frequency, atOrBefore: now)
            let rows = try await client.query(
                """
                SELECT DISTINCT account_id FROM digest_items
                WHERE digested_at IS NULL AND frequency = \(frequency.rawValue) AND created_at < \(time)
                LIMIT 500
                """,
                logger: logger
            )
            var accounts: [UUID] = []
            for try await id in rows.decode(UUID.self) { accounts.append(id) }
            for account in accounts where try await send(frequency, to: account, collectedBefore: time) {
                queued += 1
            }
        }
        return queued
    }

    private func send(_ frequency: NotificationFrequency, to accountID: UUID, collectedBefore time: Date) async throws -> Bool {
        try await client.transaction(logger: logger) { connection in
            // Another replica may hold these lines: it sends them, this one moves on.
            let rows = try await connection.query(
                """
                SELECT id, topic, title, link, created_at FROM digest_items
                WHERE account_id = \(accountID) AND frequency = \(frequency.rawValue) AND digested_at IS NULL AND created_at < \(time)
                ORDER BY created_at
                FOR UPDATE SKIP LOCKED
                """,
                logger: logger
            )
            var lines: [(id: UUID, topic: NotificationTopic, title: String, link: String?, at: Date)] = []
            for try await (id, topic, title, link, at) in rows.decode((UUID, String, String, String?, Date).self) {
                if let topic = NotificationTopic(rawValue: topic) { lines.append((id, topic, title, link, at)) }
            }
            guard !lines.isEmpty else { return false }
            try await connection.query("UPDATE digest_items SET digested_at = now() WHERE id = ANY(\(lines.map(\.id)))", logger: logger)
            guard let recipient = try await Recipients.mailable(accountID, on: connection, logger: logger) else { return false }

            let topics = Array(Set(lines.map(\.topic))).sorted { $0.rawValue < $1.rawValue }
            let period = frequency == .daily ? "du jour" : "de la semaine"
            let mail = MailLayout.render(MailContent(
                subject: "Votre résumé \(period) — Dialogue",
                name: recipient.displayName,
                paragraphs: ["Voici ce qui s'est passé sur Dialogue pour les sujets que vous suivez :"]
                    + lines.map { line in
                        "• \(line.title) (\(FrenchDate.dateTime(line.at)))" + (line.link.map { " : \($0)" } ?? "")
                    },
                footer: ["Vous recevez ce résumé car vous suivez : " + topics.map { $0.frenchLabel.lowercased() }.joined(separator: " ; ") + "."],
                footerLinks: topics.map {
                    MailContent.Link(label: "Ne plus rien recevoir sur : \($0.frenchLabel.lowercased())", url: links.unsubscribeURL(account: accountID, topic: $0))
                } + [MailContent.Link(label: "Choisir quand vous êtes informé·e", url: links.preferencesURL)],
                listUnsubscribe: topics.count == 1 ? links.unsubscribeURL(account: accountID, topic: topics[0]) : nil
            ), to: recipient.email)
            try await MailQueue.enqueue(
                mail, template: "digest.\(frequency.rawValue)",
                sourceMessageID: "digest:\(frequency.rawValue):\(accountID.uuidString.lowercased()):\(time.ISO8601Format())",
                accountID: accountID, sendBefore: nil, on: connection, logger: logger
            )
            return true
        }
    }
}
