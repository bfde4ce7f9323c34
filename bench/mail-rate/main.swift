// Measures how fast a running notification worker turns account events into mails: publishes
// BENCH_MAILS `AccountEmailConfirmationRequested` events as the gateway would, then watches
// `notifications.email_deliveries` until every mail of this run is sent (or BENCH_TIMEOUT_SECONDS
// pass), and prints the rates and the queue latency read from the rows' own timestamps.
//
//   AMQP_URL=... DATABASE_URL=postgres://dialogue_admin:...@127.0.0.1:PORT/dialogue \
//   BENCH_MAIL_DIR=.local/run-bench/mail mail-rate-bench
import DialogueContracts
import Foundation
import Logging
import Messaging
import PostgresNIO

let environment = ProcessInfo.processInfo.environment
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("mail-rate-bench: \(message)\n".utf8))
    exit(2)
}
guard let amqpURL = environment["AMQP_URL"], let amqp = try? AMQPSettings(url: amqpURL) else {
    fail("set AMQP_URL to the broker the notification worker consumes from")
}
guard let databaseURL = environment["DATABASE_URL"], let database = postgresConfiguration(databaseURL) else {
    fail("set DATABASE_URL to postgres://USER:PASSWORD@HOST:PORT/DATABASE (a role that may read notifications.email_deliveries)")
}
let total = Int(environment["BENCH_MAILS"] ?? "") ?? 5_000
let inFlight = Int(environment["BENCH_IN_FLIGHT"] ?? "") ?? 512
let timeout = Duration.seconds(Int(environment["BENCH_TIMEOUT_SECONDS"] ?? "") ?? 600)
// The sink's folder: its count of .eml files before and after is an independent check on `sent`.
let mailDirectory = environment["BENCH_MAIL_DIR"]
// Every message id and address of this run carries the tag, so the rows of earlier runs in the
// same database are never counted.
let run = environment["BENCH_RUN"] ?? String(UInt32.random(in: 0...UInt32.max), radix: 36)

/// DATABASE_URL as PostgresNIO's configuration; the benchmark runs on loopback, without TLS.
func postgresConfiguration(_ text: String) -> PostgresClient.Configuration? {
    guard let url = URLComponents(string: text), url.scheme == "postgres" || url.scheme == "postgresql",
          let host = url.host, let user = url.user
    else { return nil }
    let name = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
    return PostgresClient.Configuration(
        host: host, port: url.port ?? 5432, username: user, password: url.password, database: name.isEmpty ? nil : name, tls: .disable
    )
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// One line of figures, in the layout of the other benchmarks: a label, then the numbers.
func report(_ label: String, _ figures: String) {
    print(label.padding(toLength: 40, withPad: " ", startingAt: 0) + figures)
}

func emlCount() -> Int? {
    guard let mailDirectory, let names = try? FileManager.default.contentsOfDirectory(atPath: mailDirectory) else { return nil }
    return names.count(where: { $0.hasSuffix(".eml") })
}

let logger = {
    var logger = Logger(label: "mail-rate-bench")
    logger.logLevel = .warning
    return logger
}()
// The platform's own topology (no prefix): the events reach the worker's real queue.
let topology = MessagingTopology()
let client = PostgresClient(configuration: database, backgroundLogger: logger)

/// (sent, failed, waiting) among this run's rows; rows not created yet are in none of them.
func progress() async throws -> (sent: Int, failed: Int, waiting: Int) {
    let rows = try await client.query(
        """
        SELECT count(*) FILTER (WHERE status = 'sent')::int8, count(*) FILTER (WHERE status = 'failed')::int8,
               count(*) FILTER (WHERE status IN ('pending', 'sending'))::int8
        FROM notifications.email_deliveries WHERE source_message_id LIKE \("bench-\(run)-%")
        """,
        logger: logger
    )
    for try await row in rows.decode((Int, Int, Int).self) { return row }
    return (0, 0, 0)
}

/// The sent rows' timestamps, as seconds since 1970 (one clock, PostgreSQL's), and the queue
/// latency (sent_at − created_at) percentiles.
struct SentFigures {
    var firstQueued = 0.0, lastQueued = 0.0, firstSent = 0.0, lastSent = 0.0
    var p50 = 0.0, p99 = 0.0, maximum = 0.0
}

func sentFigures() async throws -> SentFigures? {
    let rows = try await client.query(
        """
        SELECT extract(epoch FROM min(created_at))::float8, extract(epoch FROM max(created_at))::float8,
               extract(epoch FROM min(sent_at))::float8, extract(epoch FROM max(sent_at))::float8,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - created_at))::float8,
               percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - created_at))::float8,
               max(extract(epoch FROM sent_at - created_at))::float8
        FROM notifications.email_deliveries WHERE source_message_id LIKE \("bench-\(run)-%") AND status = 'sent'
        """,
        logger: logger
    )
    for try await row in rows.decode((Double?, Double?, Double?, Double?, Double?, Double?, Double?).self) {
        guard let firstQueued = row.0, let lastQueued = row.1, let firstSent = row.2, let lastSent = row.3,
              let p50 = row.4, let p99 = row.5, let maximum = row.6
        else { return nil }
        return SentFigures(
            firstQueued: firstQueued, lastQueued: lastQueued, firstSent: firstSent, lastSent: lastSent, p50: p50, p99: p99, maximum: maximum
        )
    }
    return nil
}

func event(_ number: Int) -> OutgoingMessage {
    let confirmation = AccountEmailConfirmationRequested(
        accountID: UUID(), email: "bench-\(number)-\(run)@exemple.fr", displayName: "Camille \(number)",
        confirmationURL: "https://dialogue.example/compte/confirmation?jeton=\(UUID().uuidString.lowercased())",
        expiresAt: Date().addingTimeInterval(86_400)
    )
    // Encoding a plain struct of strings cannot fail.
    let body = try! MessageCoding.encode(confirmation)
    return OutgoingMessage(
        exchange: topology.eventsExchange, routingKey: AccountEmailConfirmationRequested.messageType, body: body,
        messageID: "bench-\(run)-\(number)", type: AccountEmailConfirmationRequested.messageType
    )
}

func publishAll(with publisher: AMQPPublisher) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        var next = 0
        func startOne() {
            let message = event(next)
            group.addTask { try await publisher.publish(message) }
            next += 1
        }
        while next < min(inFlight, total) { startOne() }
        while try await group.next() != nil {
            if next < total { startOne() }
        }
    }
}

try await withThrowingDiscardingTaskGroup { group in
    group.addTask { await client.run() }
    defer { group.cancelAll() }

    let emlBefore = emlCount()
    let publisher = AMQPPublisher(settings: amqp, name: "mail-rate-bench", confirmWindow: inFlight, logger: logger)
    await publisher.connect()
    print("\(total) account.email_confirmation_requested events, run \(run)")

    let start = Date()
    let clock = ContinuousClock()
    let publishStart = clock.now
    try await publishAll(with: publisher)
    let publishTime = seconds(clock.now - publishStart)
    await publisher.close()
    report("events published (confirmed)", String(format: "%8d msgs  %7.2f s  %9.0f msgs/s", total, publishTime, Double(total) / publishTime))

    // Polled, not awaited by notification: the benchmark only reads, as an operator's query would.
    let deadline = clock.now + timeout
    var state = try await progress()
    while state.sent + state.failed < total && clock.now < deadline {
        try await Task.sleep(for: .milliseconds(500))
        state = try await progress()
    }
    let missing = total - state.sent - state.failed - state.waiting
    if state.sent + state.failed < total {
        report("TIMED OUT after \(Int(seconds(timeout))) s", "sent \(state.sent), failed \(state.failed), waiting \(state.waiting), no row yet \(missing)")
    }

    if let figures = try await sentFigures() {
        let sent = Double(state.sent)
        let queueSpan = figures.lastQueued - figures.firstQueued
        let sendSpan = figures.lastSent - figures.firstSent
        let endToEnd = figures.lastSent - start.timeIntervalSince1970
        report("rows queued by the consumer", String(format: "%8d rows  %7.2f s  %9.0f rows/s", state.sent, queueSpan, sent / max(queueSpan, 0.001)))
        report("mails sent (first to last sent_at)", String(format: "%8d mails %7.2f s  %9.1f mails/s", state.sent, sendSpan, sent / max(sendSpan, 0.001)))
        report("mails sent (end to end from publish)", String(format: "%8d mails %7.2f s  %9.1f mails/s", state.sent, endToEnd, sent / max(endToEnd, 0.001)))
        report("queue latency (sent_at - created_at)", String(format: "p50 %.2f s   p99 %.2f s   max %.2f s", figures.p50, figures.p99, figures.maximum))
    } else {
        report("mails sent", "none")
    }
    report("failed mails", String(format: "%8d mails", state.failed))
    if let emlBefore, let emlAfter = emlCount() {
        report("mails the sink wrote (.eml files)", String(format: "%8d mails", emlAfter - emlBefore))
    }
    if state.sent < total { exit(1) }
}
