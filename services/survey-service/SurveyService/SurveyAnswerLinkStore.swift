public import DialogueContracts
public import Foundation
public import Logging
public import PostgresNIO
import ServiceKit
import Signing
import Storage

/// The links that let a person answer a survey open to confirmed addresses without an account:
/// one is made for an address on request and mailed to it; opening it proves the person reads
/// that address, so their response counts for it (one per normalised address).
public struct SurveyAnswerLinkStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// How long a mailed link works (never beyond the survey's closing): long enough to come
    /// back and change one's answers, short enough that an old mail lying around opens nothing.
    public static let lifetime: TimeInterval = 7 * 24 * 3600
    /// How long an expired link is remembered, so that opening it says « expiré » rather than
    /// « pas valable ».
    static let remembered = "30 days"

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Makes a link for the address and queues its mail, in one transaction. The survey must
    /// be open now and open to confirmed addresses.
    public func request(_ request: RequestSurveyAnswerLink) async throws -> SurveyAnswerLinkSent {
        let email = request.email.trimmingCharacters(in: .whitespacesAndNewlines)
        guard EmailAddress.isValid(email) else {
            throw RequestFailure(code: .invalid, message: "Indiquez une adresse électronique valide, par exemple nom@exemple.fr.", field: "email")
        }
        return try await client.transaction(logger: logger) { connection in
            let survey = try await SurveyResponseStore.answerable(request.surveyID, on: connection, logger: logger)
            guard survey.definition.audience == .confirmedEmail else {
                throw RequestFailure(code: .conflict, message: "Cette enquête est réservée aux personnes connectées à leur compte.", field: "survey")
            }
            let closesAt = survey.definition.closesAt ?? Date().addingTimeInterval(Self.lifetime)
            let expiresAt = min(Date().addingTimeInterval(Self.lifetime), closesAt)
            let token = Signing.randomToken()
            try await connection.query(
                """
                INSERT INTO answer_links (token_hash, survey_id, email_normalized, expires_at)
                VALUES (sha256(convert_to(\(token), 'UTF8')), \(request.surveyID), \(EmailAddress.normalized(email)), \(expiresAt))
                """,
                logger: logger
            )
            try await Outbox.enqueue(
                SurveyAnswerLinkMailRequested(
                    surveyID: request.surveyID, title: survey.definition.title, email: email, token: token, expiresAt: expiresAt, closesAt: closesAt
                ),
                on: connection, logger: logger
            )
            return SurveyAnswerLinkSent(expiresAt: expiresAt)
        }
    }

    /// The address a link of this survey was mailed to, while it works.
    public func open(_ request: OpenSurveyAnswerLink) async throws -> SurveyAnswerLinkHolder {
        let rows = try await client.query(
            """
            SELECT email_normalized, expires_at, expires_at > now() FROM answer_links
            WHERE token_hash = sha256(convert_to(\(request.token), 'UTF8')) AND survey_id = \(request.surveyID)
            """,
            logger: logger
        )
        for try await (email, expiresAt, valid) in rows.decode((String, Date, Bool).self) {
            guard valid else {
                throw RequestFailure(
                    code: .conflict, message: "Ce lien a expiré le \(FrenchDate.dateTime(expiresAt)). Demandez-en un nouveau ci-dessous.", field: "token"
                )
            }
            return SurveyAnswerLinkHolder(email: email, expiresAt: expiresAt)
        }
        throw RequestFailure(
            code: .notFound, message: "Ce lien n'est pas valable : il a pu être mal copié. Demandez-en un nouveau ci-dessous.", field: "token"
        )
    }

    /// Forgets the links expired long ago.
    public func forgetExpired() async throws {
        try await client.query("DELETE FROM answer_links WHERE expires_at < now() - \(Self.remembered)::interval", logger: logger)
    }

    /// `account.erased`: the person's links stop working.
    static func forget(_ event: AccountErased, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("DELETE FROM answer_links WHERE email_normalized = ANY(\(event.normalizedEmails))", logger: logger)
    }
}
