public import DialogueContracts
import Foundation
public import Logging
public import PostgresNIO
import ServiceKit
import Storage

/// What an author does to their own contribution: change it until it is first supported (the
/// change goes back to moderation), and withdraw it with a reason at any time. Nobody acts on
/// another's contribution: to them it does not exist.
public struct ContributionAuthoring: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let notTheirs = RequestFailure(code: .notFound, message: "Cette contribution n'existe pas, ou elle n'est pas la vôtre.")

    public func edit(_ request: EditContribution) async throws -> ContributionView {
        try await client.transaction(logger: logger) { connection in
            let current = try await Self.own(request.contributionID, by: request.accountID, on: connection, logger: logger)
            guard current.state != .withdrawn else {
                throw RequestFailure(code: .conflict, message: "Vous avez retiré cette contribution : elle ne peut plus être modifiée.")
            }
            guard current.editable else {
                throw RequestFailure(code: .conflict, message: "Quelqu'un a déjà soutenu ou commenté cette contribution : elle ne peut plus être modifiée.")
            }
            let draft = ContributionDraft(
                kind: current.kind, theme: request.draft.theme, title: request.draft.title, text: request.draft.text, reasons: request.draft.reasons,
                commune: request.draft.commune
            )
            if let problem = draft.problems.first { throw problem }
            let consultation = try await Self.definition(current.consultationID, on: connection, logger: logger)
            guard let theme = consultation.theme(draft.theme) else {
                throw RequestFailure(code: .invalid, message: "Choisissez une des thématiques de la consultation.", field: "theme")
            }
            // Under moderation before publication, the changed text waits, hidden, for a moderator.
            let hide = consultation.moderation == .beforePublication
            let rows = try await connection.query(
                """
                UPDATE contributions SET theme = \(theme.code), theme_label = \(theme.label), title = \(draft.title), body = \(draft.text),
                    reasons = \(draft.reasons), commune = \(draft.commune), visible = visible AND NOT \(hide), moderation_status = 'pending'
                WHERE id = \(request.contributionID)
                RETURNING \(unescaped: ContributionStore.columns)
                """,
                logger: logger
            )
            var edited: ContributionView?
            for try await row in rows.decode(ContributionStore.Row.self) { edited = try ContributionStore.view(row) }
            guard let edited else { throw Self.notTheirs }
            let authorName = edited.authorName
            let content = SubmittedContent(
                contentID: edited.id, ownerService: .consultations, title: draft.title,
                text: ContributionAttachments.moderatedText(draft.moderatedText, attachment: edited.attachment, contributionID: edited.id),
                authorAccountID: request.accountID,
                authorName: authorName, consultationID: edited.consultationID, publicPath: SitePath.consultation(edited.consultationID).path,
                submittedAt: Date(), moderationMode: consultation.moderation.moderationMode
            )
            switch draft.kind {
            case .testimony: try await Outbox.enqueue(TestimonySubmitted(content: content), on: connection, logger: logger)
            case .proposal: try await Outbox.enqueue(ProposalSubmitted(content: content), on: connection, logger: logger)
            }
            return edited
        }
    }

    public func withdraw(_ request: WithdrawContribution) async throws -> ContributionView {
        guard WithdrawContribution.reasonLength.contains(request.reason.count) else {
            throw RequestFailure(
                code: .invalid, message: request.reason.isEmpty ? "Dites en quelques mots pourquoi vous la retirez." : "La raison doit compter entre 3 et 500 caractères.",
                field: "reason"
            )
        }
        return try await client.transaction(logger: logger) { connection in
            let current = try await Self.own(request.contributionID, by: request.accountID, on: connection, logger: logger)
            guard current.state != .withdrawn else { return current }
            try await ContributionAttachments.removeOnWithdrawal(of: request.contributionID, on: connection, logger: logger)
            let rows = try await connection.query(
                """
                UPDATE contributions SET withdrawn_at = now(), withdrawal_reason = \(request.reason)
                WHERE id = \(request.contributionID)
                RETURNING \(unescaped: ContributionStore.columns)
                """,
                logger: logger
            )
            for try await row in rows.decode(ContributionStore.Row.self) { return try ContributionStore.view(row) }
            throw Self.notTheirs
        }
    }

    public func own(_ request: GetOwnContribution) async throws -> ContributionView {
        try await client.withConnection { connection in
            try await Self.own(request.contributionID, by: request.accountID, on: connection, lock: false, logger: logger)
        }
    }

    /// The contribution when `account` wrote it; with `lock`, locked for the rest of the transaction.
    static func own(_ id: UUID, by account: UUID, on connection: PostgresConnection, lock: Bool = true, logger: Logger) async throws -> ContributionView {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: ContributionStore.columns) FROM contributions WHERE id = \(id) AND author_account_id = \(account)
            \(unescaped: lock ? "FOR UPDATE" : "")
            """,
            logger: logger
        )
        for try await row in rows.decode(ContributionStore.Row.self) { return try ContributionStore.view(row) }
        throw notTheirs
    }

    static func definition(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> ConsultationDefinition {
        let rows = try await connection.query("SELECT definition::text FROM consultations WHERE id = \(id)", logger: logger)
        for try await document in rows.decode(String.self) {
            return try MessageCoding.decode(ConsultationDefinition.self, from: Array(document.utf8))
        }
        throw ConsultationStore.notFound
    }
}
