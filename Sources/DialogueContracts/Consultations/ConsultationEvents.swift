// What the consultation service publishes about contributions.

public struct TestimonySubmitted: ContentSubmission {
    public static let contentType = ContentType.testimony
    public var content: SubmittedContent
    public init(content: SubmittedContent) { self.content = content }
}

public struct ProposalSubmitted: ContentSubmission {
    public static let contentType = ContentType.proposal
    public var content: SubmittedContent
    public init(content: SubmittedContent) { self.content = content }
}
