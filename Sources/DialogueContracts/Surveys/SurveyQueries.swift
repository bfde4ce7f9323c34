public import Foundation

// What the site and the back-office read from the survey service, over RPC.

/// Reads one survey with its whole definition.
public struct GetSurvey: DialogueRequest {
    public static let messageType = "survey.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys
    public typealias Response = SurveyView

    public var surveyID: UUID

    public init(surveyID: UUID) {
        self.surveyID = surveyID
    }
}

/// A survey as the builder and the answering pages read it.
public struct SurveyView: Codable, Sendable, Equatable {
    public var id: UUID
    public var status: SurveyStatus
    /// Moves by one at each saved change; an update names the revision it started from.
    public var revision: Int
    public var definition: SurveyDefinition
    public var createdAt: Date
    public var updatedAt: Date
    public var publishedAt: Date?

    public init(id: UUID, status: SurveyStatus, revision: Int, definition: SurveyDefinition, createdAt: Date, updatedAt: Date, publishedAt: Date?) {
        self.id = id
        self.status = status
        self.revision = revision
        self.definition = definition
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.publishedAt = publishedAt
    }
}

/// Lists surveys, newest first, optionally of one status.
public struct ListSurveys: DialogueRequest {
    public static let messageType = "survey.list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys
    public typealias Response = SurveyList

    public var status: SurveyStatus?
    public var offset: Int
    public var limit: Int

    public init(status: SurveyStatus? = nil, offset: Int = 0, limit: Int = 20) {
        self.status = status
        self.offset = offset
        self.limit = limit
    }
}

/// One line of a list of surveys.
public struct SurveySummary: Codable, Sendable, Equatable {
    public var id: UUID
    public var title: String
    public var status: SurveyStatus
    public var opensAt: Date?
    public var closesAt: Date?
    public var questionCount: Int
    public var updatedAt: Date
    /// When its results become public; absent from an older service's answer.
    public var resultsVisibility: SurveyResultsVisibility?

    public init(
        id: UUID, title: String, status: SurveyStatus, opensAt: Date?, closesAt: Date?, questionCount: Int, updatedAt: Date,
        resultsVisibility: SurveyResultsVisibility? = nil
    ) {
        self.id = id
        self.title = title
        self.status = status
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.questionCount = questionCount
        self.updatedAt = updatedAt
        self.resultsVisibility = resultsVisibility
    }
}

/// A page of surveys, and how many match in all.
public struct SurveyList: Codable, Sendable, Equatable {
    public var items: [SurveySummary]
    public var total: Int

    public init(items: [SurveySummary], total: Int) {
        self.items = items
        self.total = total
    }
}

// Responses and results.

/// Reads the response a person gave to a survey, to show it back or edit it.
public struct GetMySurveyResponse: DialogueRequest {
    public static let messageType = "survey.response.get_mine"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys
    public typealias Response = MySurveyResponse

    public var surveyID: UUID
    /// An account or a confirmed address (`invalid` for an unidentified one).
    public var respondent: SurveyRespondent

    public init(surveyID: UUID, respondent: SurveyRespondent) {
        self.surveyID = surveyID
        self.respondent = respondent
    }
}

/// The person's response, or nil when they have not answered (or it is still in the queue).
public struct MySurveyResponse: Codable, Sendable, Equatable {
    public var response: SurveyResponseView?
    /// Whether the person may still change it: the survey is open and between its dates.
    public var editable: Bool

    public init(response: SurveyResponseView?, editable: Bool) {
        self.response = response
        self.editable = editable
    }
}

/// One stored response, as its person reads it back.
public struct SurveyResponseView: Codable, Sendable, Equatable {
    public var id: UUID
    public var surveyID: UUID
    public var channel: SurveyChannel
    public var profile: SurveyProfile
    public var answers: [String: SurveyAnswer]
    public var submittedAt: Date
    /// When the person last edited it, if they did.
    public var revisedAt: Date?

    public init(
        id: UUID, surveyID: UUID, channel: SurveyChannel, profile: SurveyProfile, answers: [String: SurveyAnswer], submittedAt: Date,
        revisedAt: Date?
    ) {
        self.id = id
        self.surveyID = surveyID
        self.channel = channel
        self.profile = profile
        self.answers = answers
        self.submittedAt = submittedAt
        self.revisedAt = revisedAt
    }
}

/// The results of every question of a survey over the responses the filter keeps, computed
/// in the database. Who may see them (`resultsVisibility`) is the caller's to decide.
public struct GetSurveyResults: DialogueRequest {
    public static let messageType = "survey.results"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys
    public typealias Response = SurveyResults

    public var surveyID: UUID
    public var filter: SurveyResultsFilter

    public init(surveyID: UUID, filter: SurveyResultsFilter = .all) {
        self.surveyID = surveyID
        self.filter = filter
    }
}

/// Per-question figures, in the definition's order (headers left out).
public struct SurveyResults: Codable, Sendable, Equatable {
    public var surveyID: UUID
    public var filter: SurveyResultsFilter
    /// The responses the filter keeps.
    public var responseCount: Int
    public var questions: [SurveyQuestionResults]

    public init(surveyID: UUID, filter: SurveyResultsFilter, responseCount: Int, questions: [SurveyQuestionResults]) {
        self.surveyID = surveyID
        self.filter = filter
        self.responseCount = responseCount
        self.questions = questions
    }
}

/// The figures of one question. Percentages are of `answeredCount` (for a multiple choice
/// they may add up to more than 100).
public struct SurveyQuestionResults: Codable, Sendable, Equatable {
    public var questionID: String
    public var type: SurveyQuestionType
    /// The kept responses that answered it.
    public var answeredCount: Int
    /// A line per option (choices, in the definition's order), per scale point (minimum to
    /// maximum), or per place code answered; empty for numbers, texts, dates, rankings and matrices.
    public var counts: [SurveyCount]
    /// Those who answered « autre, précisez », when the question offers it.
    public var otherCount: Int?
    /// Numbers and scales: median and quartiles.
    public var summary: SurveyNumberSummary?
    /// A matrix: a line per row.
    public var rows: [SurveyMatrixRowResults]
    /// A ranking: a line per option.
    public var ranks: [SurveyRankResults]

    public init(
        questionID: String, type: SurveyQuestionType, answeredCount: Int, counts: [SurveyCount] = [], otherCount: Int? = nil,
        summary: SurveyNumberSummary? = nil, rows: [SurveyMatrixRowResults] = [], ranks: [SurveyRankResults] = []
    ) {
        self.questionID = questionID
        self.type = type
        self.answeredCount = answeredCount
        self.counts = counts
        self.otherCount = otherCount
        self.summary = summary
        self.rows = rows
        self.ranks = ranks
    }
}

/// How many chose a value (an option id, a scale point, a place code), and their share.
public struct SurveyCount: Codable, Sendable, Equatable {
    public var value: String
    public var count: Int
    /// 0 to 100, of those who answered the question.
    public var percentage: Double

    public init(value: String, count: Int, percentage: Double) {
        self.value = value
        self.count = count
        self.percentage = percentage
    }
}

/// The distribution of the numbers answered (continuous quartiles, as `percentile_cont`).
public struct SurveyNumberSummary: Codable, Sendable, Equatable {
    public var count: Int
    public var minimum: Double
    public var maximum: Double
    public var mean: Double
    public var lowerQuartile: Double
    public var median: Double
    public var upperQuartile: Double

    public init(count: Int, minimum: Double, maximum: Double, mean: Double, lowerQuartile: Double, median: Double, upperQuartile: Double) {
        self.count = count
        self.minimum = minimum
        self.maximum = maximum
        self.mean = mean
        self.lowerQuartile = lowerQuartile
        self.median = median
        self.upperQuartile = upperQuartile
    }
}

/// One row of a matrix: how many rated it at each point, and its summary.
public struct SurveyMatrixRowResults: Codable, Sendable, Equatable {
    public var rowID: String
    public var answeredCount: Int
    public var counts: [SurveyCount]
    public var summary: SurveyNumberSummary?

    public init(rowID: String, answeredCount: Int, counts: [SurveyCount], summary: SurveyNumberSummary?) {
        self.rowID = rowID
        self.answeredCount = answeredCount
        self.counts = counts
        self.summary = summary
    }
}

/// One option of a ranking: how many put it at each position (first = index 0), and its mean position (1 = first).
public struct SurveyRankResults: Codable, Sendable, Equatable {
    public var optionID: String
    public var countsByPosition: [Int]
    public var meanPosition: Double?

    public init(optionID: String, countsByPosition: [Int], meanPosition: Double?) {
        self.optionID = optionID
        self.countsByPosition = countsByPosition
        self.meanPosition = meanPosition
    }
}

/// Counts one axis against another (profile field, channel or closed question) over the
/// responses the filter keeps: the table the statistics (chi-square, Fisher, Cramér's V,
/// masking of small cells) are computed from.
public struct GetSurveyCrossTab: DialogueRequest {
    public static let messageType = "survey.crosstab"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys
    public typealias Response = SurveyCrossTab

    public var surveyID: UUID
    public var rows: SurveyDimension
    public var columns: SurveyDimension
    public var filter: SurveyResultsFilter

    public init(surveyID: UUID, rows: SurveyDimension, columns: SurveyDimension, filter: SurveyResultsFilter = .all) {
        self.surveyID = surveyID
        self.rows = rows
        self.columns = columns
        self.filter = filter
    }
}

/// `counts[i][j]`: the responses whose row value is `rowValues[i]` and column value
/// `columnValues[j]`. Every possible value is listed, in the definition's order (options,
/// then `other` when offered; scale points; a profile field's values), even at zero.
/// A response with no value on an axis (not answered, not said) is in no cell.
public struct SurveyCrossTab: Codable, Sendable, Equatable {
    public var surveyID: UUID
    public var rows: SurveyDimension
    public var columns: SurveyDimension
    public var filter: SurveyResultsFilter
    public var rowValues: [String]
    public var columnValues: [String]
    public var counts: [[Int]]
    /// The responses the filter keeps (in a cell or not).
    public var responseCount: Int
    /// A multiple choice on an axis: a response may count in several cells, so a test of
    /// independence does not apply to the table.
    public var responsesMayCountTwice: Bool

    /// The value an « autre, précisez » answer takes on an axis (option ids cannot contain `*`).
    public static let otherValue = "*other"

    public init(
        surveyID: UUID, rows: SurveyDimension, columns: SurveyDimension, filter: SurveyResultsFilter, rowValues: [String], columnValues: [String],
        counts: [[Int]], responseCount: Int, responsesMayCountTwice: Bool
    ) {
        self.surveyID = surveyID
        self.rows = rows
        self.columns = columns
        self.filter = filter
        self.rowValues = rowValues
        self.columnValues = columnValues
        self.counts = counts
        self.responseCount = responseCount
        self.responsesMayCountTwice = responsesMayCountTwice
    }
}

/// The platform's survey settings (staff): the saved ones, or the defaults.
public struct GetSurveySettings: DialogueRequest {
    public static let messageType = "survey.settings.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys
    public typealias Response = SurveySettings

    public init() {}
}
