import DialogueContracts
import Foundation
import Identity
import ServiceKit

// What the thread templates (`forum-thread`, `forum-reply`, `forum-post-edit`) show.

/// One post as a thread shows it, with its anchor and the actions its reader may take.
struct PostItem {
    struct Quote {
        let author: String
        let excerpt: String
        let link: String
    }

    struct ReactionButton {
        let value: String
        let label: String
        let count: Int
        let chosen: Bool
    }

    let id: String
    let anchor: String
    let permalink: String
    let author: String
    let writtenAt: String
    let edited: Bool
    let paragraphs: [String]
    /// Shown to its author only, until moderation lets it through.
    let waiting: Bool
    // Nothing here is optional: a reply's missing value would let Mustache find its parent post's.
    /// The quoted post, or none.
    let quotes: [Quote]
    let canReply: Bool
    let replyLink: String
    let quoteLink: String
    let canEdit: Bool
    let editLink: String
    /// The reaction buttons (d'accord, pas d'accord, je passe), with their counts.
    let canReact: Bool
    let reactAction: String
    let reactions: [ReactionButton]
    let reactionSummary: String
    let hasChosen: Bool
    let chosenLabel: String
    let replies: [PostItem]
    let hasReplies: Bool

    /// - Parameter anchorPrefix: another prefix where the post is shown a second time (pinned), so ids stay unique.
    init(
        _ post: ForumPostView, threadLink: String, quoted: ForumPostView?, viewer: Account?, canWrite: Bool, replies: [PostItem] = [],
        anchorPrefix: String = "message-"
    ) {
        let id = post.id.uuidString.lowercased()
        self.id = id
        anchor = "\(anchorPrefix)\(id)"
        permalink = ForumWriter.permalink(post.id)
        author = post.authorName ?? ForumWriter.anonymous
        writtenAt = FrenchDate.dateTime(post.createdAt)
        edited = post.editedAt != nil
        paragraphs = ForumText.paragraphs(post.body)
        waiting = !post.visible
        quotes = post.quotedPostID.map { quotedID in
            [Quote(
                author: quoted.map { $0.authorName ?? ForumWriter.anonymous } ?? "un participant",
                excerpt: quoted.map { String($0.body.prefix(300)) + ($0.body.count > 300 ? "…" : "") } ?? "Message cité",
                link: ForumWriter.permalink(quotedID)
            )]
        } ?? []
        let top = post.parentPostID?.uuidString.lowercased() ?? id
        canReply = canWrite && post.visible
        replyLink = "\(threadLink)/repondre?a=\(top)"
        quoteLink = "\(threadLink)/repondre?citer=\(id)"
        canEdit = canWrite && viewer != nil && post.authorAccountID == viewer?.id && post.editableByAuthor()
        editLink = "\(permalink)/modifier"
        canReact = canWrite && post.visible
        reactAction = "\(permalink)/reagir"
        let counts = post.reactions
        reactions = ForumReaction.allCases.map { reaction in
            let count = switch reaction {
            case .agree: counts.agree
            case .disagree: counts.disagree
            case .pass: counts.pass
            }
            return ReactionButton(value: reaction.formValue, label: reaction.label, count: count, chosen: counts.mine == reaction)
        }
        reactionSummary = "D'accord : \(counts.agree) · Pas d'accord : \(counts.disagree) · Je passe : \(counts.pass)"
        hasChosen = counts.mine != nil
        chosenLabel = counts.mine?.label.lowercased() ?? ""
        self.replies = replies
        hasReplies = !replies.isEmpty
    }
}

/// `/forums/fils/{id}`: a page of the thread, each top-level post with its replies.
struct ThreadPageModel {
    struct PageLink {
        let number: Int
        let link: String
        let current: Bool
    }

    let forumLink: String
    let forumTitle: String
    let question: String
    let title: String
    let closed: Bool
    /// The conclusion staff wrote when closing it.
    let conclusion: [String]
    let hasConclusion: Bool
    let pinned: [PostItem]
    let hasPinned: Bool
    let posts: [PostItem]
    let canWrite: Bool
    let signedIn: Bool
    let replyAction: String
    let bodyField: FormField
    let pages: [PageLink]
    let paginated: Bool
    let pageInfo: String

    init(_ page: ForumThreadPage, viewer: Account?) {
        let threadLink = "/forums/fils/\(page.thread.id.uuidString.lowercased())"
        forumLink = "/forums/\(page.forum.id.uuidString.lowercased())"
        forumTitle = page.forum.title
        question = page.forum.question
        title = page.thread.title
        closed = page.thread.status == .closed || !page.forum.takesPosts()
        conclusion = ForumText.paragraphs(page.thread.conclusion ?? "")
        hasConclusion = page.thread.conclusion != nil
        canWrite = !closed && viewer != nil
        signedIn = viewer != nil
        replyAction = "\(threadLink)/repondre"
        bodyField = ForumText.bodyField(value: "", error: nil, label: "Votre réponse")
        let byID = Dictionary(page.posts.map { ($0.id, $0) }) { first, _ in first }
        let writable = !closed && viewer != nil
        func item(_ post: ForumPostView, replies: [PostItem] = []) -> PostItem {
            PostItem(post, threadLink: threadLink, quoted: post.quotedPostID.flatMap { byID[$0] }, viewer: viewer, canWrite: writable, replies: replies)
        }
        posts = page.posts.filter { $0.parentPostID == nil }.map { top in
            item(top, replies: page.posts.filter { $0.parentPostID == top.id }.map { item($0) })
        }
        pinned = page.pinned.map { PostItem($0, threadLink: threadLink, quoted: nil, viewer: nil, canWrite: false, anchorPrefix: "epingle-") }
        hasPinned = !pinned.isEmpty
        pages = (1...page.pageCount).map { PageLink(number: $0, link: "\(threadLink)?page=\($0)", current: $0 == page.page) }
        paginated = page.pageCount > 1
        pageInfo = "Page \(page.page) sur \(page.pageCount)"
    }
}

/// `/forums/fils/{id}/repondre`: the form, with the post answered or quoted above it.
struct ReplyForm {
    let threadLink: String
    let threadTitle: String
    let action: String
    let parent: String?
    let quote: String?
    let answered: PostItem?
    let quoted: PostItem?
    let errors: ErrorSummary?
    let bodyField: FormField

    init(thread: ForumThreadPage, attempt: ReplyAttempt, answered: ForumPostView?, quoted: ForumPostView?, errors: FormErrors) {
        let threadLink = "/forums/fils/\(thread.thread.id.uuidString.lowercased())"
        self.threadLink = threadLink
        threadTitle = thread.thread.title
        action = "\(threadLink)/repondre"
        parent = attempt.parent?.uuidString.lowercased()
        quote = attempt.quote?.uuidString.lowercased()
        self.answered = answered.map { PostItem($0, threadLink: threadLink, quoted: nil, viewer: nil, canWrite: false) }
        self.quoted = quoted.map { PostItem($0, threadLink: threadLink, quoted: nil, viewer: nil, canWrite: false) }
        self.errors = errors.summary
        bodyField = ForumText.bodyField(value: attempt.body, error: errors["texte"], label: "Votre réponse")
    }
}

/// `/forums/messages/{id}/modifier`.
struct PostEditForm {
    let action: String
    let backLink: String
    let errors: ErrorSummary?
    let bodyField: FormField

    init(post: ForumPostView, body: String, errors: FormErrors) {
        action = "\(ForumWriter.permalink(post.id))/modifier"
        backLink = ForumWriter.permalink(post.id)
        self.errors = errors.summary
        bodyField = ForumText.bodyField(value: body, error: errors["texte"])
    }
}
