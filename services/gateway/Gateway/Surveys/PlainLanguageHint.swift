import Foundation
import PlainLanguage

/// The plain-language hint shown beside a text staff write (an introduction, a question):
/// the Kandel & Moles score and LIX with what they mean, the text again with its sentences
/// over 20 words underlined, and the administrative words found with plainer ones.
struct PlainLanguageHint {
    struct Segment {
        let text: String
        let long: Bool
    }

    struct Jargon {
        let expression: String
        let plainer: String
    }

    /// The id of the hint, for the field's `aria-describedby`.
    let id: String
    let score: String
    let lix: String
    let segments: [Segment]
    let longSentenceCount: Int
    let hasLongSentences: Bool
    let longSentencesText: String
    let jargon: [Jargon]
    let hasJargon: Bool

    /// Nil for a text without a word (nothing to judge yet).
    init?(_ text: String, id: String) {
        let report = PlainLanguage.analyse(text)
        guard let kandelMoles = report.kandelMoles, let lix = report.lix else { return nil }
        self.id = id
        score = "\(Self.rounded(kandelMoles)) sur 100 (\(Self.kandelMolesReading(kandelMoles)))"
        self.lix = "\(Self.rounded(lix)) (\(Self.lixReading(lix)))"
        var segments: [Segment] = []
        let characters = Array(text)
        var position = 0
        for sentence in report.longSentences.sorted(by: { $0.offset < $1.offset }) where sentence.offset >= position {
            let end = min(characters.count, sentence.offset + sentence.text.count)
            if sentence.offset > position { segments.append(Segment(text: String(characters[position..<sentence.offset]), long: false)) }
            segments.append(Segment(text: String(characters[sentence.offset..<end]), long: true))
            position = end
        }
        if position < characters.count { segments.append(Segment(text: String(characters[position...]), long: false)) }
        self.segments = report.longSentences.isEmpty ? [] : segments
        longSentenceCount = report.longSentences.count
        hasLongSentences = !report.longSentences.isEmpty
        longSentencesText = report.longSentences.count == 1
            ? "Une phrase dépasse \(PlainLanguage.longSentenceWords) mots (soulignée ci-dessous) : coupez-la en deux si vous le pouvez."
            : "\(report.longSentences.count) phrases dépassent \(PlainLanguage.longSentenceWords) mots (soulignées ci-dessous) : coupez-les si vous le pouvez."
        jargon = report.jargon.map { Jargon(expression: $0.expression, plainer: $0.plainer) }
        hasJargon = !report.jargon.isEmpty
    }

    private static func rounded(_ value: Double) -> String {
        String(Int(value.rounded()))
    }

    /// The usual reading of a Flesch-type score (Kandel & Moles keeps its scale).
    static func kandelMolesReading(_ score: Double) -> String {
        switch score {
        case 90...: "très facile à lire"
        case 80..<90: "facile à lire"
        case 70..<80: "assez facile à lire"
        case 60..<70: "lecture courante"
        case 50..<60: "assez difficile à lire"
        case 30..<50: "difficile à lire"
        default: "très difficile à lire"
        }
    }

    /// LIX: under 30 very easy, over 60 very hard.
    static func lixReading(_ lix: Double) -> String {
        switch lix {
        case ..<30: "très facile"
        case 30..<40: "facile"
        case 40..<50: "moyen"
        case 50..<60: "difficile"
        default: "très difficile"
        }
    }
}
