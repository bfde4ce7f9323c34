import DialogueContracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import Storage

/// The mails to send, one row each in `email_deliveries`.
///
/// An event's handler queues its mails in the event's own transaction, next to its inbox
/// row: a redelivered event finds the row of (event, recipient) and queues nothing more.
/// The senders take what is due, send it outside any transaction, and record the outcome.
struct MailQueue: Sendable {
    let client: PostgresClient
    let policy: MailDeliveryPolicy
    let logger: Logger

    /// A mail taken from the queue by one sender, leased to it while it sends.
    struct Claimed: Sendable {
        let id: UUID
        let mail: OutgoingMail
        let template: String
        let attempt: Int
        let queuedAt: Date
        /// The trace of the event that queued it.
        var trace: TraceContext? = nil
    }

    // MARK: Queueing (in an event's transaction)

    /// Queues one mail per (event, recipient), unless the account was erased: an event about
    /// it may arrive after the erasure, and the address must not be used again. The mail
    /// keeps the current trace context (the event's).
    @discardableResult
    static func enqueue(
        _ mail: OutgoingMail, template: String, sourceMessageID: String, accountID: UUID?, sendBefore: Date?,
        limitSubject: String? = nil, on connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO email_deliveries
                (id, source_message_id, recipient_key, recipient, template, account_id, subject, body_text, body_html, send_before,
                 list_unsubscribe, traceparent, limit_subject)
            SELECT \(UUID()), \(sourceMessageID), \(EmailAddress.normalized(mail.to)), \(mail.to), \(template), \(accountID),
                   \(mail.subject), \(mail.text), \(mail.html), \(sendBefore), \(mail.listUnsubscribe), \(TraceContext.current?.traceparent),
                   \(limitSubject)
            WHERE NOT EXISTS (SELECT 1 FROM erased_accounts WHERE account_id = \(accountID))
            ON CONFLICT (source_message_id, recipient_key) DO NOTHING
            RETURNING id
            """,
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }

    /// Queues a mail that someone other than the recipient caused (a signature, a registration,
    /// a reset request), unless the recipient had one about `subject` within the limits'
    /// interval or reached the day's limit: then the mail is only logged, as `suppressed`,
    /// without its body. The one who asked sees no difference (the answer was given already).
    ///
    /// An advisory lock on the recipient serialises these checks across the worker's replicas
    /// until the transaction ends, so two events handled at once cannot both pass.
    /// - Returns: whether the mail was queued (false: suppressed, or already queued).
    @discardableResult
    static func enqueueRequested(
        _ mail: OutgoingMail, template: String, subject: String, limits: RequestedMailLimits, sourceMessageID: String,
        accountID: UUID?, sendBefore: Date?, on connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        let recipientKey = EmailAddress.normalized(mail.to)
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("dialogue.mail-limit." + recipientKey)))", logger: logger)
        let counts = try await connection.query(
            """
            SELECT count(*) FILTER (WHERE limit_subject = \(subject)
                                     AND created_at > now() - make_interval(secs => \(Double(limits.interval.components.seconds))))::int8,
                   count(*)::int8
            FROM email_deliveries
            WHERE recipient_key = \(recipientKey) AND limit_subject IS NOT NULL
              AND status IN ('pending', 'sending', 'sent') AND created_at > now() - interval '1 day'
              AND source_message_id <> \(sourceMessageID)
            """,
            logger: logger
        )
        var (sameSubject, today) = (0, 0)
        for try await (subjectCount, dayCount) in counts.decode((Int, Int).self) { (sameSubject, today) = (subjectCount, dayCount) }
        guard sameSubject == 0, today < limits.perDay else {
            let reason = sameSubject > 0 ? "suppressed: a mail on the same subject was sent within the interval" : "suppressed: daily limit reached"
            try await connection.query(
                """
                INSERT INTO email_deliveries
                    (id, source_message_id, recipient_key, recipient, template, account_id, subject, status, last_error, limit_subject, traceparent)
                SELECT \(UUID()), \(sourceMessageID), \(recipientKey), \(mail.to), \(template), \(accountID), \(mail.subject),
                       'suppressed', \(reason), \(subject), \(TraceContext.current?.traceparent)
                WHERE NOT EXISTS (SELECT 1 FROM erased_accounts WHERE account_id = \(accountID))
                ON CONFLICT (source_message_id, recipient_key) DO NOTHING
                """,
                logger: logger
            )
            logger.notice("requested mail suppressed by the limit per recipient", metadata: ["template": .string(template), "reason": .string(reason)])
            return false
        }
        return try await enqueue(
            mail, template: template, sourceMessageID: sourceMessageID, accountID: accountID, sendBefore: sendBefore,
            limitSubject: subject, on: connection, logger: logger
        )
    }

    /// `account.erased`: the log keeps its counts but forgets the person. Mails not yet
    /// sent are dropped; later events about the account queue nothing.
    static func forget(_ event: AccountErased, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "INSERT INTO erased_accounts (account_id, erased_at) VALUES (\(event.accountID), \(event.erasedAt)) ON CONFLICT DO NOTHING",
            logger: logger
        )
        try await connection.query(
            """
            UPDATE email_deliveries SET
                recipient = NULL, recipient_key = 'erased:' || id::text, account_id = NULL,
                body_text = NULL, body_html = NULL, updated_at = now(),
                -- A mail being sent may still leave (its sender records it as sent); it is not retried.
                status = CASE WHEN status IN ('pending', 'sending') THEN 'failed' ELSE status END,
                last_error = CASE WHEN status IN ('pending', 'sending') THEN 'account erased before the mail left' ELSE last_error END
            WHERE account_id = \(event.accountID) OR recipient_key = ANY(\(event.normalizedEmails))
            """,
            logger: logger
        )
    }

    // MARK: Sending

    /// Takes up to `limit` due mails and leases them to the caller. Rows other senders hold
    /// are skipped, so replicas share the queue without sending a mail twice.
    func claimDue(limit: Int) async throws -> [Claimed] {
        let leaseSeconds = Double(policy.lease.components.seconds)
        let rows = try await client.query(
            """
            UPDATE email_deliveries SET status = 'sending', attempts = attempts + 1, updated_at = now(),
                lease_until = now() + make_interval(secs => \(leaseSeconds))
            WHERE id IN (
                SELECT id FROM email_deliveries
                WHERE status = 'pending' AND next_attempt_at <= now() AND (send_before IS NULL OR send_before > now())
                  AND recipient IS NOT NULL
                ORDER BY next_attempt_at
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            )
            RETURNING id, recipient, subject, body_text, body_html, template, attempts, created_at, list_unsubscribe, traceparent
            """,
            logger: logger
        )
        var claimed: [Claimed] = []
        for try await (id, recipient, subject, text, html, template, attempts, createdAt, unsubscribe, traceparent)
            in rows.decode((UUID, String?, String?, String?, String?, String, Int, Date, String?, String?).self) {
            claimed.append(Claimed(
                id: id,
                mail: OutgoingMail(to: recipient ?? "", subject: subject ?? "", text: text ?? "", html: html ?? "", listUnsubscribe: unsubscribe),
                template: template, attempt: attempts, queuedAt: createdAt, trace: traceparent.flatMap(TraceContext.init(traceparent:))
            ))
        }
        return claimed
    }

    /// What became of a claimed mail.
    enum Outcome: Sendable, Equatable {
        case sent
        case retryLater(after: Duration)
        case failed(reason: String)
    }

    /// Records the SMTP result; returns what happens to the mail next.
    @discardableResult
    func record(_ result: SMTPResult, for claimed: Claimed) async throws -> Outcome {
        switch result {
        case .sent:
            // Recorded whatever the row's state: the mail did leave.
            try await client.query(
                """
                UPDATE email_deliveries SET status = 'sent', sent_at = now(), updated_at = now(), lease_until = NULL,
                    last_smtp_code = 250, last_error = NULL, body_text = NULL, body_html = NULL
                WHERE id = \(claimed.id)
                """,
                logger: logger
            )
            return .sent
        case .temporaryFailure(let code, let reason):
            guard let delay = policy.delay(afterAttempt: claimed.attempt) else {
                let reason = "gave up after \(claimed.attempt) attempts: \(reason)"
                try await fail(claimed.id, code: code, reason: reason)
                return .failed(reason: reason)
            }
            try await client.query(
                """
                UPDATE email_deliveries SET status = 'pending', updated_at = now(), lease_until = NULL,
                    next_attempt_at = now() + make_interval(secs => \(Double(delay.components.seconds))),
                    last_smtp_code = \(code), last_error = \(reason)
                WHERE id = \(claimed.id) AND status = 'sending'
                """,
                logger: logger
            )
            return .retryLater(after: delay)
        case .permanentFailure(let code, let reason):
            try await fail(claimed.id, code: code, reason: reason)
            return .failed(reason: reason)
        }
    }

    /// Marks a mail failed. Its body stays for `FailedDeliveries.retention`, so that staff can
    /// send it again as written (`FailedDeliveries.clearExpiredBodies` clears it after).
    private func fail(_ id: UUID, code: Int?, reason: String) async throws {
        try await client.query(
            """
            UPDATE email_deliveries SET status = 'failed', updated_at = now(), lease_until = NULL,
                last_smtp_code = \(code), last_error = \(reason)
            WHERE id = \(id) AND status = 'sending'
            """,
            logger: logger
        )
    }

    /// The mails that carry a link the person needs to finish what they started (confirming
    /// an address or a signature, choosing a password): a duplicate of one harms no one, a
    /// missing one loses their action. These are sent again after an interrupted send.
    static let linkMailTemplates = ["account.email_confirmation", "account.password_reset", "petition.signature_confirmation", "survey.answer_link"]

    /// Closes or re-queues what a sender left behind, and closes what cannot be sent any
    /// more; returns (expired, interrupted, resent) counts.
    ///
    /// - A mail whose link expired before it could leave is not sent late.
    /// - A lease that ran out means its sender died during the send (the lease outlasts the
    ///   SMTP timeout), so the mail may or may not have left. A link mail still valid goes
    ///   back to the queue, as a new attempt (a duplicate at worst); any other mail is
    ///   closed as interrupted, since a duplicate of it cannot be taken back (staff may still
    ///   send it again from the failed deliveries, knowing it may have left).
    func closeUnsendable() async throws -> (expired: Int, interrupted: Int, resent: Int) {
        let expired = try await count(client.query(
            """
            UPDATE email_deliveries SET status = 'failed', updated_at = now(), body_text = NULL, body_html = NULL,
                last_error = 'not sent before its link expired'
            WHERE status = 'pending' AND send_before < now()
            RETURNING id
            """,
            logger: logger
        ))
        // One statement judges each abandoned row once: a lease that runs out between two
        // statements could otherwise close a link mail the first one did not see yet.
        let abandoned = try await client.query(
            """
            WITH judged AS (
                SELECT id, template = ANY(\(Self.linkMailTemplates)) AND (send_before IS NULL OR send_before > now())
                           AND attempts <= \(policy.retryDelays.count) AS resend
                FROM email_deliveries WHERE status = 'sending' AND lease_until < now()
                FOR UPDATE SKIP LOCKED
            )
            UPDATE email_deliveries d SET
                status = CASE WHEN judged.resend THEN 'pending' ELSE 'failed' END,
                next_attempt_at = CASE WHEN judged.resend THEN now() ELSE d.next_attempt_at END,
                last_error = CASE WHEN judged.resend THEN 'interrupted during the send; sent again, as its link is needed'
                                  ELSE 'interrupted during the send; not sent again to avoid a duplicate' END,
                lease_until = NULL, updated_at = now()
            FROM judged WHERE d.id = judged.id
            RETURNING judged.resend
            """,
            logger: logger
        )
        var resent = 0, interrupted = 0
        for try await resend in abandoned.decode(Bool.self) {
            if resend { resent += 1 } else { interrupted += 1 }
        }
        return (expired, interrupted, resent)
    }

    /// How many mails wait, and how long the oldest has waited (seconds).
    func backlog() async throws -> (pending: Int, oldestAge: Double) {
        let rows = try await client.query(
            """
            SELECT count(*)::int8, coalesce(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8
            FROM email_deliveries WHERE status IN ('pending', 'sending')
            """,
            logger: logger
        )
        for try await (pending, age) in rows.decode((Int, Double).self) { return (pending, age) }
        return (0, 0)
    }

    private func count(_ rows: PostgresRowSequence) async throws -> Int {
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }
}

/// How many mails someone other than the recipient may cause them: one per subject (a
/// petition, a kind of account mail) in `interval` (at most a day), and `perDay` in all in 24 hours.
public struct RequestedMailLimits: Sendable {
    public var interval: Duration
    public var perDay: Int

    public init(interval: Duration = .seconds(3600), perDay: Int = 5) {
        self.interval = interval
        self.perDay = perDay
    }
}

/// How the senders work through the queue.
public struct MailDeliveryPolicy: Sendable {
    /// The wait after each failed attempt; after the last one the mail is given up.
    public var retryDelays: [Duration]
    /// How long a sender owns a mail it is sending; longer than the SMTP timeout.
    public var lease: Duration
    /// How often the queue is looked at without a wake-up (for retries that become due).
    public var pollInterval: Duration
    /// How many mails one sender sends at once.
    public var concurrency: Int
    /// The limits on mails that someone other than the recipient causes.
    public var requestedLimits: RequestedMailLimits

    public init(
        retryDelays: [Duration] = [.seconds(60), .seconds(300), .seconds(900), .seconds(3600), .seconds(10_800), .seconds(21_600)],
        lease: Duration, pollInterval: Duration = .seconds(1), concurrency: Int = 4, requestedLimits: RequestedMailLimits = RequestedMailLimits()
    ) {
        self.retryDelays = retryDelays
        self.lease = lease
        self.pollInterval = pollInterval
        self.concurrency = concurrency
        self.requestedLimits = requestedLimits
    }

    /// The wait before the attempt after `attempt` (1-based), or nil to give up.
    func delay(afterAttempt attempt: Int) -> Duration? {
        attempt >= 1 && attempt <= retryDelays.count ? retryDelays[attempt - 1] : nil
    }
}
