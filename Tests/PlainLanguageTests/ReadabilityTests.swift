import Foundation
import PlainLanguage
import Testing

/// The readability figures on French sentences counted by hand.
@Suite struct ReadabilityTests {
    @Test(arguments: [
        ("le", 1), ("chat", 1), ("table", 1), ("communes", 2), ("année", 2), ("été", 2), ("région", 2), ("finance", 2),
        ("transports", 2), ("Elle", 1), ("aide", 1), ("rurales", 2), ("La", 1), ("les", 1), ("l'assemblée", 3), ("peut-être", 2), ("question", 2), ("que", 1), ("oiseau", 2), ("2026", 1),
    ])
    func syllablesOfFrenchWords(_ word: String, _ expected: Int) {
        #expect(PlainLanguage.syllableCount(word) == expected, "\(word)")
    }

    @Test func aShortSentence() throws {
        // « Le chat dort. »: 1 sentence, 3 words of 1 syllable, no word over 6 letters.
        let report = PlainLanguage.analyse("Le chat dort.")
        #expect(report.sentenceCount == 1)
        #expect(report.wordCount == 3)
        #expect(report.syllableCount == 3)
        let kandelMoles = 207 - 1.015 * 3.0 / 1.0 - 73.6 * 3.0 / 3.0
        #expect(abs(try #require(report.kandelMoles) - kandelMoles) < 1e-9)
        #expect(abs(kandelMoles - 130.355) < 1e-9)
        #expect(abs(try #require(report.lix) - 3) < 1e-9)
    }

    @Test func twoSentences() throws {
        // la(1) région(2) finance(2) les(1) transports(2) | elle(1) aide(1) les(1) communes(2) rurales(2):
        // 2 sentences, 10 words, 8 + 7 = 15 syllables; long words (> 6 letters): finance, transports, communes, rurales.
        let report = PlainLanguage.analyse("La région finance les transports. Elle aide les communes rurales.")
        #expect(report.sentenceCount == 2)
        #expect(report.wordCount == 10)
        #expect(report.syllableCount == 15)
        #expect(report.longWordCount == 4)
        let kandelMoles = 207 - 1.015 * (10.0 / 2.0) - 73.6 * (15.0 / 10.0)
        #expect(abs(try #require(report.kandelMoles) - kandelMoles) < 1e-9)
        #expect(abs(kandelMoles - 91.525) < 1e-9)
        let lix = 10.0 / 2.0 + 100 * 4.0 / 10.0
        #expect(abs(try #require(report.lix) - lix) < 1e-9)
        #expect(lix == 45)
        #expect(report.longSentences.isEmpty)
    }

    @Test func sentencesEndAtQuestionMarksAndBlankLines() {
        let report = PlainLanguage.analyse("Venez-vous ? Oui !\n\nMerci\n\n")
        #expect(report.sentenceCount == 3)
        #expect(report.wordCount == 3)
    }

    @Test func sentencesOverTwentyWordsArePointedOut() throws {
        let twentyOne = Array(repeating: "mot", count: 21).joined(separator: " ") + "."
        let twenty = Array(repeating: "mot", count: 20).joined(separator: " ") + "."
        let text = "Bonjour. " + twenty + " " + twentyOne
        let report = PlainLanguage.analyse(text)
        #expect(report.longSentences.count == 1)
        let long = try #require(report.longSentences.first)
        #expect(long.wordCount == 21)
        #expect(long.text == twentyOne)
        #expect(long.offset == "Bonjour. ".count + twenty.count + 1)
    }

    @Test func anEmptyTextHasNoScore() {
        let report = PlainLanguage.analyse("  … ")
        #expect(report.wordCount == 0)
        #expect(report.kandelMoles == nil)
        #expect(report.lix == nil)
    }

    @Test func jargonIsFoundWithPlainerWords() {
        let report = PlainLanguage.analyse("Afin de bénéficier du dispositif, il convient de transmettre les pièces justificatives préalablement.")
        let found = Dictionary(uniqueKeysWithValues: report.jargon.map { ($0.expression, $0.plainer) })
        #expect(found["afin de"] == "pour")
        #expect(found["dispositif"] == "aide, mesure")
        #expect(found["il convient de"] == "il faut")
        #expect(found["transmettre"] == "envoyer")
        #expect(found["pièce justificative"] == "document, preuve", "plural and accents are matched")
        #expect(found["préalablement"] == "avant")
        #expect(found.count == 6)
        #expect(PlainLanguage.analyse("Le train part à huit heures.").jargon.isEmpty)
    }

    @Test func theShippedListParsesAndABadLineIsNamed() throws {
        #expect(JargonList.french.entries.count >= 30)
        let error = #expect(throws: JargonListError.self) { try JargonList(parsing: "afin de = pour\n# commentaire\nsans égal\n") }
        #expect(error?.line == 3)
    }
}
