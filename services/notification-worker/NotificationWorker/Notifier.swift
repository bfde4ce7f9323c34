import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Wording

/// A message about a topic, for one person or for the staff of the topic.
struct TopicMessage: Sendable {
    let topic: NotificationTopic
    /// The staff inbox's title; the mail's subject adds the platform's name.
    let title: String
    /// One line for a digest.
    let headline: String
    let paragraphs: [String]
    /// The page the message is about.
    let link: SitePath?
    let actionLabel: String

    var subject: String { "\(title) — Dialogue" }
    /// The page's path, as the staff inbox stores it.
    var path: String? { link?.path }
}

/// `topic.*.mustache`: a topic message mailed at once, with its unsubscribe link.
struct TopicMail: MailModel {
    static let kind = MailKind.topic
    let subject: String
    let name: String?
    let paragraphs: [String]
    let action: MailLink?
    /// The topic, lower case, for "Vous recevez ce message car vous suivez : …".
    let topic: String
    let unsubscribeURL: String
    let preferencesURL: String
    var listUnsubscribe: String? { unsubscribeURL }
}

/// Sends a topic message the way each person chose: at once (a mail with its unsubscribe
/// link), in their daily or weekly digest, or not at all. Nobody unconfirmed, disabled or
/// erased is mailed. Everything happens in the event's transaction, once per (event, person).
struct Notifier: Sendable {
    let links: NotificationLinks
    let renderer: MailRenderer
    let logger: Logger

    func tell(_ accountID: UUID, _ message: TopicMessage, sourceMessageID: String, on connection: PostgresConnection) async throws {
        guard let recipient = try await Recipients.mailable(accountID, on: connection, logger: logger) else { return }
        try await tell(recipient, message, sourceMessageID: sourceMessageID, on: connection)
    }

    /// Tells each account once, however many times the list names it.
    func tellEach(_ accountIDs: [UUID], _ message: TopicMessage, sourceMessageID: String, on connection: PostgresConnection) async throws {
        var told = Set<UUID>()
        for account in accountIDs where told.insert(account).inserted {
            try await tell(account, message, sourceMessageID: sourceMessageID, on: connection)
        }
    }

    func tellStaff(_ message: TopicMessage, sourceMessageID: String, on connection: PostgresConnection) async throws {
        for recipient in try await Recipients.staff(for: message.topic, on: connection, logger: logger) {
            try await tell(recipient, message, sourceMessageID: sourceMessageID, on: connection)
        }
    }

    private func tell(_ recipient: Recipient, _ message: TopicMessage, sourceMessageID: String, on connection: PostgresConnection) async throws {
        let frequency = try await PreferenceStore.frequency(of: recipient.accountID, for: message.topic, on: connection, logger: logger)
        switch frequency {
        case .never:
            return
        case .daily, .weekly:
            try await connection.query(
                """
                INSERT INTO digest_items (id, account_id, topic, frequency, source_message_id, title, body, link)
                VALUES (\(UUID()), \(recipient.accountID), \(message.topic.rawValue), \(frequency.rawValue), \(sourceMessageID),
                        \(message.headline), \(message.paragraphs.joined(separator: " ")), \(message.link.map(links.url)))
                ON CONFLICT (source_message_id, account_id) DO NOTHING
                """,
                logger: logger
            )
        case .immediate:
            try await MailQueue.enqueue(
                mail(message, to: recipient), template: message.topic.rawValue, sourceMessageID: sourceMessageID,
                accountID: recipient.accountID, sendBefore: nil, on: connection, logger: logger
            )
        }
    }

    /// The mail of a message sent at once: its page, and the links that stop or space out the topic.
    func mail(_ message: TopicMessage, to recipient: Recipient) -> OutgoingMail {
        renderer.render(TopicMail(
            subject: message.subject,
            name: greetingName(recipient.displayName),
            paragraphs: message.paragraphs,
            action: message.link.map { MailLink(label: message.actionLabel, url: links.url($0)) },
            topic: message.topic.frenchLabel.lowercased(),
            unsubscribeURL: links.unsubscribeURL(account: recipient.accountID, topic: message.topic),
            preferencesURL: links.preferencesURL
        ), to: recipient.email)
    }
}

/// The messages of the events the worker turns into topic mails.
enum TopicMessages {
    /// A moderator's decision, to the content's author (automatic placements are not news to them).
    static func decision(_ event: ModerationDecisionMade) -> TopicMessage? {
        guard event.decidedBy != nil, event.rule == nil, event.authorAccountID != nil, event.status != .pending else { return nil }
        let kind = event.contentType.frenchLabel.lowercased()
        let title = event.title.map { " « \($0) »" } ?? ""
        let verdict: String = switch event.status {
        case .published: "a été publiée après relecture par l'équipe de modération du CESER"
        case .retained: "a été retenue par l'équipe du CESER"
        case .notRetained: "n'a pas été retenue par l'équipe du CESER"
        case .rejected: "n'a pas été publiée par l'équipe de modération du CESER"
        case .pending: ""
        }
        var paragraphs = ["Votre contribution (\(kind))\(title) \(verdict)."]
        if let reason = event.reasonLabel { paragraphs.append("Motif : \(reason)") }
        if let comment = event.comment { paragraphs.append("Commentaire de l'équipe : \(comment)") }
        if event.status == .rejected {
            paragraphs.append("Vous pouvez en déposer une nouvelle version qui respecte les règles de participation.")
        }
        let link = event.contentType == .petition && event.visible ? SitePath.petition(event.contentID) : nil
        return TopicMessage(
            topic: .contributionModeration,
            title: "Votre contribution : \(event.status.frenchLabel.lowercased())",
            headline: "\(event.contentType.frenchLabel)\(title) : \(event.status.frenchLabel.lowercased())",
            paragraphs: paragraphs, link: link, actionLabel: "Voir votre contribution"
        )
    }

    static func threshold(_ event: PetitionThresholdReached) -> TopicMessage {
        TopicMessage(
            topic: .petitionThreshold,
            title: "Seuil atteint : « \(event.title) »",
            headline: "« \(event.title) » a atteint \(event.signatureCount) signatures",
            paragraphs: ["La pétition « \(event.title) » a atteint \(event.signatureCount) signatures (seuil de saisine : \(event.threshold))."],
            link: .staffPetition(event.petitionID), actionLabel: "Ouvrir la pétition"
        )
    }

    static func queueWaiting(_ event: ModerationQueueWaiting) -> TopicMessage {
        let items = event.pendingCount > 1 ? "\(event.pendingCount) contributions attendent" : "\(event.pendingCount) contribution attend"
        let body = switch event.trigger {
        case "age":
            "\(items) une décision ; la plus ancienne a été reçue le \(event.oldestSubmittedAt.map(FrenchDate.dateTime) ?? "—") (heure de Paris)."
        default:
            "\(items) une décision de modération."
        }
        return TopicMessage(
            topic: .moderationWaiting, title: "File de modération à traiter", headline: body, paragraphs: [body],
            link: .moderationQueue, actionLabel: "Ouvrir la file de modération"
        )
    }

    /// A milestone of their petition, to its author.
    static func milestone(_ event: PetitionMilestoneReached) -> TopicMessage {
        TopicMessage(
            topic: .petitionMilestones,
            title: "Votre pétition a atteint \(event.percent) % de son seuil",
            headline: "« \(event.title) » : \(event.percent) % du seuil (\(event.signatureCount) signatures)",
            paragraphs: [
                "Votre pétition « \(event.title) » a recueilli \(event.signatureCount) signatures : \(event.percent) % des \(event.threshold) qui obligent le CESER à se saisir du sujet.",
                "Continuez à la faire connaître !",
            ],
            link: .petition(event.petitionID), actionLabel: "Voir votre pétition"
        )
    }

    /// The threshold of their petition, to its author (staff are told by `threshold`).
    static func thresholdForAuthor(_ event: PetitionThresholdReached) -> TopicMessage {
        TopicMessage(
            topic: .petitionMilestones,
            title: "Votre pétition a atteint son seuil de saisine",
            headline: "« \(event.title) » a atteint son seuil (\(event.signatureCount) signatures)",
            paragraphs: [
                "Votre pétition « \(event.title) » a atteint \(event.signatureCount) signatures : le seuil de saisine est franchi.",
                "Le CESER Hauts-de-France va se saisir du sujet ; vous serez informé·e de la suite.",
            ],
            link: .petition(event.petitionID), actionLabel: "Voir votre pétition"
        )
    }
}
