public import DialogueContracts
import Foundation
public import Logging
public import PostgresNIO
import ServiceKit

/// The image or PDF attached to a contribution: stored in the contribution's own transaction
/// once its content is checked, served only while the contribution is shown, and deleted when
/// its author withdraws it or their account is erased.
public struct ContributionAttachments: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let notFound = RequestFailure(code: .notFound, message: "Cette pièce jointe n'existe pas, ou sa contribution n'est pas publiée.")

    /// Stores a checked upload for a new contribution (on the submission's connection).
    static func store(
        _ upload: ContributionAttachmentUpload, for contributionID: UUID, on connection: PostgresConnection, logger: Logger
    ) async throws -> ContributionAttachment {
        if let problem = upload.problems.first { throw problem }
        guard let type = upload.type else { throw RequestFailure(code: .invalid, message: "Type de fichier inconnu.", field: "attachment") }
        let attachment = ContributionAttachment(
            type: type, filename: upload.servedFilename, description: upload.description, byteCount: upload.content.count
        )
        try await connection.query(
            """
            INSERT INTO contribution_attachments (contribution_id, type, filename, description, byte_count, content)
            VALUES (\(contributionID), \(type.rawValue), \(attachment.filename), \(attachment.description), \(attachment.byteCount),
                    \(upload.content))
            """,
            logger: logger
        )
        return attachment
    }

    /// What moderation reads: the contribution's text, then a line naming the attachment and
    /// where staff can open it, so that it is moderated with the text.
    static func moderatedText(_ text: String, attachment: ContributionAttachment?, contributionID: UUID) -> String {
        guard let attachment else { return text }
        let description = attachment.description.map { " : « \($0) »" } ?? ""
        return "\(text)\n\nPièce jointe (\(attachment.type.label), \(attachment.filename))\(description) — "
            + "/admin/contributions/\(contributionID.uuidString.lowercased())/piece-jointe"
    }

    /// The attachment of a contribution shown to everyone (published, not withdrawn); for
    /// moderation, of any contribution still holding one (moderators look before publishing).
    public func file(_ request: GetContributionAttachment) async throws -> ContributionAttachmentFile {
        let forStaff = request.forModeration
        let rows = try await client.query(
            """
            SELECT a.type, a.filename, a.description, a.byte_count, a.content
            FROM contribution_attachments a JOIN contributions c ON c.id = a.contribution_id
            WHERE a.contribution_id = \(request.contributionID) AND (\(forStaff) OR (c.visible AND c.withdrawn_at IS NULL))
            """,
            logger: logger
        )
        for try await (type, filename, description, byteCount, content) in rows.decode((String, String, String?, Int, Data).self) {
            guard let type = AttachmentType(rawValue: type) else { break }
            return ContributionAttachmentFile(
                attachment: ContributionAttachment(type: type, filename: filename, description: description, byteCount: byteCount),
                content: content
            )
        }
        throw Self.notFound
    }

    /// A withdrawn contribution keeps its text (staff's figures count it) but not its file.
    static func removeOnWithdrawal(of contributionID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("DELETE FROM contribution_attachments WHERE contribution_id = \(contributionID)", logger: logger)
    }

    /// `account.erased`: the files the person attached go (a photo or a scan may show them, or
    /// say who they are); applied in the event's transaction, so a redelivery changes nothing.
    static func apply(_ erased: AccountErased, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            DELETE FROM contribution_attachments a USING contributions c
            WHERE c.id = a.contribution_id AND c.author_account_id = \(erased.accountID)
            """,
            logger: logger
        )
    }
}
