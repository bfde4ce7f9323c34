public import Foundation

/// The published contributions of a consultation closest to a proposal being written (French
/// full-text relevance, the most relevant first), shown so its author can support one of them
/// instead (« soutenir plutôt celle-ci »).
public struct FindSimilarContributions: DialogueRequest {
    public static let messageType = "contribution.similar"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ContributionList

    public static let maximumLimit = 5

    public var consultationID: UUID
    public var title: String
    public var text: String
    /// The person writing, to say which they support already.
    public var viewerAccountID: UUID?
    public var limit: Int

    public init(consultationID: UUID, title: String, text: String, viewerAccountID: UUID? = nil, limit: Int = FindSimilarContributions.maximumLimit) {
        self.consultationID = consultationID
        self.title = title
        self.text = text
        self.viewerAccountID = viewerAccountID
        self.limit = limit
    }
}
