import DialogueContracts
import Foundation
import SurveyRules
import Testing

/// An open survey takes only changes that cannot corrupt answers already given.
@Suite struct ChangeCheckTests {
    private let published = Fixture.survey([Fixture.single("q1"), Fixture.multiple("q2", maximum: 2), Fixture.number("q3")])

    private func rules(_ change: (inout SurveyDefinition) -> Void) -> [SurveyProblem.Rule] {
        var proposed = published
        change(&proposed)
        return SurveyChangeCheck.problems(from: published, to: proposed).map(\.rule)
    }

    @Test func addingAnOptionOrAQuestionIsAllowed() {
        #expect(rules { $0.sections[0].questions[0].kind = .singleChoice(options: [Fixture.yes, Fixture.no, SurveyOption(id: "parfois", label: "Parfois")], allowsOther: false) } == [])
        #expect(rules { $0.sections[0].questions.append(Fixture.text("q4", required: true)) } == [])
        #expect(rules { $0.sections.append(SurveySection(id: "s2", questions: [Fixture.scale("q5")])) } == [])
    }

    @Test func rewordingAndMovingTheCloseAreAllowed() {
        #expect(rules {
            $0.sections[0].questions[0].prompt = "Prenez-vous le TER ?"
            $0.closesAt = $0.closesAt?.addingTimeInterval(86_400)
            $0.resultsVisibility = .never
        } == [])
    }

    @Test func removingAChosenOptionIsRefusedWithTheReason() {
        var proposed = published
        proposed.sections[0].questions[0].kind = .singleChoice(options: [Fixture.yes], allowsOther: false)
        let problems = SurveyChangeCheck.problems(from: published, to: proposed)
        #expect(problems.map(\.rule) == [.optionRemoved])
        #expect(problems.first?.field == "questions.q1")
        #expect(problems.first?.message.contains("Non") == true)
    }

    @Test func removingAnOptionNobodyChoseIsAllowed() {
        var proposed = published
        proposed.sections[0].questions[0].kind = .singleChoice(options: [Fixture.yes], allowsOther: false)
        #expect(SurveyChangeCheck.problems(from: published, to: proposed, wasChosen: { _, option in option == "oui" }) == [])
    }

    @Test func relabellingAChosenOptionIsRefused() {
        #expect(rules { $0.sections[0].questions[0].kind = .singleChoice(options: [Fixture.yes, SurveyOption(id: "non", label: "Jamais")], allowsOther: false) } == [.optionRelabelled])
    }

    @Test func retypingOrRemovingAQuestionIsRefused() {
        #expect(rules { $0.sections[0].questions[2] = Fixture.text("q3") } == [.questionRetyped])
        #expect(rules { $0.sections[0].questions.remove(at: 2) } == [.questionRemoved])
        #expect(rules { $0.sections = [SurveySection(id: "autre", questions: $0.sections[0].questions)] } == [.sectionRemoved])
    }

    @Test func narrowingSettingsIsRefused() {
        #expect(rules { $0.sections[0].questions[1] = Fixture.multiple("q2", maximum: 1) } == [.questionSettingsChanged])
        #expect(rules { $0.sections[0].questions[2] = Fixture.number("q3", minimum: 18) } == [.questionSettingsChanged])
    }

    @Test func conditionsRequirementAndAudienceAreFixed() {
        #expect(rules { $0.sections[0].questions[2].condition = .equals(question: "q1", value: "oui") } == [.conditionChanged])
        #expect(rules { $0.sections[0].questions[2].required = true } == [.questionMadeRequired])
        #expect(rules { $0.audience = .signedIn } == [.audienceChanged])
    }
}
