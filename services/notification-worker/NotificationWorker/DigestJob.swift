import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import Storage
import ServiceKit
import ServiceLifecycle
import Wording

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
    let renderer: MailRenderer

    init(
        client: PostgresClient, links: NotificationLinks, schedule: DigestSchedule, interval: Duration, logger: Logger,
        renderer: MailRenderer = .bundled
    ) {
        self.client = client
        self.links = links
        self.schedule = schedule
        self.interval = interval
        self.logger = logger
        self.renderer = renderer
    }

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

            let mail = Self.digest(
                frequency, of: lines.map { ($0.topic, $0.title, $0.link, $0.at) }, to: recipient, links: links, renderer: renderer
            )
            try await MailQueue.enqueue(
                mail, template: "digest.\(frequency.rawValue)",
                sourceMessageID: "digest:\(frequency.rawValue):\(accountID.uuidString.lowercased()):\(time.ISO8601Format())",
                accountID: accountID, sendBefore: nil, on: connection, logger: logger
            )
            return true
        }
    }

    /// One person's digest: every line, and a link to stop each topic it mentions.
    static func digest(
        _ frequency: NotificationFrequency, of lines: [(topic: NotificationTopic, title: String, link: String?, at: Date)], to recipient: Recipient,
        links: NotificationLinks, renderer: MailRenderer
    ) -> OutgoingMail {
        let topics = Array(Set(lines.map(\.topic))).sorted { $0.rawValue < $1.rawValue }
        let period = frequency == .daily ? "du jour" : "de la semaine"
        let unsubscribeLinks = topics.map {
            DigestMail.TopicLink(topic: $0.frenchLabel.lowercased(), url: links.unsubscribeURL(account: recipient.accountID, topic: $0))
        }
        return renderer.render(DigestMail(
            subject: "Votre résumé \(period) — Dialogue",
            name: greetingName(recipient.displayName),
            lines: lines.map { DigestMail.Line(title: $0.title, at: FrenchDate.dateTime($0.at), link: $0.link) },
            topics: unsubscribeLinks.map(\.topic).joined(separator: " ; "),
            unsubscribeLinks: unsubscribeLinks,
            preferencesURL: links.preferencesURL,
            // One header names one topic: a digest of several has none, rather than a wrong one.
            listUnsubscribe: unsubscribeLinks.count == 1 ? unsubscribeLinks[0].url : nil
        ), to: recipient.email)
    }
}

/// `digest.*.mustache`: one person's lines of a day or a week.
struct DigestMail: MailModel {
    /// One thing that happened; `link` is the absolute address of its page, when it has one.
    struct Line: Sendable {
        let title: String
        /// Paris time, as French text.
        let at: String
        let link: String?
    }

    /// The link that stops one topic of the digest.
    struct TopicLink: Sendable {
        /// The topic, lower case.
        let topic: String
        let url: String
    }

    static let kind = MailKind.digest
    let subject: String
    let name: String?
    let lines: [Line]
    /// The topics, lower case, separated by " ; ".
    let topics: String
    let unsubscribeLinks: [TopicLink]
    let preferencesURL: String
    let listUnsubscribe: String?
}
