import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// A forum's short statements (`/forums/{id}/affirmations`): one statement at a time to
/// answer — d'accord, pas d'accord, je passe — each answer a plain form that leads to the
/// next, and the form that proposes a statement (140 characters, moderated).
struct StatementPages: Sendable {
    let web: WebDependencies

    static let statementFields = FormFieldNames(["text": "affirmation"], otherwise: "affirmation")

    func register(on pages: SecuredRoutes) {
        pages.get("forums/{id}/affirmations", .everyone) { request, context in
            try await statements(request, context, proposal: "", errors: FormErrors())
        }
        pages.post("forums/{id}/affirmations", .signedIn) { request, context in try await submit(request, context) }
        pages.post("forums/{id}/affirmations/voter", .signedIn) { request, context in try await vote(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    private func statements(
        _ request: Request, _ context: WebContext, proposal: String, errors: FormErrors, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let forumID = try context.requiredID()
        let model: StatementPageModel
        if let account = context.account, account.isConfirmed {
            let next = try await call.ask(GetNextStatement(forumID: forumID, accountID: account.id))
            model = StatementPageModel(forum: next.forum, next: next, canVote: true, signedIn: true, proposal: proposal, errors: errors)
        } else {
            let forum = try await call.ask(GetForum(forumID: forumID)).forum
            model = StatementPageModel(forum: forum, next: nil, canVote: false, signedIn: context.account != nil, proposal: proposal, errors: errors)
        }
        let title = Page.title("Affirmations du forum « \(model.forumTitle) »", hasErrors: !errors.isEmpty)
        return web.render(Page("forum-statements", title: title, status: status, model: model), request, context)
    }

    private func submit(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let forumID = try context.requiredID()
        let text = (context.form["affirmation"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FormErrors()
        guard account.isConfirmed else { throw ForumWriter.unconfirmed }
        if let problem = StatementRules.problem(text) {
            errors.add("affirmation", problem.message)
            return try await statements(request, context, proposal: text, errors: errors, status: .unprocessableContent)
        }
        do {
            _ = try await call.ask(SubmitStatement(forumID: forumID, text: text, author: try ForumWriter.author(account)))
        } catch let refusal as APIError where refusal.status == .badRequest || refusal.status == .conflict {
            errors.add(refusal, in: Self.statementFields)
            return try await statements(request, context, proposal: text, errors: errors, status: refusal.status == .conflict ? .conflict : .unprocessableContent)
        }
        return PageRenderer.redirect(to: "/forums/\(forumID.uuidString.lowercased())/affirmations", notice: ForumNotice.statementSent)
    }

    /// Records the answer and shows the next statement.
    private func vote(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let forumID = try context.requiredID()
        guard let statement = context.form["affirmation"].flatMap(UUID.init(uuidString:)) else {
            throw APIError.invalid("affirmation", "L'affirmation à laquelle vous répondez manque : revenez à la page des affirmations.")
        }
        guard let vote = context.form["vote"].flatMap(ForumReaction.init(formValue:)) else {
            throw APIError.invalid("vote", "Choisissez « D'accord », « Pas d'accord » ou « Je passe ».")
        }
        guard account.isConfirmed else { throw ForumWriter.unconfirmed }
        _ = try await call.ask(VoteOnStatement(statementID: statement, accountID: account.id, vote: vote))
        return PageRenderer.redirect(to: "/forums/\(forumID.uuidString.lowercased())/affirmations", notice: ForumNotice.statementAnswered)
    }
}

/// `/forums/{id}/affirmations`: the statement to answer, and the form that proposes one.
struct StatementPageModel {
    struct Choice {
        let value: String
        let label: String
    }

    let forumLink: String
    let forumTitle: String
    let question: String
    let action: String
    let voteAction: String
    let takesPosts: Bool
    let signedIn: Bool
    /// Signed in with a confirmed address.
    let canVote: Bool
    let statementID: String?
    let statementText: String?
    let hasStatement: Bool
    let answered: Int
    let remaining: Int
    let choices: [Choice]
    let errors: ErrorSummary?
    let proposalField: FormField

    init(forum: ForumView, next: NextStatement?, canVote: Bool, signedIn: Bool, proposal: String, errors: FormErrors) {
        let id = forum.id.uuidString.lowercased()
        forumLink = "/forums/\(id)"
        forumTitle = forum.title
        question = forum.question
        action = "/forums/\(id)/affirmations"
        voteAction = "/forums/\(id)/affirmations/voter"
        takesPosts = forum.takesPosts()
        self.signedIn = signedIn
        self.canVote = canVote && forum.takesPosts()
        statementID = next?.statement?.id.uuidString.lowercased()
        statementText = next?.statement?.text
        hasStatement = next?.statement != nil
        answered = next?.answered ?? 0
        remaining = next?.remaining ?? 0
        choices = ForumReaction.allCases.map { Choice(value: $0.formValue, label: $0.label) }
        self.errors = errors.summary
        proposalField = FormField(
            name: "affirmation", label: "Votre affirmation", value: proposal,
            hint: "Une idée en une phrase, 140 caractères au plus. Les autres participants diront s'ils sont d'accord. La modération la relit.",
            error: errors["affirmation"], required: true, rows: 3
        )
    }
}
