public import DialogueContracts
import Foundation
public import Logging
public import PostgresNIO
import ServiceKit

/// Free texts after moderation: each decision on a `survey_answer` is kept on its answer row,
/// and staff list the texts moderation published, with the results' filters.
public struct SurveyFreeTextStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// The decisions whose text is listed: published, and shown.
    static let listedStatuses = ModerationStatus.allCases.filter { $0 != .pending && $0.isVisible }

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Applies moderation's decision on a free text (decisions on other content are not ours).
    /// A decision older than the last one applied is ignored; a text replaced by its person's
    /// edit has no row any more, and the decision changes nothing.
    static func apply(_ decision: ModerationDecisionMade, on connection: PostgresConnection, logger: Logger) async throws {
        guard decision.contentType == .surveyAnswer else { return }
        let listed = decision.visible && listedStatuses.contains(decision.status)
        try await connection.query(
            """
            UPDATE answers SET moderation_status = \(decision.status.rawValue), moderation_listed = \(listed),
                moderation_revision = \(decision.revision)
            WHERE text_id = \(decision.contentID) AND moderation_revision < \(decision.revision)
            """,
            logger: logger
        )
    }

    public func list(_ request: ListSurveyFreeTexts) async throws -> SurveyFreeTextPage {
        let definition = try await SurveyStore(client: client, logger: logger).survey(request.surveyID).definition
        guard let question = definition.question(request.questionID), question.kind.takesFreeText else {
            throw RequestFailure(code: .invalid, message: "Cette question n'appelle pas de texte libre.", field: "questionID")
        }
        let limit = min(max(request.limit, 1), 200)
        let offset = max(request.offset, 0)
        let (survey, filter, questionID) = (request.surveyID, request.filter, request.questionID)
        let rows = try await client.query(
            """
            SELECT a.text, a.channel, a.departement, coalesce(r.revised_at, r.submitted_at), count(*) OVER ()
            FROM answers a JOIN responses r ON r.id = a.response_id
            WHERE \(answersOf: survey, filter) AND a.question_id = \(questionID) AND a.moderation_listed AND a.text IS NOT NULL
            ORDER BY 4 DESC, a.response_id
            LIMIT \(limit) OFFSET \(offset)
            """,
            logger: logger
        )
        var items: [SurveyFreeText] = []
        var total = 0
        for try await (text, channel, departement, answeredAt, count) in rows.decode((String, String, String?, Date, Int).self) {
            items.append(SurveyFreeText(
                text: text, channel: SurveyChannel(rawValue: channel) ?? .web, departement: departement.flatMap(SurveyDepartement.init(rawValue:)),
                answeredAt: answeredAt
            ))
            total = count
        }
        if items.isEmpty && offset > 0 {
            total = try await client.query(
                """
                SELECT count(*) FROM answers a
                WHERE \(answersOf: survey, filter) AND a.question_id = \(questionID) AND a.moderation_listed AND a.text IS NOT NULL
                """,
                logger: logger
            ).decode(Int.self).reduce(0, +)
        }
        return SurveyFreeTextPage(questionID: questionID, items: items, total: total, offset: offset, limit: limit)
    }
}
