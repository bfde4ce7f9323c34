public import Foundation

/// One page of a survey's responses for a staff export, in a stable order (by response id), so
/// that the gateway writes each page as it arrives and a million responses never sit in one
/// message nor in one process. The first page (`after == nil`) is the export itself in the
/// staff audit: the service records it there before answering.
///
/// Responses carry their channel, dates, the profile they gave and their answers, but not who
/// gave them (no account, no address): an export holds no personal field.
public struct ListSurveyResponsesForExport: DialogueRequest {
    public static let messageType = "survey.responses.export"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.surveys
    public typealias Response = SurveyResponseExportPage

    /// The most responses one page holds: a page of long answers still fits a message.
    public static let largestPage = 5_000

    public var surveyID: UUID
    /// The last response of the previous page (keyset), nil for the first.
    public var after: UUID?
    public var limit: Int
    /// What is exported (`csv`, `json`), as the audit entry names it.
    public var format: String
    public var staffID: UUID
    public var staffName: String

    public init(surveyID: UUID, after: UUID? = nil, limit: Int = 2_000, format: String, staffID: UUID, staffName: String) {
        self.surveyID = surveyID
        self.after = after
        self.limit = limit
        self.format = format
        self.staffID = staffID
        self.staffName = staffName
    }
}

public struct SurveyResponseExportPage: Codable, Sendable, Equatable {
    /// In ascending id order.
    public var responses: [SurveyResponseView]
    /// What to pass as `after` for the next page; nil when this page is the last.
    public var next: UUID?

    public init(responses: [SurveyResponseView], next: UUID?) {
        self.responses = responses
        self.next = next
    }
}
