import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// Staff running a forum: one forum's back-office page (its threads, its conclusion once it
/// ended) and one thread's (pin a post, close the thread with its conclusion, merge it into
/// another thread of the forum). Every action is audited by the consultation service.
struct StaffThreadPages: Sendable {
    let web: WebDependencies

    static let conclusionFields = FormFieldNames(["conclusion": "conclusion", "into": "fil-cible"], otherwise: "conclusion")

    func register(on admin: SecuredRoutes) {
        let staff = StaffForumPages.forumStaff
        admin.get("forums/{id}", staff) { request, context in try await forumPage(request, context, conclusion: nil, errors: FormErrors()) }
        admin.post("forums/{id}/conclusion", staff) { request, context in try await conclude(request, context) }
        admin.get("forums/fils/{id}", staff) { request, context in try await threadPage(request, context, errors: FormErrors(), typed: [:]) }
        admin.post("forums/fils/{id}/fermer", staff) { request, context in try await close(request, context) }
        admin.post("forums/fils/{id}/fusionner", staff) { request, context in try await merge(request, context) }
        admin.post("forums/messages/{id}/epingler", staff) { request, context in try await pin(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    // MARK: A forum

    private func forumPage(
        _ request: Request, _ context: WebContext, conclusion: String?, errors: FormErrors, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let page = try await call.ask(GetForum(forumID: try context.requiredID(), includeUpcoming: true))
        let model = StaffForumPage(page, conclusion: conclusion, errors: errors)
        let title = Page.title("Forum « \(page.forum.title) »", hasErrors: !errors.isEmpty)
        return web.render(Page("admin-forum", title: title, status: status, model: model), request, context)
    }

    private func conclude(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        let conclusion = context.form["conclusion"] ?? ""
        do {
            _ = try await call.ask(ConcludeForum(forumID: id, conclusion: conclusion, staffID: account.id, staffName: account.shownName))
        } catch let refusal as APIError where refusal.status == .badRequest || refusal.status == .conflict {
            var errors = FormErrors()
            errors.add(refusal, in: Self.conclusionFields)
            return try await forumPage(request, context, conclusion: conclusion, errors: errors, status: refusal.status == .conflict ? .conflict : .unprocessableContent)
        }
        return PageRenderer.redirect(to: "/admin/forums/\(id.uuidString.lowercased())", notice: ForumNotice.concluded)
    }

    // MARK: A thread

    private func threadPage(
        _ request: Request, _ context: WebContext, errors: FormErrors, typed: [String: String], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let page = max(1, min(request.uri.queryParameters.get("page", as: Int.self) ?? 1, 100_000))
        let thread = try await call.ask(GetForumThread(threadID: try context.requiredID(), page: page))
        if let into = thread.thread.mergedInto {
            return PageRenderer.redirect(to: "/admin/forums/fils/\(into.uuidString.lowercased())")
        }
        let others = try await call.ask(GetForum(forumID: thread.forum.id, includeUpcoming: true)).threads.filter { $0.id != thread.thread.id }
        let model = StaffThreadPage(thread, others: others, errors: errors, typed: typed)
        let title = Page.title("Fil « \(thread.thread.title) »", hasErrors: !errors.isEmpty)
        return web.render(Page("admin-forum-thread", title: title, status: status, model: model), request, context)
    }

    private func close(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        let conclusion = context.form["conclusion"] ?? ""
        do {
            _ = try await call.ask(CloseForumThread(threadID: id, conclusion: conclusion, staffID: account.id, staffName: account.shownName))
        } catch let refusal as APIError where refusal.status == .badRequest || refusal.status == .conflict {
            var errors = FormErrors()
            errors.add(refusal, in: Self.conclusionFields)
            return try await threadPage(request, context, errors: errors, typed: ["conclusion": conclusion], status: .unprocessableContent)
        }
        return PageRenderer.redirect(to: "/admin/forums/fils/\(id.uuidString.lowercased())", notice: ForumNotice.threadClosed)
    }

    private func merge(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        guard let into = context.form["fil-cible"].flatMap(UUID.init(uuidString:)) else {
            var errors = FormErrors()
            errors.add("fil-cible", "Choisissez le fil qui reçoit les messages de celui-ci.")
            return try await threadPage(request, context, errors: errors, typed: [:], status: .unprocessableContent)
        }
        do {
            _ = try await call.ask(MergeForumThreads(duplicateThreadID: id, intoThreadID: into, staffID: account.id, staffName: account.shownName))
        } catch let refusal as APIError where refusal.status == .badRequest {
            var errors = FormErrors()
            errors.add(refusal, in: Self.conclusionFields)
            return try await threadPage(request, context, errors: errors, typed: [:], status: .unprocessableContent)
        }
        return PageRenderer.redirect(to: "/admin/forums/fils/\(into.uuidString.lowercased())", notice: ForumNotice.threadsMerged)
    }

    private func pin(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let pinned = context.form["epingle"] == "1"
        let post = try await call.ask(PinForumPost(postID: try context.requiredID(), pinned: pinned, staffID: account.id, staffName: account.shownName))
        return PageRenderer.redirect(
            to: "/admin/forums/fils/\(post.threadID.uuidString.lowercased())", notice: pinned ? ForumNotice.postPinned : ForumNotice.postUnpinned
        )
    }
}
