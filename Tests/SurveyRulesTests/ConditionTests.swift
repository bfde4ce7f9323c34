import DialogueContracts
import SurveyRules
import Testing

/// Conditions refer only to earlier questions and to options that exist; each operator decides
/// what a person sees.
@Suite struct ConditionTests {
    private func rules(_ definition: SurveyDefinition) -> [SurveyProblem.Rule] {
        SurveyDefinitionCheck.problems(in: definition).map(\.rule)
    }

    // MARK: checked on save

    @Test func aQuestionCannotDependOnItself() {
        let problems = SurveyDefinitionCheck.problems(in: Fixture.survey([Fixture.single("q1", condition: .answered(question: "q1"))]))
        #expect(problems.map(\.rule) == [.conditionOnItself])
        #expect(problems.first?.field == "questions.q1")
    }

    @Test func aQuestionCannotDependOnALaterOne() {
        let definition = Fixture.survey([Fixture.text("q1", condition: .equals(question: "q2", value: "oui")), Fixture.single("q2")])
        #expect(rules(definition) == [.conditionOnLaterQuestion])
    }

    @Test func twoQuestionsDependingOnEachOtherAreACycleAndRefused() {
        let definition = Fixture.survey([
            Fixture.single("q1", condition: .equals(question: "q2", value: "oui")), Fixture.single("q2", condition: .equals(question: "q1", value: "oui")),
        ])
        let problems = SurveyDefinitionCheck.problems(in: definition)
        #expect(problems.map(\.rule) == [.conditionOnLaterQuestion])
        #expect(problems.first?.questionID == "q1")
    }

    @Test func aSectionDependsOnlyOnQuestionsOfEarlierSections() {
        let own = SurveySection(id: "s2", condition: .answered(question: "q2"), questions: [Fixture.text("q2")])
        #expect(rules(Fixture.survey([Fixture.single("q1")], sections: [own])) == [.conditionOnLaterQuestion])
        let earlier = SurveySection(id: "s2", condition: .equals(question: "q1", value: "non"), questions: [Fixture.text("q2")])
        #expect(rules(Fixture.survey([Fixture.single("q1")], sections: [earlier])) == [])
        let itself = SurveySection(id: "s2", condition: .answered(question: "s2"), questions: [Fixture.text("q2")])
        #expect(SurveyDefinitionCheck.problems(in: Fixture.survey([Fixture.single("q1")], sections: [itself])).map(\.field) == ["sections.s2"])
    }

    @Test func aConditionOnAnUnknownQuestionIsRefused() {
        #expect(rules(Fixture.survey([Fixture.text("q1", condition: .answered(question: "q0"))])) == [.conditionOnUnknownQuestion])
    }

    @Test func aConditionOnARemovedOptionIsRefused() {
        let definition = Fixture.survey([Fixture.single("q1"), Fixture.text("q2", condition: .oneOf(question: "q1", values: ["oui", "peut-etre"]))])
        let problems = SurveyDefinitionCheck.problems(in: definition)
        #expect(problems.map(\.rule) == [.conditionOnUnknownOption])
        #expect(problems.first?.message.contains("peut-etre") == true)
    }

    @Test func nestedConditionsAreCheckedToTheirLeaves() {
        let condition = SurveyCondition.all([.answered(question: "q1"), .not(.any([.equals(question: "q1", value: "oui"), .answered(question: "q3")]))])
        #expect(rules(Fixture.survey([Fixture.single("q1"), Fixture.text("q2", condition: condition), Fixture.text("q3")])) == [.conditionOnLaterQuestion])
    }

    @Test func operatorsFitTheQuestionType() {
        let definition = Fixture.survey([
            Fixture.single("q1"), Fixture.number("age"), Fixture.text("libre"),
            SurveyQuestion(id: "h", prompt: "Partie", kind: .sectionHeader),
            Fixture.text("a", condition: .numberRange(question: "q1", minimum: 1, maximum: nil)),
            Fixture.text("b", condition: .equals(question: "age", value: "18")),
            Fixture.text("c", condition: .equals(question: "libre", value: "x")),
            Fixture.text("d", condition: .answered(question: "h")),
        ])
        let problems = SurveyDefinitionCheck.problems(in: definition)
        #expect(problems.map(\.rule) == [.conditionOperator, .conditionOperator, .conditionOperator, .conditionOperator])
        #expect(problems.compactMap(\.questionID) == ["a", "b", "c", "d"])
    }

    @Test func emptyGroupsAndRangesAreRefused() {
        let definition = Fixture.survey([
            Fixture.number("age"), Fixture.single("q1"),
            Fixture.text("a", condition: .all([])), Fixture.text("b", condition: .oneOf(question: "q1", values: [])),
            Fixture.text("c", condition: .numberRange(question: "age", minimum: nil, maximum: nil)),
            Fixture.text("d", condition: .numberRange(question: "age", minimum: 30, maximum: 20)),
        ])
        #expect(rules(definition) == [.conditionEmpty, .conditionEmpty, .conditionEmpty, .conditionEmpty])
    }

    @Test func placeConditionsNameAPlaceOfTheRegion() {
        let place = SurveyQuestion(id: "dep", prompt: "Département", kind: .place(.departement))
        #expect(rules(Fixture.survey([place, Fixture.text("q2", condition: .equals(question: "dep", value: "59"))])) == [])
        #expect(rules(Fixture.survey([place, Fixture.text("q2", condition: .equals(question: "dep", value: "75"))])) == [.conditionOnUnknownOption])
    }

    // MARK: what a person sees

    private let age = SurveyAnswer.number(30)

    @Test func equalsHoldsForTheChosenOption() {
        #expect(SurveyPath.holds(.equals(question: "q1", value: "oui"), on: ["q1": .choice("oui")]))
        #expect(!SurveyPath.holds(.equals(question: "q1", value: "oui"), on: ["q1": .choice("non")]))
        #expect(!SurveyPath.holds(.equals(question: "q1", value: "oui"), on: [:]))
        #expect(SurveyPath.holds(.equals(question: "m", value: "bus"), on: ["m": .choices(["train", "bus"])]), "a multiple choice includes it")
        #expect(SurveyPath.holds(.equals(question: "d", value: "62"), on: ["d": .place("62")]))
    }

    @Test func oneOfHoldsForAnyListedOption() {
        #expect(SurveyPath.holds(.oneOf(question: "q1", values: ["a", "b"]), on: ["q1": .choice("b")]))
        #expect(!SurveyPath.holds(.oneOf(question: "q1", values: ["a", "b"]), on: ["q1": .choice("c")]))
        #expect(!SurveyPath.holds(.oneOf(question: "q1", values: ["a"]), on: [:]))
    }

    @Test func notInvertsItsCondition() {
        #expect(SurveyPath.holds(.not(.equals(question: "q1", value: "oui")), on: ["q1": .choice("non")]))
        #expect(!SurveyPath.holds(.not(.equals(question: "q1", value: "oui")), on: ["q1": .choice("oui")]))
        #expect(SurveyPath.holds(.not(.answered(question: "q1")), on: [:]))
    }

    @Test func answeredIgnoresBlankAnswers() {
        #expect(SurveyPath.holds(.answered(question: "q1"), on: ["q1": .text("Le bus")]))
        #expect(!SurveyPath.holds(.answered(question: "q1"), on: ["q1": .text("   ")]))
        #expect(!SurveyPath.holds(.answered(question: "q1"), on: ["q1": .choices([])]))
        #expect(!SurveyPath.holds(.answered(question: "q1"), on: [:]))
    }

    @Test func numberRangeIncludesItsBounds() {
        let range = SurveyCondition.numberRange(question: "age", minimum: 18, maximum: 25)
        #expect(SurveyPath.holds(range, on: ["age": .number(18)]))
        #expect(SurveyPath.holds(range, on: ["age": .number(25)]))
        #expect(!SurveyPath.holds(range, on: ["age": .number(26)]))
        #expect(!SurveyPath.holds(range, on: ["age": .number(17.5)]))
        #expect(SurveyPath.holds(.numberRange(question: "age", minimum: nil, maximum: 25), on: ["age": .number(-3)]))
        #expect(!SurveyPath.holds(range, on: ["age": .text("20")]))
    }

    @Test func allAndAnyCombine() {
        let answers: [String: SurveyAnswer] = ["q1": .choice("oui"), "age": age]
        #expect(SurveyPath.holds(.all([.equals(question: "q1", value: "oui"), .numberRange(question: "age", minimum: 18, maximum: nil)]), on: answers))
        #expect(!SurveyPath.holds(.all([.equals(question: "q1", value: "oui"), .numberRange(question: "age", minimum: 40, maximum: nil)]), on: answers))
        #expect(SurveyPath.holds(.any([.equals(question: "q1", value: "non"), .answered(question: "age")]), on: answers))
        #expect(!SurveyPath.holds(.any([.equals(question: "q1", value: "non"), .answered(question: "autre")]), on: answers))
    }

    @Test func aHiddenQuestionNeverOpensALaterOne() {
        // q2 shows when q1 is "non"; q3 shows when q2 is answered.
        let definition = Fixture.survey([
            Fixture.single("q1"), Fixture.text("q2", condition: .equals(question: "q1", value: "non")), Fixture.text("q3", condition: .answered(question: "q2")),
        ])
        #expect(SurveyPath.visibleQuestionIDs(in: definition, answers: ["q1": .choice("non"), "q2": .text("Trop cher")]) == ["q1", "q2", "q3"])
        #expect(SurveyPath.visibleQuestionIDs(in: definition, answers: ["q1": .choice("oui"), "q2": .text("Trop cher")]) == ["q1"])
    }

    @Test func aSectionConditionHidesAllItsQuestions() {
        let second = SurveySection(id: "s2", condition: .equals(question: "q1", value: "oui"), questions: [Fixture.text("q2"), Fixture.number("q3")])
        let definition = Fixture.survey([Fixture.single("q1")], sections: [second])
        #expect(SurveyPath.visibleQuestionIDs(in: definition, answers: ["q1": .choice("non")]) == ["q1"])
        #expect(SurveyPath.visibleQuestionIDs(in: definition, answers: ["q1": .choice("oui")]) == ["q1", "q2", "q3"])
    }
}
