public import DialogueContracts

extension SurveyAnswerCheck {
    /// Checks a response as it arrived: on the site every rule applies; a paper or in-person
    /// questionnaire entered by staff may leave a required question blank (the person wrote
    /// nothing there, and refusing the sheet would lose the rest of it).
    public static func review(
        _ answers: [String: SurveyAnswer], to definition: SurveyDefinition, from channel: SurveyChannel,
        hiddenAnswers: HiddenAnswerPolicy = .refuse
    ) -> SurveyAnswerReview {
        guard channel != .web else { return review(answers, to: definition, hiddenAnswers: hiddenAnswers) }
        var relaxed = definition
        for section in relaxed.sections.indices {
            for question in relaxed.sections[section].questions.indices { relaxed.sections[section].questions[question].required = false }
        }
        return review(answers, to: relaxed, hiddenAnswers: hiddenAnswers)
    }
}
