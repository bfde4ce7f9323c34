public import DialogueContracts
import Foundation
public import Logging
public import PostgresNIO
import Storage

/// Computes results in PostgreSQL: counts, shares and percentiles from the answer tallies
/// (`004_answer_tallies.sql`, one row per distinct answer and profile, kept by triggers),
/// cross-tabs from the answer rows, which carry their response's channel and profile so that
/// no query joins every response; only the figures come back, never the answers, whatever the
/// number of responses.
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

        // One read of the tallies the filter keeps (see `004_answer_tallies.sql`): how many
        // answered each question, chose each value, and gave each number, from which counts,
        // shares and exact percentiles follow here without another pass over the answers.
        let (responseCount, tallies) = try await Self.withoutJIT(client, logger: logger) { connection in
            let responseCount = try await connection.query(
                "WITH \(kept: survey, filter) SELECT count(*) FROM kept", logger: logger
            ).decode(Int.self).reduce(0, +)
            var tallies: [(question: String, kind: String, value: String, number: Double?, answers: Int, answered: Int)] = []
            let rows = try await connection.query(
                """
                SELECT a.question_id, a.kind, a.value, a.number, sum(a.answers)::int8, sum(a.answered)::int8
                FROM answer_tallies a WHERE \(answersOf: survey, filter)
                GROUP BY 1, 2, 3, 4 HAVING sum(a.answers) > 0
                """,
                logger: logger
            )
            for try await (question, kind, value, number, answers, answered) in rows.decode((String, String, String, Double?, Int, Int).self) {
                tallies.append((question, kind, value, number, answers, answered))
            }
            return (responseCount, tallies)
        }

        var answered: [String: Int] = [:]
        // How many chose each value; for rankings and matrices, at each position or point.
        struct CountKey: Hashable { let question: String, kind: String, value: String, point: Int }
        var counts: [CountKey: Int] = [:]
        // Numbers, scale points and matrix rows: how many times each number was given, one
        // distribution per question (per row for a matrix).
        struct SummaryKey: Hashable { let question: String, row: String }
        var distributions: [SummaryKey: [(number: Double, count: Int)]] = [:]
        let countedKinds: Set<String> = ["option", "other", "rank", "point", "row", "place"]
        let numericKinds: Set<String> = ["number", "point", "row"]
        for tally in tallies {
            answered[tally.question, default: 0] += tally.answered
            if countedKinds.contains(tally.kind) {
                let point = tally.kind == "rank" || tally.kind == "row" ? Int(tally.number ?? 0) : 0
                counts[CountKey(question: tally.question, kind: tally.kind, value: tally.value, point: point), default: 0] += tally.answers
            }
            if numericKinds.contains(tally.kind), let number = tally.number {
                distributions[SummaryKey(question: tally.question, row: tally.kind == "row" ? tally.value : ""), default: []].append((number, tally.answers))
            }
        }
        let summaries = distributions.compactMapValues(SurveyNumberSummary.init(distribution:))

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

        let (responseCount, found) = try await Self.withoutJIT(client, logger: logger) { connection in
            let responseCount = try await connection.query(
                "WITH \(kept: survey, filter) SELECT count(*) FROM kept", logger: logger
            ).decode(Int.self).reduce(0, +)
            // Each axis is a (response, value) relation; a response counts in the cell of each
            // pair of its values. The axis's SQL is one of the fixed texts `Axis` picks from.
            let rows = try await connection.query(
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
            return (responseCount, found)
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
    /// Runs `body` in a transaction without JIT compilation: these aggregates take tens of
    /// milliseconds, and compiling them (which the planner's estimates for a large survey
    /// trigger) would cost more than a second.
    static func withoutJIT<Result: Sendable>(
        _ client: PostgresClient, logger: Logger, _ body: nonisolated(nonsending) (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        try await client.transaction(logger: logger) { connection in
            try await connection.query("SET LOCAL jit = off", logger: logger)
            return try await body(connection)
        }
    }
}

extension SurveyNumberSummary {
    /// The summary of numbers given `count` times each, as PostgreSQL's `avg` and
    /// `percentile_cont` compute it: a quartile interpolates linearly between the two values
    /// whose ranks surround its position.
    init?(distribution: [(number: Double, count: Int)]) {
        let sorted = distribution.filter { $0.count > 0 }.sorted { $0.number < $1.number }
        let total = sorted.reduce(0) { $0 + $1.count }
        guard total > 0, let first = sorted.first, let last = sorted.last else { return nil }
        // The value at a rank (0-based) of the sorted numbers.
        func value(at rank: Int) -> Double {
            var seen = 0
            for (number, count) in sorted {
                seen += count
                if rank < seen { return number }
            }
            return last.number
        }
        func percentile(_ fraction: Double) -> Double {
            let position = fraction * Double(total - 1)
            let lower = position.rounded(.down)
            let below = value(at: Int(lower))
            let above = value(at: Int(position.rounded(.up)))
            return below + (position - lower) * (above - below)
        }
        self.init(
            count: total, minimum: first.number, maximum: last.number,
            mean: sorted.reduce(0) { $0 + $1.number * Double($1.count) } / Double(total),
            lowerQuartile: percentile(0.25), median: percentile(0.5), upperQuartile: percentile(0.75)
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
