import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// The public forum pages: the list (`/forums`), one forum with its question and threads
/// (`/forums/{id}`) and its opinion map once shown, and the form that opens a thread in it.
struct PublicForumPages: Sendable {
    let web: WebDependencies

    static let threadFields = FormFieldNames(["title": "titre", "body": "texte"], otherwise: "texte")

    func register(on pages: SecuredRoutes) {
        pages.get("forums", .everyone) { request, context in try await list(request, context) }
        pages.get("forums/{id}", .everyone) { request, context in try await forum(request, context) }
        pages.get("forums/{id}/nouveau-fil", .signedIn) { request, context in
            let forum = try await call.ask(GetForum(forumID: try context.requiredID())).forum
            return try threadForm(request, context, forum: forum, title: "", body: "", errors: FormErrors())
        }
        pages.post("forums/{id}/nouveau-fil", .signedIn) { request, context in try await openThread(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    private func list(_ request: Request, _ context: WebContext) async throws -> Response {
        let forums = try await call.ask(ListForums())
        let model = ForumListPage(items: forums.items.map(ForumListPage.Item.init), empty: forums.items.isEmpty)
        return web.render(Page("forums", title: "Forums", model: model), request, context)
    }

    private func forum(_ request: Request, _ context: WebContext) async throws -> Response {
        let order = ForumThreadOrder.allCases.first { ForumPageModel.orderValue($0) == request.uri.queryParameters.get("tri") } ?? .activity
        let page = try await call.ask(GetForum(forumID: try context.requiredID(), order: order))
        let model = ForumPageModel(page, signedIn: context.account != nil, order: order, opinionMap: await opinionMap(of: page.forum.id))
        return web.render(Page("forum", title: page.forum.title, model: model), request, context)
    }

    /// The forum's map, when the synthesis reporter has one to show; the page goes without it
    /// when the reporter does not answer.
    private func opinionMap(of forum: UUID) async -> OpinionMapSection? {
        guard let map = try? await call.ask(GetForumOpinionMap(forumID: forum)), map.shown else { return nil }
        guard let statements = try? await call.ask(ListForumStatements(forumID: forum)) else { return nil }
        return OpinionMapSection(map, statements: statements.items.map(\.statement))
    }

    private func threadForm(
        _ request: Request, _ context: WebContext, forum: ForumView, title: String, body: String, errors: FormErrors, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let account = try context.requireAccount()
        guard account.isConfirmed else {
            let model = ForumUnconfirmedPage(backLink: "/forums/\(forum.id.uuidString.lowercased())", backLabel: "Revenir au forum « \(forum.title) »")
            return web.render(Page("forum-unconfirmed", title: "Adresse électronique à confirmer", status: status, model: model), request, context)
        }
        let model = ThreadForm(forum: forum, title: title, body: body, errors: errors)
        return web.render(Page("forum-thread-new", title: Page.title("Ouvrir un fil de discussion", hasErrors: !errors.isEmpty), status: status, model: model), request, context)
    }

    private func openThread(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let forum = try await call.ask(GetForum(forumID: try context.requiredID())).forum
        let title = context.form["titre"] ?? ""
        let body = context.form["texte"] ?? ""
        guard account.isConfirmed else { return try threadForm(request, context, forum: forum, title: title, body: body, errors: FormErrors(), status: .forbidden) }
        var errors = FormErrors()
        for problem in [ForumPostRules.titleProblem(title), ForumPostRules.bodyProblem(body)].compactMap({ $0 }) {
            errors.add(Self.threadFields.formField(for: problem.field), problem.message)
        }
        guard errors.isEmpty else { return try threadForm(request, context, forum: forum, title: title, body: body, errors: errors, status: .unprocessableContent) }
        do {
            _ = try await ForumWriter(call: call).openThread(in: forum.id, title: title, body: body, by: account)
        } catch let refusal as APIError where refusal.status == .badRequest || refusal.status == .conflict {
            errors.add(refusal, in: Self.threadFields)
            return try threadForm(request, context, forum: forum, title: title, body: body, errors: errors, status: refusal.status == .conflict ? .conflict : .unprocessableContent)
        }
        return PageRenderer.redirect(to: "/forums/\(forum.id.uuidString.lowercased())", notice: ForumNotice.threadSent)
    }
}
