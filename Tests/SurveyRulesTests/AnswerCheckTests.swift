import DialogueContracts
import SurveyRules
import Testing

/// Answers are refused whole when one is wrong, naming the question; answers to questions that
/// are not shown are never kept.
@Suite struct AnswerCheckTests {
    private func problems(_ answers: [String: SurveyAnswer], _ questions: [SurveyQuestion]) -> [SurveyProblem] {
        SurveyAnswerCheck.review(answers, to: Fixture.survey(questions)).problems
    }

    private func rule(_ answer: SurveyAnswer, _ question: SurveyQuestion) -> SurveyProblem.Rule? {
        let found = problems([question.id: answer], [question])
        #expect(found.count <= 1)
        #expect(found.allSatisfy { $0.field == "questions.\(question.id)" && $0.questionID == question.id && !$0.message.isEmpty })
        return found.first?.rule
    }

    @Test func validAnswersAreKept() {
        let questions = [Fixture.single("q1"), Fixture.multiple("q2", maximum: 2), Fixture.number("q3"), Fixture.text("q4")]
        let review = SurveyAnswerCheck.review(
            ["q1": .choice("oui"), "q2": .choices(["bus", "velo"]), "q3": .number(42), "q4": .text("  Trop cher  ")], to: Fixture.survey(questions)
        )
        #expect(review.isAcceptable)
        #expect(review.kept.count == 4)
        #expect(review.kept["q4"] == .text("Trop cher"))
    }

    @Test func anAnswerToAnUnknownQuestionIsRefused() {
        let found = problems(["q9": .choice("oui")], [Fixture.single("q1")])
        #expect(found.map(\.rule) == [.unknownQuestion])
        #expect(found.first?.field == "questions.q9")
    }

    @Test func anAnswerToAHiddenQuestionIsRefusedOnSubmission() {
        let questions = [Fixture.single("q1"), Fixture.text("q2", condition: .equals(question: "q1", value: "non"))]
        let review = SurveyAnswerCheck.review(["q1": .choice("oui"), "q2": .text("Trop cher")], to: Fixture.survey(questions), hiddenAnswers: .refuse)
        #expect(review.problems.map(\.rule) == [.hiddenQuestion])
        #expect(review.problems.first?.field == "questions.q2")
        #expect(review.kept.isEmpty, "nothing partial is kept")
    }

    @Test func changingAnEarlierAnswerDropsTheHiddenOneWithANotice() {
        let questions = [Fixture.single("q1"), Fixture.text("q2", condition: .equals(question: "q1", value: "non")), Fixture.number("q3")]
        let review = SurveyAnswerCheck.review(
            ["q1": .choice("oui"), "q2": .text("Trop cher"), "q3": .number(30)], to: Fixture.survey(questions), hiddenAnswers: .drop
        )
        #expect(review.isAcceptable)
        #expect(review.kept.keys.sorted() == ["q1", "q3"])
        #expect(review.dropped.map(\.questionID) == ["q2"])
        #expect(review.dropped.first?.notice.contains("Pourquoi ?") == true)
        #expect(review.visibleQuestionIDs == ["q1", "q3"])
    }

    @Test func aRequiredQuestionBlocksOnlyWhenShown() {
        let questions = [Fixture.single("q1", required: true), Fixture.text("q2", required: true, condition: .equals(question: "q1", value: "non"))]
        #expect(problems(["q1": .choice("oui")], questions) == [])
        #expect(problems(["q1": .choice("non")], questions).map(\.rule) == [.requiredAnswer])
        #expect(problems(["q1": .choice("non"), "q2": .text("   ")], questions).map(\.rule) == [.requiredAnswer])
        #expect(problems([:], questions).map(\.questionID) == ["q1"])
    }

    @Test func aPaperSheetMayLeaveARequiredQuestionBlankButNotBreakAnyOtherRule() {
        let questions = [Fixture.single("q1", required: true), Fixture.number("q2")]
        let survey = Fixture.survey(questions)
        for channel in [SurveyChannel.paper, .inPerson] {
            let review = SurveyAnswerCheck.review(["q2": .number(3)], to: survey, from: channel)
            #expect(review.isAcceptable)
            #expect(review.kept == ["q2": .number(3)])
            #expect(SurveyAnswerCheck.review(["q1": .choice("peut-etre")], to: survey, from: channel).problems.map(\.rule) == [.unknownOption])
        }
        #expect(SurveyAnswerCheck.review(["q2": .number(3)], to: survey, from: .web).problems.map(\.rule) == [.requiredAnswer])
    }

    @Test func aForgedOptionIsRefused() {
        #expect(rule(.choice("peut-etre"), Fixture.single("q1")) == .unknownOption)
        #expect(rule(.choices(["bus", "avion"]), Fixture.multiple("q1")) == .unknownOption)
        #expect(rule(.choices(["bus", "bus"]), Fixture.multiple("q1")) == .unknownOption)
    }

    @Test func singleChoiceTakesOneAnswer() {
        #expect(rule(.choices(["oui", "non"]), Fixture.single("q1")) == .tooManyChoices)
        #expect(rule(.choices(["oui"], other: "Parfois"), Fixture.single("q1", allowsOther: true)) == .tooManyChoices)
        #expect(rule(.other("Parfois"), Fixture.single("q1", allowsOther: true)) == nil)
        #expect(rule(.other("Parfois"), Fixture.single("q1")) == .otherNotAllowed)
        #expect(rule(.other(String(repeating: "x", count: 201)), Fixture.single("q1", allowsOther: true)) == .textTooLong)
    }

    @Test func multipleChoiceRespectsItsBounds() {
        let question = Fixture.multiple("q1", minimum: 2, maximum: 2, allowsOther: true)
        #expect(rule(.choices(["bus", "train", "velo"]), question) == .tooManyChoices)
        #expect(rule(.choices(["bus"]), question) == .tooFewChoices)
        #expect(rule(.choices(["bus"], other: "Trottinette"), question) == nil, "« autre » counts as a choice")
        #expect(rule(.choices(["bus", "train"], other: "Trottinette"), question) == .tooManyChoices)
    }

    @Test func scaleAnswersArePointsOfTheScale() {
        let question = Fixture.scale("q1", minimum: 1, maximum: 5)
        #expect(rule(.number(5), question) == nil)
        #expect(rule(.number(6), question) == .outOfRange)
        #expect(rule(.number(0), question) == .outOfRange)
        #expect(rule(.number(2.5), question) == .outOfRange)
    }

    @Test func numbersRespectBoundsAndWholeness() {
        #expect(rule(.number(121), Fixture.number("q1")) == .outOfRange)
        #expect(rule(.number(-1), Fixture.number("q1")) == .outOfRange)
        #expect(rule(.number(30.5), Fixture.number("q1")) == .notWholeNumber)
        #expect(rule(.number(30.5), Fixture.number("q1", whole: false)) == nil)
        #expect(rule(.number(.nan), Fixture.number("q1")) == .wrongAnswerType)
    }

    @Test func anAnswerOfTheWrongTypeIsRefused() {
        #expect(rule(.text("42"), Fixture.number("q1")) == .wrongAnswerType)
        #expect(rule(.number(1), Fixture.single("q1")) == .wrongAnswerType)
        #expect(rule(.text("x"), SurveyQuestion(id: "h", prompt: "Partie", kind: .sectionHeader)) == .wrongAnswerType)
    }

    @Test func textsRespectTheirLength() {
        #expect(rule(.text(String(repeating: "é", count: 21)), Fixture.text("q1")) == .textTooLong)
        #expect(rule(.text(String(repeating: "é", count: 20)), Fixture.text("q1")) == nil)
    }

    @Test func rankingsRankTheExpectedNumberOfDistinctOptions() {
        let options = [SurveyOption(id: "a", label: "A"), SurveyOption(id: "b", label: "B"), SurveyOption(id: "c", label: "C")]
        let all = SurveyQuestion(id: "q1", prompt: "Classez", kind: .ranking(options: options, rankedCount: nil))
        let top2 = SurveyQuestion(id: "q1", prompt: "Classez", kind: .ranking(options: options, rankedCount: 2))
        #expect(rule(.ranking(["c", "a", "b"]), all) == nil)
        #expect(rule(.ranking(["c", "a"]), all) == .incompleteRanking)
        #expect(rule(.ranking(["c", "a"]), top2) == nil)
        #expect(rule(.ranking(["c", "c"]), top2) == .unknownOption)
        #expect(rule(.ranking(["c", "z"]), top2) == .unknownOption)
    }

    @Test func matrixRowsAreKnownAndOnTheScale() {
        let rows = [SurveyOption(id: "bus", label: "Bus"), SurveyOption(id: "train", label: "Train")]
        let question = SurveyQuestion(id: "q1", prompt: "Notez", kind: .matrix(rows: rows, scale: SurveyScale(minimum: 1, maximum: 5, minimumLabel: "-", maximumLabel: "+")))
        #expect(rule(.matrix(["bus": 3, "train": 5]), question) == nil)
        #expect(rule(.matrix(["bus": 3, "avion": 5]), question) == .unknownOption)
        #expect(rule(.matrix(["bus": 6]), question) == .outOfRange)
        var required = question
        required.required = true
        #expect(rule(.matrix(["bus": 3]), required) == .requiredAnswer)
    }

    @Test func datesAreRealDaysWithinBounds() {
        let question = SurveyQuestion(id: "q1", prompt: "Quand ?", kind: .date(earliest: "2026-01-01", latest: "2026-06-30"))
        #expect(rule(.date("2026-03-15"), question) == nil)
        #expect(rule(.date("2026-02-29"), question) == .badDate)
        #expect(rule(.date("15/03/2026"), question) == .badDate)
        #expect(rule(.date("2026-07-01"), question) == .outOfRange)
        #expect(rule(.date("2025-12-31"), question) == .outOfRange)
    }

    @Test func placesAreOfTheRegion() {
        let commune = SurveyQuestion(id: "q1", prompt: "Commune", kind: .place(.commune))
        let departement = SurveyQuestion(id: "q1", prompt: "Département", kind: .place(.departement))
        #expect(rule(.place("59350"), commune) == nil)
        #expect(rule(.place("75056"), commune) == .unknownPlace)
        #expect(rule(.place("5935"), commune) == .unknownPlace)
        #expect(rule(.place("80"), departement) == nil)
        #expect(rule(.place("75"), departement) == .unknownPlace)
    }
}
