import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import SurveyRules

/// Answering a survey without any script: one section a page, in order, skipping the
/// sections the person's answers hide; a question a new answer reveals on the same page shows
/// before moving on; an answer that a changed answer hides is dropped with a notice; the last
/// page sums up every answer before sending. Earlier answers travel in a hidden field and are
/// checked again by `SurveyAnswerCheck` at each step.
///
/// The same flow serves citizens (`/enquetes/{id}/repondre`) and staff trying a survey,
/// drafts included, with nothing sent (`/admin/enquetes/{id}/essai`). A citizen who already
/// answered starts from their response and sends it again to replace it (« modifier mes
/// réponses »), until the survey closes.
struct SurveyAnsweringFlow: Sendable {
    let web: WebDependencies
    let isPreview: Bool

    /// The hidden `etape` of the summary page.
    static let reviewStep = "fin"

    private var call: ServiceCall { ServiceCall(web: web) }
    private var desk: SurveyResponseDesk { SurveyResponseDesk(web: web) }

    /// What travels from page to page besides the answers.
    struct Journey {
        var answers: [String: SurveyAnswer] = [:]
        var profile = SurveyProfile()
        /// The person edits the response they gave.
        var replacing = false
        var dropped: [String] = []
        /// The mailed link's secret, for a person answering without an account: every page
        /// posts back to the link, checked again each time.
        var token: String?
    }

    /// Who answers through the pages: a signed-in citizen, or a person without an account who
    /// opened a link mailed to their address (a survey open to confirmed addresses).
    enum Answerer {
        case account(Account)
        case mailedLink(email: String, token: String)

        var respondent: SurveyRespondent {
            switch self {
            case .account(let account): .account(account.id, confirmedEmail: account.isConfirmed ? account.email : nil)
            case .mailedLink(let email, _): .email(email)
            }
        }

        var token: String? {
            if case .mailedLink(_, let token) = self { return token }
            return nil
        }
    }

    /// Whether the visitor may answer here, and as whom (nil: staff trying the survey).
    private enum Admission {
        case admitted(Answerer?)
        case refused(Response)
    }

    func path(_ id: UUID, token: String? = nil) -> String {
        if isPreview { return "/admin/enquetes/\(id.uuidString.lowercased())/essai" }
        return token.map { SitePath.surveyAnswering(id, token: $0).path } ?? "/enquetes/\(id.uuidString.lowercased())/repondre"
    }

    /// A mailed link (`?jeton=`) admits the address it was mailed to, whether or not someone is
    /// signed in; otherwise the pages need an account, confirmed when the survey asks for it.
    private func admit(_ request: Request, _ context: WebContext, view: SurveyView) async throws -> Admission {
        guard !isPreview else { return .admitted(nil) }
        if let token = request.uri.queryParameters.get(SitePath.tokenParameter) {
            do {
                let holder = try await call.ask(OpenSurveyAnswerLink(surveyID: view.id, token: token))
                return .admitted(.mailedLink(email: holder.email, token: token))
            } catch let error as APIError where [.notFound, .conflict].contains(error.status) {
                // Expired (conflict) or never made (not found): say which, and offer a new link.
                let model = SurveyPage(
                    id: view.id.uuidString.lowercased(), survey: SurveyIntroduction(view.definition), canAnswer: false, message: error.message,
                    signIn: nil, linkForm: SurveyLinkForm(email: nil, error: nil)
                )
                let status: HTTPResponse.Status = error.status == .notFound ? .notFound : .gone
                return .refused(web.render(Page("survey", title: "Lien non valable – \(view.definition.title)", status: status, model: model), request, context))
            }
        }
        guard Self.signInReason(of: context.account, to: view.definition) == nil, let account = context.account else {
            return .refused(signInFirst(request, context, view: view))
        }
        return .admitted(.account(account))
    }

    /// The survey, when it may be answered here: a draft is only for staff trying it.
    private func survey(_ context: WebContext) async throws -> SurveyView {
        let view = try await call.ask(GetSurvey(surveyID: try context.requiredID()))
        if !isPreview && view.status == .draft { throw HTTPError(.notFound) }
        return view
    }

    /// Why a citizen cannot answer now, or nil when they can.
    private func closedReason(_ view: SurveyView, now: Date = Date()) -> String? {
        guard !isPreview else { return nil }
        if view.status == .closed || (view.definition.closesAt.map { $0 <= now } ?? false) { return "Cette enquête est close : elle ne prend plus de réponses." }
        if let opensAt = view.definition.opensAt, opensAt > now { return "Cette enquête ouvrira le \(FrenchDate.dateTime(opensAt))." }
        return nil
    }

    /// The sections shown, given the answers: those with at least one question shown.
    static func visibleSteps(_ definition: SurveyDefinition, answers: [String: SurveyAnswer]) -> [Int] {
        let visible = Set(SurveyPath.visibleQuestionIDs(in: definition, answers: answers))
        return definition.sections.indices.filter { index in definition.sections[index].questions.contains { visible.contains($0.id) } }
    }

    func start(_ request: Request, _ context: WebContext) async throws -> Response {
        let view = try await survey(context)
        if let reason = closedReason(view) { return unavailable(request, context, view: view, reason: reason) }
        var journey = Journey()
        var resumed: String?
        let answerer: Answerer?
        switch try await admit(request, context, view: view) {
        case .refused(let response): return response
        case .admitted(let admitted): answerer = admitted
        }
        if let answerer {
            journey.token = answerer.token
            if case .account(let account) = answerer { journey.profile = SurveyProfileForm.profile(of: account) }
            let earlier = try await desk.mine(view.id, respondent: answerer.respondent)
            if let response = earlier.response {
                let day = FrenchDate.dateTime(response.revisedAt ?? response.submittedAt)
                guard earlier.editable else {
                    return unavailable(request, context, view: view, reason: "Vous avez répondu à cette enquête le \(day) ; vos réponses ne peuvent plus être modifiées.")
                }
                journey = Journey(answers: response.answers, profile: response.profile, replacing: true, token: answerer.token)
                resumed = "Vous avez répondu le \(day). Vos réponses sont reprises ci-dessous : modifiez ce que vous voulez, puis envoyez-les à nouveau ; elles remplaceront les précédentes."
            }
        }
        let steps = Self.visibleSteps(view.definition, answers: journey.answers)
        guard let first = steps.first else { return review(request, context, view: view, journey: journey, errors: FormErrors()) }
        return page(request, context, view: view, step: first, journey: journey, errors: FormErrors(), resumed: resumed)
    }

    func step(_ request: Request, _ context: WebContext) async throws -> Response {
        let view = try await survey(context)
        if let reason = closedReason(view) { return unavailable(request, context, view: view, reason: reason) }
        let answerer: Answerer?
        switch try await admit(request, context, view: view) {
        case .refused(let response): return response
        case .admitted(let admitted): answerer = admitted
        }
        let definition = view.definition
        let form = context.form
        var answers = SurveyAnswerForm.decoded(form.raw("reponses")).filter { definition.question($0.key) != nil }
        let action = form["action"] ?? "suivant"
        let stepText = form["etape"] ?? ""
        let step = Int(stepText).flatMap { definition.sections.indices.contains($0) ? $0 : nil }
        // What the posted page showed: only those answers are read from it.
        let displayed = (form.raw("affichees") ?? "").split(separator: ",").map(String.init)
            .filter { id in step.map { definition.sections[$0].questions.contains { $0.id == id } } ?? false }
        let displayedQuestions = displayed.compactMap { definition.question($0) }
        let (pageAnswers, readErrors) = SurveyAnswerForm.read(form, questions: displayedQuestions)
        for question in displayedQuestions { answers[question.id] = pageAnswers[question.id] }
        let dropReview = SurveyAnswerCheck.review(answers, to: definition, hiddenAnswers: .drop)
        for dropped in dropReview.dropped { answers[dropped.questionID] = nil }
        let steps = Self.visibleSteps(definition, answers: answers)
        let journey = Journey(
            answers: answers, profile: SurveyAnswerForm.decodedProfile(form.raw("profil")), replacing: form["modifier"] == "1",
            dropped: dropReview.dropped.map(\.notice), token: answerer?.token
        )

        if action.hasPrefix("etape:"), let target = Int(action.dropFirst("etape:".count)), steps.contains(target) {
            return page(request, context, view: view, step: target, journey: journey, errors: FormErrors())
        }
        guard let step else {
            // From the summary: send, or (in a trial) say nothing is sent.
            return try await finish(request, context, view: view, journey: journey, answerer: answerer)
        }
        if action == "precedent" {
            guard let previous = steps.last(where: { $0 < step }) else {
                return page(request, context, view: view, step: step, journey: journey, errors: FormErrors())
            }
            return page(request, context, view: view, step: previous, journey: journey, errors: FormErrors())
        }
        let review = SurveyAnswerCheck.review(answers, to: definition, hiddenAnswers: .drop)
        let sectionIDs = Set(definition.sections[step].questions.map(\.id))
        let visibleHere = review.visibleQuestionIDs.filter(sectionIDs.contains)
        var errors = readErrors
        for problem in review.problems {
            guard let id = problem.questionID, displayed.contains(id), visibleHere.contains(id) else { continue }
            let field = SurveyAnswerForm.fieldName(id)
            if errors[field] == nil { errors.add(field, problem.message) }
        }
        if !errors.isEmpty {
            return page(request, context, view: view, step: step, journey: journey, errors: errors, status: .unprocessableContent)
        }
        if visibleHere.contains(where: { !displayed.contains($0) }) {
            return page(request, context, view: view, step: step, journey: journey, errors: FormErrors(), newQuestions: true)
        }
        guard let next = steps.first(where: { $0 > step }) else {
            return self.review(request, context, view: view, journey: journey, errors: FormErrors())
        }
        return page(request, context, view: view, step: next, journey: journey, errors: FormErrors())
    }

    /// The summary's « Envoyer »: every answer checked once more; a problem sends the person
    /// back to the summary with it, naming the question.
    private func finish(_ request: Request, _ context: WebContext, view: SurveyView, journey: Journey, answerer: Answerer?) async throws -> Response {
        var journey = journey
        journey.profile = SurveyProfileForm.profile(from: context.form)
        let review = SurveyAnswerCheck.review(journey.answers, to: view.definition, hiddenAnswers: .drop)
        guard review.isAcceptable else {
            var errors = FormErrors()
            for problem in review.problems { errors.add(problem.questionID.map { "resume-\($0)" } ?? "resume", problem.message) }
            return self.review(request, context, view: view, journey: journey, errors: errors, status: .unprocessableContent)
        }
        guard let answerer else {
            return PageRenderer.redirect(to: "/admin/enquetes/\(view.id.uuidString.lowercased())", notice: SurveyNotice.trialFinished)
        }
        let intent: SurveyResponseDesk.Intent = journey.replacing ? .edit : .first
        do {
            switch answerer {
            case .account(let account):
                try await desk.submit(review.kept, profile: journey.profile, to: view.id, by: account, intent: intent)
            case .mailedLink(let email, _):
                try await desk.submit(review.kept, profile: journey.profile, to: view.id, byLinkMailedTo: email, intent: intent)
            }
        } catch let error as APIError where [.badRequest, .conflict, .forbidden, .unprocessableContent].contains(error.status) {
            var errors = FormErrors()
            errors.add("resume", error.message)
            return self.review(request, context, view: view, journey: journey, errors: errors, status: error.status)
        }
        return PageRenderer.redirect(to: "/enquetes/\(view.id.uuidString.lowercased())/merci")
    }

    // MARK: Rendering

    func page(
        _ request: Request, _ context: WebContext, view: SurveyView, step: Int, journey: Journey, errors: FormErrors, newQuestions: Bool = false,
        resumed: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let answers = journey.answers
        let dropped = journey.dropped
        let definition = view.definition
        let section = definition.sections[step]
        let visible = Set(SurveyPath.visibleQuestionIDs(in: definition, answers: answers))
        let questions = section.questions.filter { visible.contains($0.id) }
        let steps = Self.visibleSteps(definition, answers: answers)
        let position = (steps.firstIndex(of: step) ?? 0) + 1
        let model = SurveyAnswerPage(
            id: view.id.uuidString.lowercased(), survey: SurveyIntroduction(definition), errors: errors.summary,
            dropped: dropped, hasDropped: !dropped.isEmpty, newQuestions: newQuestions, step: step,
            progress: "Étape \(position) sur \(steps.count)", progressValue: position, progressMax: steps.count,
            section: AnswerSection(
                title: section.title.nilIfEmpty,
                questions: questions.map { AnswerQuestion($0, answer: answers[$0.id], error: errors[SurveyAnswerForm.fieldName($0.id)]) }
            ),
            carried: SurveyAnswerForm.encoded(answers), carriedProfile: SurveyAnswerForm.encoded(journey.profile), replacing: journey.replacing,
            resumed: resumed, displayed: questions.map(\.id).joined(separator: ","),
            canGoBack: steps.first.map { $0 < step } ?? false, isPreview: isPreview, action: path(view.id, token: journey.token)
        )
        let title = Page.title("\(definition.title) – étape \(position) sur \(steps.count)", hasErrors: !errors.isEmpty)
        return web.render(Page("survey-answer", title: title, status: status, model: model), request, context)
    }

    func review(_ request: Request, _ context: WebContext, view: SurveyView, journey: Journey, errors: FormErrors, status: HTTPResponse.Status = .ok) -> Response {
        let answers = journey.answers
        let dropped = journey.dropped
        let definition = view.definition
        let visible = Set(SurveyPath.visibleQuestionIDs(in: definition, answers: answers))
        let parts = definition.sections.enumerated().compactMap { index, section -> SurveyReviewPage.Part? in
            let items = section.questions.filter { visible.contains($0.id) && $0.kind.takesAnswer }.map { question in
                SurveyReviewPage.Item(anchor: "resume-\(question.id)", prompt: question.prompt, answer: SurveyAnswerForm.summary(of: answers[question.id], to: question))
            }
            guard !items.isEmpty else { return nil }
            return SurveyReviewPage.Part(title: section.title.nilIfEmpty ?? "Étape \(index + 1)", step: index, items: items)
        }
        let model = SurveyReviewPage(
            id: view.id.uuidString.lowercased(), survey: SurveyIntroduction(definition), errors: errors.summary, dropped: dropped,
            hasDropped: !dropped.isEmpty, parts: parts, carried: SurveyAnswerForm.encoded(answers),
            carriedProfile: SurveyAnswerForm.encoded(journey.profile), replacing: journey.replacing, profile: SurveyProfileForm(journey.profile),
            canSubmit: !isPreview, isPreview: isPreview, action: path(view.id, token: journey.token)
        )
        let title = Page.title("\(definition.title) – vérifier mes réponses", hasErrors: !errors.isEmpty)
        return web.render(Page("survey-review", title: title, status: status, model: model), request, context)
    }

    /// Why this visitor cannot start answering here, or nil when they can: the pages need an
    /// account (the response counts one per person), with a confirmed address when the survey
    /// is open to confirmed addresses.
    static func signInReason(of account: Account?, to definition: SurveyDefinition) -> String? {
        guard let account else {
            if definition.audience == .confirmedEmail {
                return "Pour répondre, connectez-vous à votre compte, ou recevez par courriel un lien pour répondre sans compte : l'enquête prend une réponse par adresse."
            }
            return "Pour répondre, connectez-vous à votre compte ou créez-en un : l'enquête prend une réponse par personne."
        }
        if definition.audience == .confirmedEmail && !account.isConfirmed {
            return "Confirmez d'abord votre adresse électronique avec le lien reçu par courriel : l'enquête prend une réponse par adresse confirmée."
        }
        return nil
    }

    /// Answering needs an account (and, for most surveys, a confirmed address): say so, with the way back here.
    private func signInFirst(_ request: Request, _ context: WebContext, view: SurveyView) -> Response {
        let model = SurveyPage(
            id: view.id.uuidString.lowercased(), survey: SurveyIntroduction(view.definition), canAnswer: false,
            message: Self.signInReason(of: context.account, to: view.definition),
            signIn: context.account == nil ? "/connexion?retour=\(path(view.id))" : nil,
            linkForm: context.account == nil && view.definition.audience == .confirmedEmail ? SurveyLinkForm(email: nil, error: nil) : nil
        )
        return web.render(Page("survey", title: view.definition.title, model: model), request, context)
    }

    private func unavailable(_ request: Request, _ context: WebContext, view: SurveyView, reason: String) -> Response {
        let model = SurveyPage(id: view.id.uuidString.lowercased(), survey: SurveyIntroduction(view.definition), canAnswer: false, message: reason, signIn: nil)
        return web.render(Page("survey", title: view.definition.title, status: .conflict, model: model), request, context)
    }
}
