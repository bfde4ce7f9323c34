import DialogueContracts
import Logging
import PostgresNIO

/// `account.erased` in forums. What the person wrote stays, so that the debate keeps its
/// sense (replies and quotes point at it), but under `AccountErased.anonymousAuthorName` and
/// tied to no account. Their reactions and statement answers keep counting, tied to no
/// account either: the opinion map only ever knew the answers under a per-forum pseudonym,
/// and once its link to the account is gone nothing leads from the map back to the person.
/// Applied in the event's transaction, with its inbox row: a redelivery changes nothing.
enum ForumErasure {
    static func apply(_ erased: AccountErased, on connection: PostgresConnection, logger: Logger) async throws {
        let account = erased.accountID
        let name = AccountErased.anonymousAuthorName
        try await connection.query(
            "UPDATE forum_threads SET author_account_id = NULL, author_name = \(name) WHERE author_account_id = \(account)", logger: logger
        )
        try await connection.query(
            "UPDATE forum_posts SET author_account_id = NULL, author_name = \(name) WHERE author_account_id = \(account)", logger: logger
        )
        try await connection.query(
            "UPDATE forum_statements SET author_account_id = NULL, author_name = \(name) WHERE author_account_id = \(account)", logger: logger
        )
        try await connection.query("UPDATE forum_reactions SET account_id = NULL WHERE account_id = \(account)", logger: logger)
        try await connection.query("UPDATE forum_statement_participants SET account_id = NULL WHERE account_id = \(account)", logger: logger)
    }
}
