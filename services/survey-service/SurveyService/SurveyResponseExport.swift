public import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Storage

/// Pages of a survey's responses for staff exports, by keyset on the response id: each page
/// is one index range scan of `responses_by_survey_id` and one lookup of its answers by primary
/// key, so the cost of a page does not grow with how far the export has gone.
///
/// Free texts are exported unless moderation rejected them (`006_free_text_moderation.sql`):
/// a rejected text is an empty cell, as if it had not been written.
extension SurveyResponseStore {
    public func exportPage(_ request: ListSurveyResponsesForExport) async throws -> SurveyResponseExportPage {
        guard (1...ListSurveyResponsesForExport.largestPage).contains(request.limit) else {
            throw RequestFailure(
                code: .invalid, message: "Une page d'export compte de 1 à \(ListSurveyResponsesForExport.largestPage) réponses.", field: "limit"
            )
        }
        let survey = try await SurveyStore(client: client, logger: logger).survey(request.surveyID)
        if request.after == nil {
            try await client.transaction(logger: logger) { connection in
                try await StaffAudit.record(
                    "survey.responses_exported", by: request.staffID, named: request.staffName, objectType: "survey",
                    objectID: survey.id.uuidString.lowercased(), details: ["title": survey.definition.title, "format": request.format],
                    service: SurveyService.name, on: connection, logger: logger
                )
            }
        }

        // The nil UUID sorts before every other: the first page starts after it.
        let after = request.after ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let found = try await client.query(
            """
            SELECT id, channel, departement, age_band, occupation, association, submitted_at, revised_at FROM responses
            WHERE survey_id = \(request.surveyID) AND id > \(after)
            ORDER BY id LIMIT \(request.limit + 1)
            """,
            logger: logger
        )
        var responses: [SurveyResponseView] = []
        for try await (id, channel, departement, ageBand, occupation, association, submittedAt, revisedAt) in found.decode(
            (UUID, String, String?, String?, String?, String?, Date, Date?).self
        ) {
            responses.append(SurveyResponseView(
                id: id, surveyID: request.surveyID, channel: SurveyChannel(rawValue: channel) ?? .web,
                profile: Self.profile(departement: departement, ageBand: ageBand, occupation: occupation, association: association),
                answers: [:], submittedAt: submittedAt, revisedAt: revisedAt
            ))
        }
        // One row more than the page tells whether another page follows.
        let hasMore = responses.count > request.limit
        if hasMore { responses.removeLast() }

        var rowsByResponse: [UUID: [AnswerRow]] = [:]
        if !responses.isEmpty {
            let rows = try await client.query(
                """
                SELECT response_id, question_id, kind, value, number,
                       CASE WHEN moderation_status = \(ModerationStatus.rejected.rawValue) THEN NULL ELSE text END, day::text
                FROM answers WHERE response_id = ANY(\(responses.map(\.id)))
                """,
                logger: logger
            )
            for try await (response, question, kind, value, number, text, day) in rows.decode(
                (UUID, String, String, String, Double?, String?, String?).self
            ) {
                guard let kind = AnswerRow.Kind(rawValue: kind) else { continue }
                rowsByResponse[response, default: []].append(AnswerRow(questionID: question, kind: kind, value: value, number: number, text: text, day: day))
            }
        }
        for index in responses.indices {
            responses[index].answers = AnswerRow.answers(of: rowsByResponse[responses[index].id] ?? [], in: survey.definition)
        }
        return SurveyResponseExportPage(responses: responses, next: hasMore ? responses.last?.id : nil)
    }

    /// The profile a response was given with, from its stored columns.
    static func profile(departement: String?, ageBand: String?, occupation: String?, association: String?) -> SurveyProfile {
        SurveyProfile(
            departement: departement.flatMap(SurveyDepartement.init(rawValue:)), ageBand: ageBand.flatMap(SurveyAgeBand.init(rawValue:)),
            occupation: occupation.flatMap(SurveyOccupation.init(rawValue:)), association: association.flatMap(SurveyAssociationMembership.init(rawValue:))
        )
    }
}
