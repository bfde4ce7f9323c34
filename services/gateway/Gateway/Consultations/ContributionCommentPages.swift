import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import Wording

/// A published contribution's page (`/contributions/{id}`): the contribution, what became of
/// it, and its comments — a page of top-level comments at a time with their replies (one
/// level), the forms to comment and reply for a signed-in citizen with a confirmed address.
/// A comment goes to moderation with the consultation's policy; a refused one comes back with
/// its message next to the field and the text kept.
struct ContributionCommentPages: Sendable {
    let web: WebDependencies

    func register(on pages: SecuredRoutes) {
        pages.get("contributions/{id}", .everyone) { request, context in
            try await page(request, context, contributionID: try context.requiredID(), form: CommentForm())
        }
        pages.post("contributions/{id}/commentaires", .signedIn) { request, context in try await comment(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    /// What was typed in one of the page's comment forms, and its error.
    struct CommentForm {
        /// The comment replied to (nil: the form of a new comment).
        var parentID: UUID?
        var body: String?
        var error: String?
    }

    private func comment(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let contributionID = try context.requiredID()
        let parentID = context.form["parent"].flatMap(UUID.init(uuidString:))
        let comment = CommentOnContribution(
            contributionID: contributionID, parentID: parentID, body: context.form.raw("body") ?? "", authorAccountID: account.id,
            authorName: account.publicName
        )
        guard account.isConfirmed else {
            let form = CommentForm(parentID: parentID, body: comment.body, error: "Confirmez d'abord votre adresse électronique : le lien vous a été envoyé.")
            return try await page(request, context, contributionID: contributionID, form: form, status: .forbidden)
        }
        if let problem = comment.problem {
            return try await page(
                request, context, contributionID: contributionID, form: CommentForm(parentID: parentID, body: comment.body, error: problem.message),
                status: .unprocessableContent
            )
        }
        do {
            _ = try await call.ask(comment)
        } catch let error as APIError where [.unprocessableContent, .badRequest, .conflict].contains(error.status)
            || (error.status == .notFound && error.field == "parent") {
            return try await page(
                request, context, contributionID: contributionID, form: CommentForm(parentID: parentID, body: comment.body, error: error.message),
                status: error.status == .conflict ? .conflict : .unprocessableContent
            )
        }
        let contribution = try await call.ask(GetContribution(contributionID: contributionID))
        let consultation = try await call.ask(GetConsultation(consultationID: contribution.consultationID))
        let notice: ConsultationNotice = consultation.definition.moderation == .afterPublication ? .commentReceived : .commentInModeration
        return PageRenderer.redirect(to: "\(SitePath.contribution(contributionID).path)?statut=\(notice.rawValue)#commentaires")
    }

    /// The contribution's page, with a comment form as typed (and its error).
    func page(
        _ request: Request, _ context: WebContext, contributionID: UUID, form: CommentForm, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let contribution = try await call.ask(GetContribution(contributionID: contributionID, viewerAccountID: context.account?.id))
        let view = try await call.ask(GetConsultation(consultationID: contribution.consultationID))
        let isMine = try await isOwn(contribution, context)
        let pageNumber = request.uri.queryParameters.get("page").flatMap(Int.init).map { max(1, min($0, 10_000)) } ?? 1
        let comments = try await call.ask(ListContributionComments(contributionID: contributionID, viewerAccountID: context.account?.id, page: pageNumber))
        let section = CommentSection(
            comments, contributionID: contributionID, account: context.account, isOpen: view.status == .open, form: form
        )
        var model = ContributionPage(contribution, consultation: view, signedIn: context.account != nil, isMine: isMine, comments: section)
        model.cite(try await call.ask(ListContributionRecommendations(contributionID: contributionID)))
        let title = Page.title("\(contribution.title) – \(view.definition.title)", hasErrors: form.error != nil)
        return web.render(Page("contribution", title: title, status: status, model: model), request, context)
    }

    /// Whether the visitor wrote it: their own is never offered for support.
    private func isOwn(_ contribution: ContributionView, _ context: WebContext) async throws -> Bool {
        guard let account = context.account else { return false }
        do {
            _ = try await call.ask(GetOwnContribution(contributionID: contribution.id, accountID: account.id))
            return true
        } catch let error as APIError where error.status == .notFound {
            return false
        }
    }
}

/// The comments of a contribution's page, with its forms.
struct CommentSection {
    struct Reply {
        let author: String
        let date: String
        let body: String
        let pending: Bool
    }

    struct Comment {
        let id: String
        let author: String
        let date: String
        let body: String
        let pending: Bool
        let replies: [Reply]
        let hasReplies: Bool
        let canReply: Bool
        /// The reply typed to this comment, sent back with its error.
        let replyValue: String?
        let replyError: String?
    }

    let contributionID: String
    let comments: [Comment]
    let hasComments: Bool
    let totalText: String
    let signedIn: Bool
    let unconfirmed: Bool
    let canComment: Bool
    let closedMessage: String?
    let field: FormField
    let previousPage: String?
    let nextPage: String?
    let pageText: String?

    init(_ page: ContributionCommentPage, contributionID: UUID, account: Account?, isOpen: Bool, form: ContributionCommentPages.CommentForm) {
        let id = contributionID.uuidString.lowercased()
        self.contributionID = id
        signedIn = account != nil
        unconfirmed = account.map { !$0.isConfirmed } ?? false
        canComment = isOpen && account?.isConfirmed == true
        closedMessage = isOpen ? nil : "La consultation est close : ses contributions ne reçoivent plus de commentaires."
        func author(_ name: String?) -> String { name ?? "Anonyme" }
        let replying = form.parentID
        comments = page.items.map { comment in
            let isTarget = replying != nil && (replying == comment.id || comment.replies.contains { $0.id == replying })
            return Comment(
                id: comment.id.uuidString.lowercased(), author: author(comment.authorName), date: FrenchDate.day(comment.createdAt), body: comment.body,
                pending: comment.state != .published,
                replies: comment.replies.map {
                    Reply(author: author($0.authorName), date: FrenchDate.day($0.createdAt), body: $0.body, pending: $0.state != .published)
                },
                hasReplies: !comment.replies.isEmpty, canReply: isOpen && account?.isConfirmed == true && comment.state == .published,
                replyValue: isTarget ? form.body : nil, replyError: isTarget ? form.error : nil
            )
        }
        hasComments = !comments.isEmpty
        totalText = page.total == 1 ? "1 commentaire" : "\(page.total) commentaires"
        let newComment = form.parentID == nil
        field = FormField(
            name: "body", label: "Votre commentaire", value: newComment ? form.body : nil,
            hint: "Restez courtois et sur le sujet (2 à 3 000 caractères). L'équipe de modération relit chaque commentaire.",
            error: newComment ? form.error : nil, required: true, rows: 5
        )
        let pages = max(1, (page.total + ListContributionComments.pageSize - 1) / ListContributionComments.pageSize)
        previousPage = page.page > 1 ? "/contributions/\(id)?page=\(page.page - 1)#commentaires" : nil
        nextPage = page.page < pages ? "/contributions/\(id)?page=\(page.page + 1)#commentaires" : nil
        pageText = pages > 1 ? "Page \(min(page.page, pages)) sur \(pages)" : nil
    }
}
