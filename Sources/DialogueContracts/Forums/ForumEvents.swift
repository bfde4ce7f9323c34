// What the consultation service publishes about forums.

public struct ForumPostSubmitted: ContentSubmission {
    public static let contentType = ContentType.forumPost
    public var content: SubmittedContent
    public init(content: SubmittedContent) { self.content = content }
}
