public import DialogueContracts
public import Foundation
public import Logging
public import PostgresNIO
import ServiceKit
import Storage
import SurveyRules

/// Stores responses: checked whole by `SurveyRules`, then the response, its answer rows and
/// its events in one transaction, so nothing partial is ever stored.
public struct SurveyResponseStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// What became of a submission that was not refused.
    public enum Recorded: Equatable, Sendable {
        /// Stored as the person's response.
        case stored(UUID)
        /// Replaced the person's earlier response (an edit).
        case replaced(UUID)
        /// The person had answered already and this is not an edit: nothing changed.
        case alreadyAnswered
        /// An edit older than the one stored (commands overtook each other): nothing changed.
        case olderThanStored(UUID)
        /// The message was handled before (a redelivery).
        case handledBefore
    }

    /// Records a submission; throws a `RequestFailure` naming the question or field when it is
    /// refused (unknown survey, not open now, respondent not allowed, an answer that does not
    /// fit), and nothing is stored.
    public func record(_ command: SubmitSurveyResponse, messageID: String) async throws -> Recorded {
        try await client.transaction(logger: logger) { connection in
            let claimed = try await Inbox.claim([(messageID, SubmitSurveyResponse.messageType)], on: connection, logger: logger)
            guard claimed.contains(messageID) else { return .handledBefore }
            let survey = try await Self.answerable(command.surveyID, on: connection, logger: logger)
            try Self.checkRespondent(command, audience: survey.definition.audience)
            let review = SurveyAnswerCheck.review(command.answers, to: survey.definition, from: command.channel, hiddenAnswers: .refuse)
            if let problem = review.problems.first { throw problem.failure }
            let rows = AnswerRow.rows(of: review.kept, in: survey.definition)

            let recorded: Recorded
            if let id = try await insertResponse(command, on: connection) {
                recorded = .stored(id)
            } else if command.replacesEarlier, let earlier = try await lockEarlier(command, on: connection) {
                guard earlier.lastChange <= command.submittedAt else { return .olderThanStored(earlier.id) }
                try await connection.query(
                    """
                    UPDATE responses SET departement = \(command.profile.departement?.rawValue), age_band = \(command.profile.ageBand?.rawValue),
                        occupation = \(command.profile.occupation?.rawValue), association = \(command.profile.association?.rawValue),
                        revised_at = \(command.submittedAt)
                    WHERE id = \(earlier.id)
                    """,
                    logger: logger
                )
                try await connection.query("DELETE FROM answers WHERE response_id = \(earlier.id)", logger: logger)
                recorded = .replaced(earlier.id)
            } else {
                return .alreadyAnswered
            }
            let responseID: UUID
            switch recorded {
            case .stored(let id), .replaced(let id): responseID = id
            default: return recorded
            }
            try await insert(rows, of: responseID, command, on: connection)
            if let staff = command.enteredBy {
                try await StaffAudit.record(
                    recorded == .replaced(responseID) ? "survey.response_corrected" : "survey.response_entered",
                    by: staff.staffID, named: staff.staffName, objectType: "survey", objectID: command.surveyID.uuidString.lowercased(),
                    details: ["response": responseID.uuidString.lowercased(), "channel": command.channel.rawValue],
                    service: SurveyService.name, on: connection, logger: logger
                )
            }
            try await Outbox.enqueue(
                SurveyResponseSubmitted(
                    surveyID: command.surveyID, responseID: responseID, channel: command.channel, profile: command.profile,
                    closedAnswers: AnswerRow.closedAnswers(of: review.kept, in: survey.definition), submittedAt: command.submittedAt,
                    replacesEarlier: recorded == .replaced(responseID)
                ),
                on: connection, logger: logger
            )
            let texts = rows.compactMap { row in
                row.textID.map { id in
                    SurveyAnswerSubmitted(content: SubmittedContent(
                        contentID: id, ownerService: .surveys, title: survey.definition.question(row.questionID)?.prompt, text: row.text ?? "",
                        authorAccountID: command.respondent.accountID, authorName: nil, consultationID: survey.definition.consultationID,
                        submittedAt: command.submittedAt
                    ))
                }
            }
            try await Outbox.enqueue(all: texts, on: connection, logger: logger)
            return recorded
        }
    }

    /// The response a person gave, and whether they may still change it.
    public func mine(_ request: GetMySurveyResponse) async throws -> MySurveyResponse {
        guard request.respondent.isIdentified else {
            throw RequestFailure(code: .invalid, message: "Indiquez qui a répondu : un compte ou une adresse confirmée.", field: "respondent")
        }
        let survey = try await SurveyStore(client: client, logger: logger).survey(request.surveyID)
        let email = request.respondent.confirmedEmail.map(EmailAddress.normalized)
        let found = try await client.query(
            """
            SELECT id, channel, departement, age_band, occupation, association, submitted_at, revised_at FROM responses
            WHERE survey_id = \(request.surveyID) AND (account_id = \(request.respondent.accountID) OR email_normalized = \(email))
            ORDER BY account_id = \(request.respondent.accountID) DESC NULLS LAST, recorded_at LIMIT 1
            """,
            logger: logger
        )
        let editable = try await Self.isAnswerable(request.surveyID, client: client, logger: logger)
        var view: SurveyResponseView?
        for try await (id, channel, departement, ageBand, occupation, association, submittedAt, revisedAt) in found.decode(
            (UUID, String, String?, String?, String?, String?, Date, Date?).self
        ) {
            let profile = Self.profile(departement: departement, ageBand: ageBand, occupation: occupation, association: association)
            view = SurveyResponseView(
                id: id, surveyID: request.surveyID, channel: SurveyChannel(rawValue: channel) ?? .web, profile: profile, answers: [:],
                submittedAt: submittedAt, revisedAt: revisedAt
            )
        }
        if let id = view?.id {
            let rows = try await client.query(
                "SELECT question_id, kind, value, number, text, day::text FROM answers WHERE response_id = \(id)", logger: logger
            )
            var answerRows: [AnswerRow] = []
            for try await (question, kind, value, number, text, day) in rows.decode((String, String, String, Double?, String?, String?).self) {
                guard let kind = AnswerRow.Kind(rawValue: kind) else { continue }
                answerRows.append(AnswerRow(questionID: question, kind: kind, value: value, number: number, text: text, day: day))
            }
            view?.answers = AnswerRow.answers(of: answerRows, in: survey.definition)
        }
        return MySurveyResponse(response: view, editable: editable)
    }

    /// `account.erased`: the person's responses stay (they count in the results) but no longer
    /// say whose they are.
    public static func unlinkResponses(of event: AccountErased, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            UPDATE responses SET account_id = NULL, email_normalized = NULL
            WHERE account_id = \(event.accountID) OR email_normalized = ANY(\(event.normalizedEmails))
            """,
            logger: logger
        )
    }
}

extension SurveyResponseStore {
    /// The survey, if it takes answers now: published, open, and between its dates.
    static func answerable(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> SurveyView {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: SurveyStore.columns), status = \(SurveyStatus.open.rawValue) AND opens_at <= now(), closes_at <= now()
            FROM surveys WHERE id = \(id)
            """,
            logger: logger
        )
        for try await (id, status, revision, document, createdAt, updatedAt, publishedAt, opened, ended) in rows.decode(
            (UUID, String, Int, String, Date, Date, Date?, Bool, Bool).self
        ) {
            guard status != SurveyStatus.closed.rawValue, !ended else {
                throw RequestFailure(code: .conflict, message: "Cette enquête est close : elle ne prend plus de réponses.", field: "survey")
            }
            guard opened else {
                throw RequestFailure(code: .conflict, message: "Cette enquête n'est pas encore ouverte aux réponses.", field: "survey")
            }
            return SurveyView(
                id: id, status: SurveyStatus(rawValue: status) ?? .open, revision: revision,
                definition: try MessageCoding.decode(SurveyDefinition.self, from: Array(document.utf8)), createdAt: createdAt, updatedAt: updatedAt,
                publishedAt: publishedAt
            )
        }
        throw SurveyStore.notFound
    }

    static func isAnswerable(_ id: UUID, client: PostgresClient, logger: Logger) async throws -> Bool {
        let rows = try await client.query(
            "SELECT status = \(SurveyStatus.open.rawValue) AND opens_at <= now() AND closes_at > now() FROM surveys WHERE id = \(id)",
            logger: logger
        )
        return try await rows.decode(Bool.self).reduce(false) { $0 || $1 }
    }

    /// A web response names its person as the survey's audience asks; a paper or in-person
    /// questionnaire names the staff member who entered it and nobody else.
    private static func checkRespondent(_ command: SubmitSurveyResponse, audience: SurveyAudience) throws {
        switch command.channel {
        case .web:
            guard command.enteredBy == nil else {
                throw RequestFailure(code: .invalid, message: "Une réponse saisie par l'équipe vient du papier ou d'une rencontre.", field: "channel")
            }
            guard command.respondent.isIdentified else {
                throw RequestFailure(code: .invalid, message: "Une réponse en ligne vient d'un compte ou d'une adresse confirmée.", field: "respondent")
            }
            if audience == .signedIn && command.respondent.accountID == nil {
                throw RequestFailure(code: .conflict, message: "Cette enquête est réservée aux personnes connectées à leur compte.", field: "respondent")
            }
        case .paper, .inPerson:
            guard command.enteredBy != nil else {
                throw RequestFailure(code: .invalid, message: "Un questionnaire papier ou recueilli en personne est saisi par l'équipe.", field: "enteredBy")
            }
            guard !command.respondent.isIdentified else {
                throw RequestFailure(code: .invalid, message: "Un questionnaire saisi par l'équipe n'est lié à aucun compte.", field: "respondent")
            }
        }
    }

    /// Inserts the response unless its person has one already; returns its id when inserted.
    private func insertResponse(_ command: SubmitSurveyResponse, on connection: PostgresConnection) async throws -> UUID? {
        let id = UUID()
        let profile = command.profile
        let rows = try await connection.query(
            """
            INSERT INTO responses (id, survey_id, account_id, email_normalized, channel, departement, age_band, occupation, association,
                entered_by, entered_by_name, submitted_at)
            VALUES (\(id), \(command.surveyID), \(command.respondent.accountID), \(command.respondent.confirmedEmail.map(EmailAddress.normalized)),
                \(command.channel.rawValue), \(profile.departement?.rawValue), \(profile.ageBand?.rawValue), \(profile.occupation?.rawValue),
                \(profile.association?.rawValue), \(command.enteredBy?.staffID), \(command.enteredBy?.staffName), \(command.submittedAt))
            ON CONFLICT DO NOTHING
            RETURNING id
            """,
            logger: logger
        )
        var inserted: UUID?
        for try await id in rows.decode(UUID.self) { inserted = id }
        return inserted
    }

    /// The person's stored response, locked for an edit: by account first, else by address.
    private func lockEarlier(_ command: SubmitSurveyResponse, on connection: PostgresConnection) async throws -> (id: UUID, lastChange: Date)? {
        let account = command.respondent.accountID
        let email = command.respondent.confirmedEmail.map(EmailAddress.normalized)
        guard account != nil || email != nil else { return nil }
        let rows = try await connection.query(
            """
            SELECT id, coalesce(revised_at, submitted_at) FROM responses
            WHERE survey_id = \(command.surveyID) AND (account_id = \(account) OR email_normalized = \(email))
            ORDER BY account_id = \(account) DESC NULLS LAST LIMIT 1
            FOR UPDATE
            """,
            logger: logger
        )
        var found: (UUID, Date)?
        for try await row in rows.decode((UUID, Date).self) { found = row }
        return found
    }

    /// Inserts a response's rows, each with the response's channel and profile.
    private func insert(
        _ rows: [AnswerRow], of response: UUID, _ command: SubmitSurveyResponse, on connection: PostgresConnection
    ) async throws {
        guard !rows.isEmpty else { return }
        var seen = Set<String>()
        let firsts = rows.map { seen.insert($0.questionID).inserted }
        let profile = command.profile
        // Optional numbers, texts and days travel as text arrays ('' for none): arrays of
        // optionals have no binary encoding here.
        try await connection.query(
            """
            INSERT INTO answers (response_id, survey_id, question_id, kind, value, number, text, day, text_id, first_of_answer,
                channel, departement, age_band, occupation, association)
            SELECT \(response), \(command.surveyID), question_id, kind, value, NULLIF(number, '')::float8, CASE WHEN has_text THEN text END,
                NULLIF(day, '')::date, NULLIF(text_id, '')::uuid, first_of_answer, \(command.channel.rawValue), \(profile.departement?.rawValue),
                \(profile.ageBand?.rawValue), \(profile.occupation?.rawValue), \(profile.association?.rawValue)
            FROM unnest(
                \(rows.map(\.questionID))::text[], \(rows.map(\.kind.rawValue))::text[], \(rows.map(\.value))::text[],
                \(rows.map { $0.number.map { String($0) } ?? "" })::text[], \(rows.map { $0.text ?? "" })::text[],
                \(rows.map { $0.text != nil })::boolean[], \(rows.map { $0.day ?? "" })::text[],
                \(rows.map { $0.textID?.uuidString ?? "" })::text[], \(firsts)::boolean[]
            ) AS answer(question_id, kind, value, number, text, has_text, day, text_id, first_of_answer)
            """,
            logger: logger
        )
    }
}
