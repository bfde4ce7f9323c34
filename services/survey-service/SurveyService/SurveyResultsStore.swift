public import DialogueContracts
import Foundation
public import Logging
public import PostgresNIO

/// Computes results in PostgreSQL: counts, percentiles and cross-tabs are aggregates over the
/// answer rows of the responses a filter keeps (each row carries its response's channel and
/// profile, so no query joins every response); only the figures come back, never the
/// answers, whatever the number of responses.
public struct SurveyResultsStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func results(_ request: GetSurveyResults) async throws -> SurveyResults {
        let definition = try await SurveyStore(client: client, logger: logger).survey(request.surveyID).definition
        let survey = request.surveyID
        let filter = request.filter

        let responseCount = try await client.query(
            "WITH \(kept: survey, filter) SELECT count(*) FROM kept", logger: logger
        ).decode(Int.self).reduce(0, +)

        var answered: [String: Int] = [:]
        let answeredRows = try await client.query(
            "SELECT a.question_id, count(*) FROM answers a WHERE \(answersOf: survey, filter) AND a.first_of_answer GROUP BY a.question_id",
            logger: logger
        )
        for try await (question, count) in answeredRows.decode((String, Int).self) { answered[question] = count }

        // How many chose each value; for rankings and matrices, at each position or point.
        struct CountKey: Hashable { let question: String, kind: String, value: String, point: Int }
        var counts: [CountKey: Int] = [:]
        let countRows = try await client.query(
            """
            SELECT a.question_id, a.kind, a.value, CASE WHEN a.kind IN ('rank', 'row') THEN a.number::int8 ELSE 0 END, count(*)
            FROM answers a
            WHERE \(answersOf: survey, filter) AND a.kind IN ('option', 'other', 'rank', 'point', 'row', 'place')
            GROUP BY 1, 2, 3, 4
            """,
            logger: logger
        )
        for try await (question, kind, value, point, count) in countRows.decode((String, String, String, Int, Int).self) {
            counts[CountKey(question: question, kind: kind, value: value, point: point)] = count
        }

        // Numbers, scale points and matrix rows: their distribution, one line per question (per row for a matrix).
        struct SummaryKey: Hashable { let question: String, row: String }
        var summaries: [SummaryKey: SurveyNumberSummary] = [:]
        let summaryRows = try await client.query(
            """
            SELECT a.question_id, CASE WHEN a.kind = 'row' THEN a.value ELSE '' END, count(*), min(a.number), max(a.number), avg(a.number),
                percentile_cont(ARRAY[0.25, 0.5, 0.75]::float8[]) WITHIN GROUP (ORDER BY a.number)
            FROM answers a
            WHERE \(answersOf: survey, filter) AND a.kind IN ('number', 'point', 'row')
            GROUP BY 1, 2
            """,
            logger: logger
        )
        for try await (question, row, count, minimum, maximum, mean, quartiles) in summaryRows.decode(
            (String, String, Int, Double, Double, Double, [Double]).self
        ) where quartiles.count == 3 {
            summaries[SummaryKey(question: question, row: row)] = SurveyNumberSummary(
                count: count, minimum: minimum, maximum: maximum, mean: mean, lowerQuartile: quartiles[0], median: quartiles[1], upperQuartile: quartiles[2]
            )
        }

        func share(_ count: Int, of total: Int) -> Double { total == 0 ? 0 : Double(count) * 100 / Double(total) }
        var questions: [SurveyQuestionResults] = []
        for (_, question) in definition.orderedQuestions where question.kind.takesAnswer {
            let id = question.id
            let total = answered[id] ?? 0
            var result = SurveyQuestionResults(questionID: id, type: question.kind.type, answeredCount: total)
            func count(_ kind: AnswerRow.Kind, _ value: String, point: Int = 0) -> Int {
                counts[CountKey(question: id, kind: kind.rawValue, value: value, point: point)] ?? 0
            }
            switch question.kind {
            case .singleChoice(let options, let allowsOther), .multipleChoice(let options, let allowsOther, _, _):
                result.counts = options.map { SurveyCount(value: $0.id, count: count(.option, $0.id), percentage: share(count(.option, $0.id), of: total)) }
                if allowsOther { result.otherCount = count(.other, AnswerRow.otherValue) }
            case .scale(let scale):
                result.counts = (scale.minimum...max(scale.minimum, scale.maximum)).map { point in
                    SurveyCount(value: String(point), count: count(.point, String(point)), percentage: share(count(.point, String(point)), of: total))
                }
                result.summary = summaries[SummaryKey(question: id, row: "")]
            case .number:
                result.summary = summaries[SummaryKey(question: id, row: "")]
            case .place:
                let places = counts.filter { $0.key.question == id && $0.key.kind == AnswerRow.Kind.place.rawValue }
                result.counts = places.sorted { ($1.value, $0.key.value) < ($0.value, $1.key.value) }.map {
                    SurveyCount(value: $0.key.value, count: $0.value, percentage: share($0.value, of: total))
                }
            case .matrix(let rows, let scale):
                result.rows = rows.map { row in
                    let points = (scale.minimum...max(scale.minimum, scale.maximum)).map { count(.row, row.id, point: $0) }
                    let rowTotal = points.reduce(0, +)
                    return SurveyMatrixRowResults(
                        rowID: row.id, answeredCount: rowTotal,
                        counts: zip(scale.minimum...max(scale.minimum, scale.maximum), points).map {
                            SurveyCount(value: String($0), count: $1, percentage: share($1, of: rowTotal))
                        },
                        summary: summaries[SummaryKey(question: id, row: row.id)]
                    )
                }
            case .ranking(let options, let rankedCount):
                let positions = rankedCount ?? options.count
                result.ranks = options.map { option in
                    let byPosition = (0..<max(positions, 0)).map { count(.rank, option.id, point: $0 + 1) }
                    let ranked = byPosition.reduce(0, +)
                    let weighted = byPosition.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }
                    return SurveyRankResults(optionID: option.id, countsByPosition: byPosition, meanPosition: ranked == 0 ? nil : Double(weighted) / Double(ranked))
                }
            case .shortText, .longText, .date, .sectionHeader:
                break
            }
            questions.append(result)
        }
        return SurveyResults(surveyID: survey, filter: filter, responseCount: responseCount, questions: questions)
    }

    public func crossTab(_ request: GetSurveyCrossTab) async throws -> SurveyCrossTab {
        let definition = try await SurveyStore(client: client, logger: logger).survey(request.surveyID).definition
        guard request.rows != request.columns else {
            throw RequestFailure(code: .invalid, message: "Croisez deux critères différents.", field: "columns")
        }
        let rowAxis = try Axis(request.rows, in: definition, field: "rows")
        let columnAxis = try Axis(request.columns, in: definition, field: "columns")
        let survey = request.surveyID
        let filter = request.filter

        let responseCount = try await client.query(
            "WITH \(kept: survey, filter) SELECT count(*) FROM kept", logger: logger
        ).decode(Int.self).reduce(0, +)
        // Each axis is a (response, value) relation; a response counts in the cell of each
        // pair of its values. The axis's SQL is one of the fixed texts `Axis` picks from.
        let rows = try await client.query(
            """
            WITH \(kept: survey, filter),
            row_axis AS (\(axis: rowAxis, survey, filter)),
            column_axis AS (\(axis: columnAxis, survey, filter))
            SELECT row_axis.value, column_axis.value, count(*)
            FROM row_axis JOIN column_axis ON column_axis.response_id = row_axis.response_id
            GROUP BY 1, 2
            """,
            logger: logger
        )
        var found: [String: [String: Int]] = [:]
        for try await (rowValue, columnValue, count) in rows.decode((String, String, Int).self) {
            found[rowValue, default: [:]][columnValue] = count
        }
        // Values the definition does not list (a commune) come after, in order.
        let rowValues = rowAxis.values + Set(found.keys).subtracting(rowAxis.values).sorted()
        let columnValues = columnAxis.values + Set(found.values.flatMap(\.keys)).subtracting(columnAxis.values).sorted()
        return SurveyCrossTab(
            surveyID: survey, rows: request.rows, columns: request.columns, filter: filter, rowValues: rowValues, columnValues: columnValues,
            counts: rowValues.map { row in columnValues.map { found[row]?[$0] ?? 0 } }, responseCount: responseCount,
            responsesMayCountTwice: rowAxis.mayCountTwice || columnAxis.mayCountTwice
        )
    }
}

/// One axis of a cross-tab: the SQL relation `(response_id, value)` it reads (a fixed text,
/// chosen here from a closed list; a question's answers are filtered and its id bound), and
/// every value it may take, in the order tables list them.
struct Axis {
    let relation: String
    /// The question whose answers the relation reads, bound after its text.
    let questionID: String?
    let values: [String]
    let mayCountTwice: Bool

    init(_ dimension: SurveyDimension, in definition: SurveyDefinition, field: String) throws {
        switch dimension {
        case .channel:
            relation = "SELECT id AS response_id, channel AS value FROM kept"
            questionID = nil
            values = SurveyChannel.allCases.map(\.rawValue)
            mayCountTwice = false
        case .profile(let profileField):
            let column = switch profileField {
            case .departement: "departement"
            case .ageBand: "age_band"
            case .occupation: "occupation"
            case .association: "association"
            }
            relation = "SELECT id AS response_id, \(column) AS value FROM kept WHERE \(column) IS NOT NULL"
            questionID = nil
            values = profileField.values
            mayCountTwice = false
        case .question(let id):
            guard let question = definition.question(id) else {
                throw RequestFailure(code: .invalid, message: "La question « \(id) » n'existe pas dans cette enquête.", field: field)
            }
            switch question.kind {
            case .singleChoice(let options, let allowsOther), .multipleChoice(let options, let allowsOther, _, _):
                values = options.map(\.id) + (allowsOther ? [AnswerRow.otherValue] : [])
                mayCountTwice = question.kind.type == .multipleChoice
            case .scale(let scale):
                values = (scale.minimum...max(scale.minimum, scale.maximum)).map(String.init)
                mayCountTwice = false
            case .place(let level):
                values = level == .departement ? Region.departements.keys.sorted() : []
                mayCountTwice = false
            default:
                throw RequestFailure(
                    code: .invalid, message: "« \(question.prompt) » ne se croise pas : choisissez une question à choix, une échelle ou un lieu.",
                    field: field
                )
            }
            relation = "SELECT a.response_id, a.value FROM answers a WHERE a.kind IN ('option', 'other', 'point', 'place') AND a.question_id ="
            questionID = id
        }
    }
}

extension PostgresQuery.StringInterpolation {
    /// An axis's relation: a question's id bound and its answers filtered.
    mutating func appendInterpolation(axis: Axis, _ survey: UUID, _ filter: SurveyResultsFilter) {
        appendLiteral(axis.relation)
        if let questionID = axis.questionID {
            appendLiteral(" ")
            appendInterpolation(questionID)
            appendLiteral(" AND ")
            appendInterpolation(answersOf: survey, filter)
        }
    }

    /// The condition on answer rows `a` of a survey that the filter keeps, every value bound.
    mutating func appendInterpolation(answersOf survey: UUID, _ filter: SurveyResultsFilter) {
        appendLiteral("a.survey_id = ")
        appendInterpolation(survey)
        for (column, values) in filter.columns where !values.isEmpty {
            appendLiteral(" AND a.\(column) = ANY(")
            appendInterpolation(values)
            appendLiteral("::text[])")
        }
    }

    /// `kept AS (…)`: the responses of a survey a filter keeps, with their channel and profile,
    /// every value bound. An empty list keeps every value of its field.
    mutating func appendInterpolation(kept survey: UUID, _ filter: SurveyResultsFilter) {
        appendLiteral("kept AS (SELECT id, channel, departement, age_band, occupation, association FROM responses WHERE survey_id = ")
        appendInterpolation(survey)
        for (column, values) in filter.columns where !values.isEmpty {
            appendLiteral(" AND \(column) = ANY(")
            appendInterpolation(values)
            appendLiteral("::text[])")
        }
        appendLiteral(")")
    }
}

extension SurveyResultsFilter {
    /// Each list with the column it filters, in `responses` and `answers` alike.
    var columns: [(column: String, values: [String])] {
        [
            ("departement", departements.map(\.rawValue)), ("age_band", ageBands.map(\.rawValue)),
            ("occupation", occupations.map(\.rawValue)), ("association", associations.map(\.rawValue)),
            ("channel", channels.map(\.rawValue)),
        ]
    }
}
