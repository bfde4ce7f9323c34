public import DialogueContracts
public import Foundation
import Logging
import Messaging
import PostgresNIO
public import ServiceKit
public import ServiceLifecycle

/// E-mail and the staff inbox (schema `notifications`).
public enum NotificationWorker: DialogueService {
    public static let name = ServiceName.notifications
    public static let defaultPort = 8185
    public static var migrationsDirectory: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public static func services(on platform: ServicePlatform, settings: NotificationSettings, operations: OperationsEndpoints) throws -> [any Service] {
        // Read and parsed now, once: a missing or broken template stops the worker here, not at a send.
        let renderer = try MailRenderer.shipped()
        return parts(on: platform, smtp: settings.smtp, delivery: settings.delivery, links: settings.links, schedule: settings.schedule, renderer: renderer)
    }

    /// The parts of the worker, for the runner and for tests: the event consumer (which
    /// records and queues, transactionally), the mail sender, the digest job and the RPC server.
    public static func parts(
        on platform: ServicePlatform, smtp: SMTPSettings, delivery: MailDeliveryPolicy, links: NotificationLinks,
        schedule: DigestSchedule = DigestSchedule(), digestInterval: Duration = .seconds(60), renderer: MailRenderer = .bundled
    ) -> [any Service] {
        let logger = platform.logger
        let queue = MailQueue(client: platform.database, policy: delivery, logger: logger)
        let sender = MailSender(queue: queue, mailer: SMTPMailer(settings: smtp), schema: platform.settings.service.schema, logger: logger)
        let digests = DigestJob(
            client: platform.database, links: links, schedule: schedule, interval: digestInterval, logger: logger, renderer: renderer
        )
        let parts = Parts(platform: platform, links: links, renderer: renderer, requestedLimits: delivery.requestedLimits)
        return platform.consumers(serving: routes, with: parts, produces: "notification") + [sender, digests]
    }

    public static var routes: ServiceRoutes<Parts> {
        var routes = ServiceRoutes<Parts>()
        routes.events.on(PetitionThresholdReached.self) { parts, event, messageID, connection in
            let message = TopicMessages.threshold(event)
            try await StaffNotifications.record(message, messageID: messageID, on: connection, logger: parts.logger)
            try await parts.notifier.tellStaff(message, sourceMessageID: messageID, on: connection)
            ThresholdNotificationDelay.observe(reachedAt: event.reachedAt)
            if let author = event.authorAccountID {
                try await parts.notifier.tell(author, TopicMessages.thresholdForAuthor(event), sourceMessageID: messageID, on: connection)
            }
        }
        routes.events.on(PetitionMilestoneReached.self) { parts, event, messageID, connection in
            guard let author = event.authorAccountID else { return }
            try await parts.notifier.tell(author, TopicMessages.milestone(event), sourceMessageID: messageID, on: connection)
        }
        routes.events.on(PetitionStatusChanged.self) { parts, event, messageID, connection in
            guard let author = event.authorAccountID, let message = TopicMessages.statusChanged(event) else { return }
            try await parts.notifier.tell(author, message, sourceMessageID: messageID, on: connection)
        }
        // Once per change and per person: the mail's key is (event, recipient).
        routes.events.on(ContributionStatusChanged.self) { parts, event, messageID, connection in
            if let author = event.authorAccountID {
                try await parts.notifier.tell(author, TopicMessages.contributionAnswered(event, toAuthor: true), sourceMessageID: messageID, on: connection)
            }
            for supporter in Set(event.supporterAccountIDs) where supporter != event.authorAccountID {
                try await parts.notifier.tell(supporter, TopicMessages.contributionAnswered(event, toAuthor: false), sourceMessageID: messageID, on: connection)
            }
        }
        routes.events.on(PetitionSignatoryNoticeRequested.self) { parts, event, messageID, connection in
            try await MailQueue.enqueue(
                SignatoryMails.answer(event, links: parts.links, renderer: parts.renderer), template: "petition.answer_to_signatory", sourceMessageID: messageID,
                accountID: event.accountID, sendBefore: nil, on: connection, logger: parts.logger
            )
        }
        routes.events.on(ModerationQueueWaiting.self) { parts, event, messageID, connection in
            let message = TopicMessages.queueWaiting(event)
            try await StaffNotifications.record(message, messageID: messageID, on: connection, logger: parts.logger)
            try await parts.notifier.tellStaff(message, sourceMessageID: messageID, on: connection)
        }
        routes.events.on(ModerationDecisionMade.self) { parts, event, messageID, connection in
            guard let author = event.authorAccountID, let message = TopicMessages.decision(event) else { return }
            try await parts.notifier.tell(author, message, sourceMessageID: messageID, on: connection)
        }
        routes.events.on(ProcessPhaseNoticeRequested.self) { parts, event, messageID, connection in
            try await parts.notifier.tell(event.accountID, TopicMessages.processPhase(event), sourceMessageID: messageID, on: connection)
        }
        addWorkshopRoutes(to: &routes)
        // The chain contribution → recommendation → decision → milestone: each person once per event.
        routes.events.on(RecommendationPublished.self) { parts, event, messageID, connection in
            try await parts.notifier.tellEach(event.recipientAccountIDs, TopicMessages.recommendationPublished(event), sourceMessageID: messageID, on: connection)
        }
        routes.events.on(RecommendationDecided.self) { parts, event, messageID, connection in
            try await parts.notifier.tellEach(event.recipientAccountIDs, TopicMessages.recommendationDecided(event), sourceMessageID: messageID, on: connection)
        }
        routes.events.on(MilestoneUpdated.self) { parts, event, messageID, connection in
            try await parts.notifier.tellEach(event.recipientAccountIDs, TopicMessages.milestoneUpdated(event), sourceMessageID: messageID, on: connection)
        }
        routes.events.on(AccountContactChanged.self) { parts, event, connection in
            try await Recipients.apply(event, on: connection, logger: parts.logger)
        }
        // Mails anyone can cause with someone else's address: limited per recipient
        // (`RequestedMailLimits`), one per subject (a petition, a kind of account mail) at a time.
        routes.events.on(AccountEmailConfirmationRequested.self) { parts, event, messageID, connection in
            try await MailQueue.enqueueRequested(
                try AccountMails.confirmation(event, renderer: parts.renderer), template: "account.email_confirmation",
                subject: "account.email_confirmation", limits: parts.requestedLimits, sourceMessageID: messageID,
                accountID: event.accountID, sendBefore: event.expiresAt, on: connection, logger: parts.logger
            )
        }
        routes.events.on(AccountPasswordResetRequested.self) { parts, event, messageID, connection in
            let confirmed = try await Recipients.mailable(event.accountID, on: connection, logger: parts.logger) != nil
            try await MailQueue.enqueueRequested(
                try AccountMails.passwordReset(event, addressConfirmed: confirmed, renderer: parts.renderer), template: "account.password_reset",
                subject: "account.password_reset", limits: parts.requestedLimits, sourceMessageID: messageID,
                accountID: event.accountID, sendBefore: event.expiresAt, on: connection, logger: parts.logger
            )
        }
        routes.events.on(AccountRegistrationAttempted.self) { parts, event, messageID, connection in
            try await MailQueue.enqueueRequested(
                AccountMails.registrationAttempt(event, links: parts.links, renderer: parts.renderer), template: "account.registration_attempt",
                subject: "account.registration_attempt", limits: parts.requestedLimits, sourceMessageID: messageID,
                accountID: event.accountID, sendBefore: nil, on: connection, logger: parts.logger
            )
        }
        routes.events.on(PetitionSignatureConfirmationRequested.self) { parts, event, messageID, connection in
            try await MailQueue.enqueueRequested(
                try SignatoryMails.confirmation(event, links: parts.links, renderer: parts.renderer), template: "petition.signature_confirmation",
                subject: "petition:\(event.petitionID.uuidString.lowercased())", limits: parts.requestedLimits, sourceMessageID: messageID,
                accountID: nil, sendBefore: event.expiresAt, on: connection, logger: parts.logger
            )
        }
        routes.events.on(PetitionSignedAgain.self) { parts, event, messageID, connection in
            try await MailQueue.enqueueRequested(
                try SignatoryMails.signedAgain(event, links: parts.links, renderer: parts.renderer), template: "petition.signed_again",
                subject: "petition:\(event.petitionID.uuidString.lowercased())", limits: parts.requestedLimits, sourceMessageID: messageID,
                accountID: nil, sendBefore: nil, on: connection, logger: parts.logger
            )
        }
        routes.events.on(SurveyAnswerLinkMailRequested.self) { parts, event, messageID, connection in
            try await MailQueue.enqueueRequested(
                try SurveyMails.answerLink(event, links: parts.links, renderer: parts.renderer), template: "survey.answer_link",
                subject: "survey:\(event.surveyID.uuidString.lowercased())", limits: parts.requestedLimits, sourceMessageID: messageID,
                accountID: nil, sendBefore: event.expiresAt, on: connection, logger: parts.logger
            )
        }
        routes.events.on(AccountErased.self) { parts, event, connection in
            try await MailQueue.forget(event, on: connection, logger: parts.logger)
            try await Recipients.forget(event.accountID, on: connection, logger: parts.logger)
        }

        routes.requests.on(ListStaffNotifications.self) { parts, request in try await parts.inbox.page(request) }
        routes.requests.on(MarkStaffNotificationRead.self) { parts, request in try await parts.inbox.markRead(request.notificationID, topics: request.topics) }
        routes.requests.on(GetNotificationPreferences.self) { parts, request in try await parts.preferences.view(request) }
        routes.requests.on(SaveNotificationPreferences.self) { parts, request in try await parts.preferences.save(request) }
        routes.requests.on(InspectUnsubscribeToken.self) { parts, request in try await parts.unsubscribe.inspect(request.token) }
        routes.requests.on(UnsubscribeWithToken.self) { parts, request in try await parts.unsubscribe.apply(request.token) }
        routes.requests.on(SearchDeliveries.self) { parts, request in try await parts.deliveryLog.search(request) }
        routes.requests.on(ListFailedDeliveries.self) { parts, request in try await parts.failedDeliveries.list(request) }
        routes.requests.on(ResendFailedDelivery.self) { parts, request in try await parts.failedDeliveries.resend(request) }
        return routes
    }

    /// What the handlers of the worker work with.
    public struct Parts: Sendable {
        let logger: Logger
        let links: NotificationLinks
        /// The mail templates, parsed once.
        let renderer: MailRenderer
        let notifier: Notifier
        let inbox: StaffInboxStore
        let preferences: PreferenceStore
        let unsubscribe: Unsubscription
        let deliveryLog: DeliveryLog
        let failedDeliveries: FailedDeliveries
        /// The limits on mails that someone other than the recipient causes.
        let requestedLimits: RequestedMailLimits

        init(platform: ServicePlatform, links: NotificationLinks, renderer: MailRenderer, requestedLimits: RequestedMailLimits) {
            let (client, logger) = (platform.database, platform.logger)
            self.logger = logger
            self.links = links
            self.renderer = renderer
            self.requestedLimits = requestedLimits
            notifier = Notifier(links: links, renderer: renderer, logger: logger)
            inbox = StaffInboxStore(client: client, logger: logger)
            preferences = PreferenceStore(client: client, logger: logger)
            unsubscribe = Unsubscription(client: client, links: links, logger: logger)
            deliveryLog = DeliveryLog(client: client, logger: logger)
            failedDeliveries = FailedDeliveries(client: client, logger: logger)
        }
    }
}

/// What the worker reads beyond the common settings: its mail relay, its delivery policy,
/// its links and when digests go out.
public struct NotificationSettings: ServiceSpecificSettings {
    public var smtp: SMTPSettings
    public var delivery: MailDeliveryPolicy
    public var links: NotificationLinks
    public var schedule: DigestSchedule

    /// Reads the SMTP and mail variables, `PUBLIC_BASE_URL`, `NOTIFICATION_LINK_SECRET` and `DIGEST_HOUR`.
    public init(reader: inout SettingsReader) {
        smtp = SMTPSettings(reader: &reader)
        delivery = MailDeliveryPolicy(reader: &reader, smtp: smtp)
        links = NotificationLinks(reader: &reader)
        schedule = DigestSchedule(hour: reader.integer("DIGEST_HOUR", default: 7, in: 0...23))
    }
}

extension NotificationLinks {
    /// Reads `PUBLIC_BASE_URL` (the site, for links in mails) and `NOTIFICATION_LINK_SECRET`
    /// (signs unsubscribe links; at least 32 characters, never logged).
    public init(reader: inout SettingsReader) {
        let baseURL = reader.optional("PUBLIC_BASE_URL", default: "http://localhost:8080")
        if !(baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://")) {
            reader.report("PUBLIC_BASE_URL must start with https:// or http://, not \"\(baseURL)\"")
        }
        let secret = reader.required("NOTIFICATION_LINK_SECRET", secret: true)
        if !secret.isEmpty && secret.count < 32 { reader.report("NOTIFICATION_LINK_SECRET must have at least 32 characters") }
        self.init(baseURL: baseURL, secret: secret)
    }
}

/// Unsubscribe links: what one is about (for the page it opens), and the change itself.
struct Unsubscription: Sendable {
    let client: PostgresClient
    let links: NotificationLinks
    let logger: Logger

    func inspect(_ token: String) async throws -> UnsubscribeTarget {
        let (account, topic) = try verified(token)
        return UnsubscribeTarget(topic: topic, maskedEmail: try await maskedEmail(of: account))
    }

    func apply(_ token: String) async throws -> UnsubscribeTarget {
        let (account, topic) = try verified(token)
        try await client.withConnection { connection in
            try await PreferenceStore.set(.never, of: account, for: topic, on: connection, logger: logger)
        }
        logger.info("unsubscribed by link", metadata: ["topic": .string(topic.rawValue)])
        return UnsubscribeTarget(topic: topic, maskedEmail: try await maskedEmail(of: account))
    }

    private func verified(_ token: String) throws -> (UUID, NotificationTopic) {
        guard let target = links.verify(token) else {
            throw RequestFailure(code: .notFound, message: "Ce lien de désabonnement n'est pas valable. Vous pouvez choisir vos notifications depuis votre compte.")
        }
        return target
    }

    private func maskedEmail(of account: UUID) async throws -> String {
        let rows = try await client.query("SELECT email FROM recipients WHERE account_id = \(account)", logger: logger)
        for try await email in rows.decode(String.self) { return Recipients.masked(email) }
        return "votre adresse"
    }
}

extension SMTPSettings {
    /// Reads `SMTP_URL`, `SMTP_STARTTLS` (none, optional, required), `SMTP_USERNAME`,
    /// `SMTP_PASSWORD`, `MAIL_FROM`, `MAIL_FROM_NAME`, `SMTP_TIMEOUT_MS`.
    public init(reader: inout SettingsReader) {
        // The URL may carry credentials: a problem with it is described, never echoed.
        let url = reader.optional("SMTP_URL", default: "smtp://127.0.0.1:25", secret: true)
        if !(url.hasPrefix("smtp://") || url.hasPrefix("smtps://")) {
            reader.report("SMTP_URL must start with smtp:// or smtps://")
        }
        let from = reader.optional("MAIL_FROM", default: "ne-pas-repondre@dialogue.localhost")
        if !EmailAddress.isValid(from) { reader.report("MAIL_FROM must be an e-mail address, not \"\(from)\"") }
        let username = reader.optional("SMTP_USERNAME", default: "")
        let password = reader.optional("SMTP_PASSWORD", default: "", secret: true)
        if username.isEmpty != password.isEmpty {
            reader.report(username.isEmpty ? "SMTP_PASSWORD is set without SMTP_USERNAME" : "SMTP_USERNAME is set without SMTP_PASSWORD")
        }
        self.init(
            url: url,
            tls: reader.choice("SMTP_STARTTLS", default: TLSPolicy.optional),
            username: username.isEmpty ? nil : username,
            password: password.isEmpty ? nil : password,
            fromAddress: from,
            fromName: reader.optional("MAIL_FROM_NAME", default: "Dialogue — CESER Hauts-de-France"),
            timeout: .milliseconds(reader.integer("SMTP_TIMEOUT_MS", default: 30_000, in: 1000...300_000))
        )
    }
}

extension MailDeliveryPolicy {
    /// Reads `MAIL_RETRY_DELAYS_SECONDS` (the waits between attempts, e.g. "60,300,900"),
    /// `MAIL_CONCURRENCY`, and the limits on mails someone else can cause a recipient:
    /// `MAIL_REQUESTED_INTERVAL_SECONDS` (one per subject in that time) and
    /// `MAIL_REQUESTED_DAILY_LIMIT` (in all, per 24 hours). The lease outlasts the SMTP timeout by a minute.
    public init(reader: inout SettingsReader, smtp: SMTPSettings) {
        let text = reader.optional("MAIL_RETRY_DELAYS_SECONDS", default: "60,300,900,3600,10800,21600")
        let seconds = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        let delays = seconds.compactMap { $0 }.filter { (1...604_800).contains($0) }.map { Duration.seconds($0) }
        if delays.isEmpty || delays.count != seconds.count {
            reader.report("MAIL_RETRY_DELAYS_SECONDS must be waits in seconds from 1 to 604800 separated by commas, not \"\(text)\"")
        }
        self.init(
            retryDelays: delays,
            lease: smtp.timeout + .seconds(60),
            concurrency: reader.integer("MAIL_CONCURRENCY", default: 4, in: 1...64),
            requestedLimits: RequestedMailLimits(
                interval: .seconds(reader.integer("MAIL_REQUESTED_INTERVAL_SECONDS", default: 3600, in: 0...86_400)),
                perDay: reader.integer("MAIL_REQUESTED_DAILY_LIMIT", default: 5, in: 1...1000)
            )
        )
    }
}
