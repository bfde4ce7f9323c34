import DialogueContracts
import Foundation
import ServiceKit

// What the staff templates of a running forum (`admin-forum`, `admin-forum-thread`) show.

/// `/admin/forums/{id}`: the forum's threads for staff, and its conclusion once it ended.
struct StaffForumPage {
    struct Row {
        let link: String
        let title: String
        let status: String
        let posts: Int
        let reactions: Int
    }

    let publicLink: String
    let title: String
    let question: String
    let status: String
    let dates: String
    let ended: Bool
    let hasConclusion: Bool
    let conclusion: [String]
    let action: String
    let errors: ErrorSummary?
    let conclusionField: FormField
    let rows: [Row]
    let hasRows: Bool

    init(_ page: ForumPage, conclusion typed: String?, errors: FormErrors) {
        let forum = page.forum
        let id = forum.id.uuidString.lowercased()
        publicLink = "/forums/\(id)"
        title = forum.title
        question = forum.question
        status = ForumLabels.status(forum)
        dates = ForumLabels.dates(forum)
        ended = Date() >= forum.closesAt
        hasConclusion = forum.conclusion != nil
        conclusion = ForumText.paragraphs(forum.conclusion ?? "")
        action = "/admin/forums/\(id)/conclusion"
        self.errors = errors.summary
        conclusionField = FormField(
            name: "conclusion", label: "Conclusion du forum", value: typed ?? forum.conclusion ?? "",
            hint: "Ce que l'assemblée retient des échanges (10 à 5 000 caractères). Elle s'affiche sur la page du forum.",
            error: errors["conclusion"], required: true, rows: 8
        )
        rows = page.threads.map { thread in
            Row(
                link: "/admin/forums/fils/\(thread.id.uuidString.lowercased())", title: thread.title,
                status: thread.status == .closed ? "Fermé" : "Ouvert", posts: thread.postCount, reactions: thread.reactionCount
            )
        }
        hasRows = !rows.isEmpty
    }
}

/// `/admin/forums/fils/{id}`: a thread's posts with their pin buttons, the closing form
/// (a conclusion is required) and the merging form.
struct StaffThreadPage {
    struct Post {
        let id: String
        let author: String
        let excerpt: String
        let isReply: Bool
        let pinned: Bool
        let action: String
        let permalink: String
    }

    struct Other {
        let value: String
        let label: String
    }

    let forumLink: String
    let forumTitle: String
    let publicLink: String
    let title: String
    let closed: Bool
    let conclusion: [String]
    let posts: [Post]
    let errors: ErrorSummary?
    let closeAction: String
    let conclusionField: FormField
    let mergeAction: String
    let mergeError: String?
    let others: [Other]
    let hasOthers: Bool
    let paginated: Bool
    let previous: String?
    let next: String?
    let pageInfo: String

    init(_ page: ForumThreadPage, others: [ForumThreadSummary], errors: FormErrors, typed: [String: String]) {
        let id = page.thread.id.uuidString.lowercased()
        forumLink = "/admin/forums/\(page.forum.id.uuidString.lowercased())"
        forumTitle = page.forum.title
        publicLink = "/forums/fils/\(id)"
        title = page.thread.title
        closed = page.thread.status == .closed
        conclusion = ForumText.paragraphs(page.thread.conclusion ?? "")
        posts = page.posts.map { post in
            Post(
                id: post.id.uuidString.lowercased(), author: post.authorName ?? ForumWriter.anonymous,
                excerpt: String(post.body.prefix(200)) + (post.body.count > 200 ? "…" : ""), isReply: post.parentPostID != nil, pinned: post.pinned,
                action: "/admin/forums/messages/\(post.id.uuidString.lowercased())/epingler", permalink: ForumWriter.permalink(post.id)
            )
        }
        self.errors = errors.summary
        closeAction = "/admin/forums/fils/\(id)/fermer"
        conclusionField = FormField(
            name: "conclusion", label: "Conclusion du fil", value: typed["conclusion"] ?? "",
            hint: "Ce qui ressort de la discussion, affiché en tête du fil fermé (10 à 5 000 caractères).", error: errors["conclusion"],
            required: true, rows: 6
        )
        mergeAction = "/admin/forums/fils/\(id)/fusionner"
        mergeError = errors["fil-cible"]
        self.others = others.map { Other(value: $0.id.uuidString.lowercased(), label: $0.title) }
        hasOthers = !others.isEmpty
        paginated = page.pageCount > 1
        previous = page.page > 1 ? "/admin/forums/fils/\(id)?page=\(page.page - 1)" : nil
        next = page.page < page.pageCount ? "/admin/forums/fils/\(id)?page=\(page.page + 1)" : nil
        pageInfo = "Page \(page.page) sur \(page.pageCount)"
    }
}
