import DialogueContracts
import Foundation
import HTTPTypes
import Identity

/// Writes in forums for an account: who may (a confirmed address), under which name, and the
/// one path of the pages (and of the API) to the consultation service.
struct ForumWriter: Sendable {
    let call: ServiceCall

    /// How a post's author is named to the public when they chose no display name.
    static let anonymous = "Participant anonyme"

    /// Refused before anything is sent: posts are moderated and their author told, so the address must be confirmed.
    static let unconfirmed = APIError(
        status: .forbidden, code: "email_unconfirmed",
        message: "Confirmez d'abord votre adresse électronique pour écrire dans les forums."
    )

    static func author(_ account: Account) throws -> ForumAuthor {
        guard account.isConfirmed else { throw unconfirmed }
        return ForumAuthor(accountID: account.id, publicName: account.publicName)
    }

    func openThread(in forum: UUID, title: String, body: String, by account: Account) async throws -> ForumPostView {
        try await call.ask(OpenForumThread(forumID: forum, title: title, body: body, author: try Self.author(account)))
    }

    func reply(in thread: UUID, to parent: UUID?, quoting quoted: UUID?, body: String, by account: Account) async throws -> ForumPostView {
        try await call.ask(ReplyInForumThread(threadID: thread, parentPostID: parent, quotedPostID: quoted, body: body, author: try Self.author(account)))
    }

    func react(to post: UUID, with reaction: ForumReaction, by account: Account) async throws -> ForumReactionCounts {
        _ = try Self.author(account)
        return try await call.ask(ReactToForumPost(postID: post, accountID: account.id, reaction: reaction))
    }

    func edit(_ post: UUID, body: String, by account: Account) async throws -> ForumPostView {
        _ = try Self.author(account)
        return try await call.ask(EditForumPost(postID: post, body: body, authorAccountID: account.id))
    }

    /// Where a post is shown now, as a link: its thread's page and the post's anchor.
    static func link(_ location: ForumPostLocation, notice: ForumNotice? = nil) -> String {
        let thread = location.post.threadID.uuidString.lowercased()
        let query = ["page=\(location.page)"] + (notice.map { ["statut=\($0.rawValue)"] } ?? [])
        return "/forums/fils/\(thread)?\(query.joined(separator: "&"))#message-\(location.post.id.uuidString.lowercased())"
    }

    /// The post's stable link, whatever page it is on today.
    static func permalink(_ post: UUID) -> String {
        "/forums/messages/\(post.uuidString.lowercased())"
    }
}
