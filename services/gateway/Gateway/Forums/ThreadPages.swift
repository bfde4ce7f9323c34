import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// A thread's pages: its posts, a page at a time (`/forums/fils/{id}?page=`), replying and
/// quoting, a post's stable link (`/forums/messages/{id}`, to whatever page shows it today)
/// and its author's change within 15 minutes.
struct ThreadPages: Sendable {
    let web: WebDependencies

    static let replyFields = FormFieldNames(["body": "texte"], otherwise: "texte")

    func register(on pages: SecuredRoutes) {
        pages.get("forums/fils/{id}", .everyone) { request, context in try await thread(request, context) }
        pages.get("forums/fils/{id}/repondre", .signedIn) { request, context in
            let query = request.uri.queryParameters
            let attempt = ReplyAttempt(parent: query.get("a"), quote: query.get("citer"))
            return try await replyPage(request, context, attempt: attempt, errors: FormErrors())
        }
        pages.post("forums/fils/{id}/repondre", .signedIn) { request, context in try await reply(request, context) }
        pages.get("forums/messages/{id}", .everyone) { _, context in
            let location = try await call.ask(LocateForumPost(postID: try context.requiredID(), viewerAccountID: context.account?.id))
            return PageRenderer.redirect(to: ForumWriter.link(location))
        }
        pages.get("forums/messages/{id}/modifier", .signedIn) { request, context in
            let location = try await ownPost(context)
            return try editPage(request, context, post: location.post, body: location.post.body, errors: FormErrors())
        }
        pages.post("forums/messages/{id}/modifier", .signedIn) { request, context in try await edit(request, context) }
        pages.post("forums/messages/{id}/reagir", .signedIn) { request, context in try await react(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }
    private var writer: ForumWriter { ForumWriter(call: call) }

    // MARK: Reading

    private func thread(_ request: Request, _ context: WebContext) async throws -> Response {
        let page = max(1, min(request.uri.queryParameters.get("page", as: Int.self) ?? 1, 100_000))
        let thread = try await call.ask(GetForumThread(threadID: try context.requiredID(), page: page, viewerAccountID: context.account?.id))
        // A thread merged into another: its old links lead there, for good.
        if let into = thread.thread.mergedInto {
            return Response(status: .movedPermanently, headers: [.location: "/forums/fils/\(into.uuidString.lowercased())"])
        }
        let model = ThreadPageModel(thread, viewer: context.account)
        let title = thread.pageCount > 1 ? "\(thread.thread.title) – page \(thread.page) sur \(thread.pageCount)" : thread.thread.title
        return web.render(Page("forum-thread", title: title, model: model), request, context)
    }

    // MARK: Replying

    private func replyPage(
        _ request: Request, _ context: WebContext, attempt: ReplyAttempt, errors: FormErrors, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let account = try context.requireAccount()
        let threadID = try context.requiredID()
        let thread = try await call.ask(GetForumThread(threadID: threadID, viewerAccountID: account.id))
        guard account.isConfirmed else {
            let model = ForumUnconfirmedPage(backLink: "/forums/fils/\(threadID.uuidString.lowercased())", backLabel: "Revenir au fil « \(thread.thread.title) »")
            return web.render(Page("forum-unconfirmed", title: "Adresse électronique à confirmer", status: status, model: model), request, context)
        }
        // The post answered or quoted, shown above the form (wherever it is in the thread).
        var answered: ForumPostView?
        if let id = attempt.parent { answered = try? await call.ask(LocateForumPost(postID: id)).post }
        var quoted: ForumPostView?
        if let id = attempt.quote { quoted = try? await call.ask(LocateForumPost(postID: id)).post }
        let model = ReplyForm(thread: thread, attempt: attempt, answered: answered, quoted: quoted, errors: errors)
        let title = Page.title("Répondre dans « \(thread.thread.title) »", hasErrors: !errors.isEmpty)
        return web.render(Page("forum-reply", title: title, status: status, model: model), request, context)
    }

    private func reply(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let threadID = try context.requiredID()
        let attempt = ReplyAttempt(context.form)
        guard account.isConfirmed else { return try await replyPage(request, context, attempt: attempt, errors: FormErrors(), status: .forbidden) }
        var errors = FormErrors()
        if let problem = ForumPostRules.bodyProblem(attempt.body) { errors.add("texte", problem.message) }
        guard errors.isEmpty else { return try await replyPage(request, context, attempt: attempt, errors: errors, status: .unprocessableContent) }
        let post: ForumPostView
        do {
            post = try await writer.reply(in: threadID, to: attempt.parent, quoting: attempt.quote, body: attempt.body, by: account)
        } catch let refusal as APIError where refusal.status == .badRequest || refusal.status == .conflict {
            errors.add(refusal, in: Self.replyFields)
            return try await replyPage(request, context, attempt: attempt, errors: errors, status: refusal.status == .conflict ? .conflict : .unprocessableContent)
        }
        let location = try await call.ask(LocateForumPost(postID: post.id, viewerAccountID: account.id))
        return PageRenderer.redirect(to: ForumWriter.link(location, notice: .postSent))
    }

    // MARK: Reacting

    /// One reaction per person and post: a second one replaces the first. Back to the post.
    private func react(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let location = try await call.ask(LocateForumPost(postID: try context.requiredID(), viewerAccountID: account.id))
        guard let reaction = context.form["reaction"].flatMap(ForumReaction.init(formValue:)) else {
            throw APIError.invalid("reaction", "Choisissez « D'accord », « Pas d'accord » ou « Je passe ».")
        }
        _ = try await writer.react(to: location.post.id, with: reaction, by: account)
        return PageRenderer.redirect(to: ForumWriter.link(location))
    }

    // MARK: Editing

    /// The signed-in person's own post; anyone else's is not found.
    private func ownPost(_ context: WebContext) async throws -> ForumPostLocation {
        let account = try context.requireAccount()
        let location = try await call.ask(LocateForumPost(postID: try context.requiredID(), viewerAccountID: account.id))
        guard location.post.authorAccountID == account.id else { throw HTTPError(.notFound) }
        return location
    }

    private func editPage(
        _ request: Request, _ context: WebContext, post: ForumPostView, body: String, errors: FormErrors, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let model = PostEditForm(post: post, body: body, errors: errors)
        let title = Page.title("Modifier votre message", hasErrors: !errors.isEmpty)
        return web.render(Page("forum-post-edit", title: title, status: status, model: model), request, context)
    }

    private func edit(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let location = try await ownPost(context)
        let body = context.form["texte"] ?? ""
        var errors = FormErrors()
        if let problem = ForumPostRules.bodyProblem(body) { errors.add("texte", problem.message) }
        guard errors.isEmpty else { return try editPage(request, context, post: location.post, body: body, errors: errors, status: .unprocessableContent) }
        do {
            _ = try await writer.edit(location.post.id, body: body, by: account)
        } catch let refusal as APIError where refusal.status == .badRequest || refusal.status == .conflict || refusal.status == .forbidden {
            errors.add(refusal, in: Self.replyFields)
            let status: HTTPResponse.Status = refusal.status == .badRequest ? .unprocessableContent : refusal.status
            return try editPage(request, context, post: location.post, body: body, errors: errors, status: status)
        }
        return PageRenderer.redirect(to: ForumWriter.link(location, notice: .postEdited))
    }
}

/// A reply as the form sends it (or a link to the form proposes it: `?a=` answers a post, `?citer=` quotes one).
struct ReplyAttempt {
    var parent: UUID?
    var quote: UUID?
    var body = ""

    init(_ form: FormFields) {
        parent = form["parent"].flatMap(UUID.init(uuidString:))
        quote = form["citation"].flatMap(UUID.init(uuidString:))
        body = form["texte"] ?? ""
    }

    init(parent: String?, quote: String?) {
        self.parent = parent.flatMap(UUID.init(uuidString:))
        self.quote = quote.flatMap(UUID.init(uuidString:))
    }
}
