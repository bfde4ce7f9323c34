import DialogueContracts
import Foundation
import SurveyRules
import Testing

/// A definition is saved only when it is coherent; each problem names what is at fault.
@Suite struct DefinitionCheckTests {
    private func rules(_ definition: SurveyDefinition) -> [SurveyProblem.Rule] {
        SurveyDefinitionCheck.problems(in: definition).map(\.rule)
    }

    @Test func aCompleteSurveyHasNoProblem() {
        let definition = Fixture.survey([
            Fixture.single("train", allowsOther: true), Fixture.multiple("modes", minimum: 1, maximum: 2), Fixture.number("age"), Fixture.scale("note"),
            Fixture.text("pourquoi", condition: .equals(question: "train", value: "non")),
            SurveyQuestion(id: "rang", prompt: "Classez", kind: .ranking(options: [Fixture.yes, Fixture.no], rankedCount: nil)),
            SurveyQuestion(id: "grille", prompt: "Notez", kind: .matrix(rows: [Fixture.yes], scale: SurveyScale(minimum: 0, maximum: 10, minimumLabel: "0", maximumLabel: "10"))),
            SurveyQuestion(id: "jour", prompt: "Quel jour ?", kind: .date(earliest: "2026-01-01", latest: "2026-12-31")),
            SurveyQuestion(id: "commune", prompt: "Votre commune", kind: .place(.commune)),
            SurveyQuestion(id: "titre", prompt: "Pour finir", kind: .sectionHeader),
            SurveyQuestion(id: "avis", prompt: "Votre avis", kind: .longText(maximumLength: 5000)),
        ])
        #expect(SurveyDefinitionCheck.problems(in: definition) == [])
        #expect(SurveyDefinitionCheck.publicationProblems(in: definition) == [])
    }

    @Test func titleAndPurposeAreRequired() {
        var definition = Fixture.survey([Fixture.single("q1")])
        definition.title = "  a "
        definition.purpose = "   "
        let problems = SurveyDefinitionCheck.problems(in: definition)
        #expect(problems.map(\.rule) == [.titleLength, .purposeMissing])
        #expect(problems.map(\.field) == ["title", "purpose"])
        #expect(problems.allSatisfy { !$0.message.isEmpty })
    }

    @Test func closingMustFollowOpening() {
        var definition = Fixture.survey([Fixture.single("q1")])
        definition.closesAt = definition.opensAt
        #expect(rules(definition) == [.datesOrder])
    }

    @Test func idsAreUniqueAcrossSectionsAndQuestions() {
        let definition = Fixture.survey(
            [Fixture.single("q1"), Fixture.number("q1")],
            sections: [SurveySection(id: "q1", questions: [Fixture.text("Q 2")])]
        )
        let problems = SurveyDefinitionCheck.problems(in: definition)
        #expect(problems.map(\.rule) == [.duplicateID, .duplicateID, .badID])
        #expect(problems.map(\.field) == ["questions.q1", "sections.q1", "questions.Q 2"])
    }

    @Test func optionIdsAreUniqueWithinAQuestion() {
        let question = SurveyQuestion(id: "q1", prompt: "?", kind: .singleChoice(options: [Fixture.yes, Fixture.yes], allowsOther: false))
        #expect(rules(Fixture.survey([question])) == [.duplicateOptionID])
    }

    @Test func everyChoiceQuestionHasOptions() {
        let questions = [
            SurveyQuestion(id: "a", prompt: "?", kind: .singleChoice(options: [Fixture.yes], allowsOther: true)),
            SurveyQuestion(id: "b", prompt: "?", kind: .multipleChoice(options: [], allowsOther: false, minimumChoices: nil, maximumChoices: nil)),
            SurveyQuestion(id: "c", prompt: "?", kind: .ranking(options: [Fixture.yes], rankedCount: nil)),
            SurveyQuestion(id: "d", prompt: "?", kind: .matrix(rows: [], scale: SurveyScale(minimum: 1, maximum: 5, minimumLabel: "-", maximumLabel: "+"))),
        ]
        let problems = SurveyDefinitionCheck.problems(in: Fixture.survey(questions))
        #expect(problems.map(\.rule) == [.missingOptions, .missingOptions, .missingOptions, .missingOptions])
        #expect(problems.compactMap(\.questionID) == ["a", "b", "c", "d"])
    }

    @Test func optionsHaveLabels() {
        let question = SurveyQuestion(id: "q1", prompt: "?", kind: .singleChoice(options: [Fixture.yes, SurveyOption(id: "x", label: " ")], allowsOther: false))
        #expect(rules(Fixture.survey([question])) == [.optionLabelMissing])
    }

    @Test func questionsHaveAPrompt() {
        var question = Fixture.single("q1")
        question.prompt = "  "
        #expect(rules(Fixture.survey([question])) == [.promptLength])
    }

    @Test(arguments: [(2, 1), (-1, 2), (0, 0), (1, 4)])
    func multipleChoiceBoundsAreCoherent(_ bounds: (Int, Int)) {
        // Three options, no « autre »: at most three choices.
        #expect(rules(Fixture.survey([Fixture.multiple("q1", minimum: bounds.0, maximum: bounds.1)])) == [.choiceBounds])
    }

    @Test func otherCountsAsAChoiceInTheBounds() {
        #expect(rules(Fixture.survey([Fixture.multiple("q1", minimum: 1, maximum: 4, allowsOther: true)])) == [])
    }

    @Test func rankedCountFitsTheOptions() {
        let question = SurveyQuestion(id: "q1", prompt: "?", kind: .ranking(options: [Fixture.yes, Fixture.no], rankedCount: 3))
        #expect(rules(Fixture.survey([question])) == [.rankedCount])
    }

    @Test(arguments: [(2, 5), (1, 1), (1, 11), (3, 2)])
    func scaleBoundsAreCoherent(_ bounds: (Int, Int)) {
        #expect(rules(Fixture.survey([Fixture.scale("q1", minimum: bounds.0, maximum: bounds.1)])) == [.scaleBounds])
    }

    @Test func scaleEndsAreLabelled() {
        let question = SurveyQuestion(id: "q1", prompt: "?", kind: .scale(SurveyScale(minimum: 0, maximum: 10, minimumLabel: "", maximumLabel: "Très")))
        #expect(rules(Fixture.survey([question])) == [.scaleBounds])
    }

    @Test func numberBoundsAreCoherent() {
        #expect(rules(Fixture.survey([Fixture.number("q1", minimum: 10, maximum: 10)])) == [.numberBounds])
        #expect(rules(Fixture.survey([Fixture.number("q1", minimum: .infinity, maximum: nil)])) == [.numberBounds])
        #expect(rules(Fixture.survey([Fixture.number("q1", minimum: nil, maximum: nil)])) == [])
    }

    @Test func textLengthIsBounded() {
        let question = SurveyQuestion(id: "q1", prompt: "?", kind: .longText(maximumLength: 0))
        #expect(rules(Fixture.survey([question])) == [.textLength])
    }

    @Test func dateBoundsAreRealOrderedDays() {
        let wrong = SurveyQuestion(id: "q1", prompt: "?", kind: .date(earliest: "2026-02-30", latest: nil))
        let reversed = SurveyQuestion(id: "q2", prompt: "?", kind: .date(earliest: "2026-05-01", latest: "2026-04-01"))
        #expect(rules(Fixture.survey([wrong, reversed])) == [.dateBounds, .dateBounds])
    }

    @Test func aHeaderIsNeverRequired() {
        let header = SurveyQuestion(id: "h", prompt: "Partie 2", required: true, kind: .sectionHeader)
        #expect(rules(Fixture.survey([header])) == [.headerRequired])
    }

    @Test func publicationNeedsDatesToComeAndAQuestion() {
        var definition = Fixture.survey([SurveyQuestion(id: "h", prompt: "Partie 1", kind: .sectionHeader)])
        definition.opensAt = nil
        #expect(SurveyDefinitionCheck.publicationProblems(in: definition).map(\.rule) == [.datesMissing, .noQuestion])
        var past = Fixture.survey([Fixture.single("q1")])
        past.opensAt = Date(timeIntervalSinceNow: -7200)
        past.closesAt = Date(timeIntervalSinceNow: -3600)
        #expect(SurveyDefinitionCheck.publicationProblems(in: past).map(\.rule) == [.closesInPast])
        #expect(SurveyDefinitionCheck.problems(in: past) == [], "a draft may keep past dates until it is published")
    }

    @Test func anImportedDefinitionTakesTheDefaults() throws {
        let json = #"{"title": "Vos trajets", "purpose": "Préparer le plan des mobilités."}"#
        let definition = try MessageCoding.decode(SurveyDefinition.self, from: Array(json.utf8))
        #expect(definition.resultsVisibility == .afterClosing)
        #expect(definition.audience == .confirmedEmail)
        #expect(definition.introduction == "")
        #expect(definition.sections.isEmpty)
        #expect(throws: DecodingError.self) { try MessageCoding.decode(SurveyDefinition.self, from: Array(#"{"title": "Sans usage"}"#.utf8)) }
    }

    @Test func definitionsRoundTripThroughJSON() throws {
        let definition = Fixture.survey([
            Fixture.single("q1", allowsOther: true), Fixture.multiple("q2", minimum: 1, maximum: 2), Fixture.scale("q3"),
            Fixture.text("q4", condition: .any([.not(.equals(question: "q1", value: "oui")), .numberRange(question: "q3", minimum: 4, maximum: nil)])),
            SurveyQuestion(id: "q5", prompt: "Département", kind: .place(.departement)),
        ])
        let json = try MessageCoding.encode(definition)
        #expect(try MessageCoding.decode(SurveyDefinition.self, from: json) == definition)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(#""type":"single_choice""#))
        #expect(text.contains(#""op":"number_range""#))
    }
}
