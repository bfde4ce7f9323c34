import DialogueContracts
import Foundation
import HTTPTypes
import Identity
import SurveyRules

/// Takes survey responses, for the API and the pages alike: checks them with the rules the
/// survey service applies again (open survey, audience, each answer for the questions the
/// person's own answers show), refuses a second response that is not an edit, and sends the
/// command, answered once the broker holds it. Staff also enter paper and in-person
/// questionnaires, linked to nobody.
struct SurveyResponseDesk: Sendable {
    let web: WebDependencies

    /// A first response, or an edit of the one given (« modifier mes réponses »).
    enum Intent: Sendable {
        case first
        case edit
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    static let closed = APIError(status: .conflict, code: "survey_closed", message: "Cette enquête est close : elle ne prend plus de réponses.")
    static let notYetOpen = APIError(status: .conflict, code: "survey_not_open", message: "Cette enquête n'est pas encore ouverte aux réponses.")
    static let alreadyAnswered = APIError(
        status: .conflict, code: "already_answered",
        message: "Vous avez déjà répondu à cette enquête : vous pouvez modifier votre réponse jusqu'à sa clôture."
    )
    static let unconfirmedEmail = APIError(
        status: .forbidden, code: "email_unconfirmed",
        message: "Confirmez d'abord l'adresse électronique de votre compte (lien envoyé par courriel) pour répondre à cette enquête."
    )

    /// A published survey (a draft is found by its builders only).
    func survey(_ id: UUID) async throws -> SurveyView {
        let survey = try await call.ask(GetSurvey(surveyID: id))
        guard survey.status != .draft else { throw APIError.notFound }
        return survey
    }

    /// Why the survey takes no answer now, if it does not.
    static func refusal(of survey: SurveyView, at now: Date = Date()) -> APIError? {
        guard survey.status == .open, let closesAt = survey.definition.closesAt, now < closesAt else { return closed }
        guard let opensAt = survey.definition.opensAt, opensAt <= now else { return notYetOpen }
        return nil
    }

    /// The roles that enter paper and in-person questionnaires.
    static let entryRoles: Set<StaffRole> = [.administrator, .staff]

    /// Checks and sends a response: on the web, the account's own (a first one or an edit);
    /// on paper or in person, a questionnaire the staff member enters. Throws the error to
    /// show, naming the question at fault.
    func submit(
        _ answers: [String: SurveyAnswer], profile: SurveyProfile, channel: SurveyChannel = .web, to id: UUID, by account: Account, intent: Intent
    ) async throws {
        if channel != .web && account.roles.isDisjoint(with: Self.entryRoles) {
            throw APIError(status: .forbidden, code: "forbidden", message: "Seule l'équipe du CESER saisit les questionnaires papier ou recueillis en personne.", field: "channel")
        }
        let survey = try await survey(id)
        if let refusal = Self.refusal(of: survey) { throw refusal }
        // A survey open to confirmed addresses counts the account's address, so it must be confirmed.
        if channel == .web && survey.definition.audience == .confirmedEmail && !account.isConfirmed { throw Self.unconfirmedEmail }
        let respondent = channel == .web
            ? SurveyRespondent.account(account.id, confirmedEmail: account.isConfirmed ? account.email : nil) : .unidentified
        try await send(
            answers, profile: profile, channel: channel, to: survey, from: respondent, intent: intent,
            enteredBy: channel == .web ? nil : SurveyStaffEntry(staffID: account.id, staffName: account.shownName)
        )
    }

    /// Checks and sends the response of a person without an account, who opened a link mailed
    /// to `email` (already checked by the survey service): one response per address.
    func submit(_ answers: [String: SurveyAnswer], profile: SurveyProfile, to id: UUID, byLinkMailedTo email: String, intent: Intent) async throws {
        let survey = try await survey(id)
        if let refusal = Self.refusal(of: survey) { throw refusal }
        guard survey.definition.audience == .confirmedEmail else {
            throw APIError(status: .forbidden, code: "sign_in_required", message: "Cette enquête est réservée aux personnes connectées à leur compte.")
        }
        try await send(answers, profile: profile, channel: .web, to: survey, from: .email(email), intent: intent, enteredBy: nil)
    }

    private func send(
        _ answers: [String: SurveyAnswer], profile: SurveyProfile, channel: SurveyChannel, to survey: SurveyView, from respondent: SurveyRespondent,
        intent: Intent, enteredBy: SurveyStaffEntry?
    ) async throws {
        let review = SurveyAnswerCheck.review(answers, to: survey.definition, from: channel, hiddenAnswers: .refuse)
        if let problem = review.problems.first { throw APIError.invalid(problem.field, problem.message) }
        if channel == .web && intent == .first, try await mine(survey.id, respondent: respondent).response != nil { throw Self.alreadyAnswered }
        _ = try await web.commands.send(SubmitSurveyResponse(
            surveyID: survey.id, respondent: respondent, channel: channel, answers: review.kept, profile: profile, submittedAt: Date(),
            replacesEarlier: channel == .web && intent == .edit, enteredBy: enteredBy
        ))
    }

    /// The response a person gave, if it is stored yet.
    func mine(_ id: UUID, respondent: SurveyRespondent) async throws -> MySurveyResponse {
        try await call.ask(GetMySurveyResponse(surveyID: id, respondent: respondent))
    }
}
