/// How easy a French text is to read: the counts, the Kandel & Moles score, LIX, the sentences
/// over 20 words and the administrative jargon found.
public struct ReadabilityReport: Sendable, Equatable {
    public let sentenceCount: Int
    public let wordCount: Int
    public let syllableCount: Int
    /// Words of more than six letters (LIX's long words).
    public let longWordCount: Int
    /// 207 − 1.015 × words/sentence − 73.6 × syllables/word: higher is easier (Flesch adapted
    /// to French); nil for a text without words.
    public let kandelMoles: Double?
    /// words/sentence + 100 × long words/words: lower is easier; nil for a text without words.
    public let lix: Double?
    public let longSentences: [LongSentence]
    public let jargon: [JargonFinding]
}

/// A sentence over the limit, to underline where it stands in the text.
public struct LongSentence: Sendable, Equatable {
    public let text: String
    public let wordCount: Int
    /// Where it starts in the text, in characters.
    public let offset: Int
}

/// The plain-language hint shown while staff write: written once, for surveys, consultations
/// and answers to contributors.
public enum PlainLanguage {
    /// Sentences longer than this many words are pointed out.
    public static let longSentenceWords = 20

    public static func analyse(_ text: String, jargon: JargonList = .french) -> ReadabilityReport {
        let sentences = TextScanner.sentences(in: text)
        var (words, syllables, longWords) = (0, 0, 0)
        var long: [LongSentence] = []
        for sentence in sentences {
            let sentenceWords = TextScanner.words(in: sentence.text)
            words += sentenceWords.count
            syllables += sentenceWords.reduce(0) { $0 + syllableCount($1.text) }
            longWords += sentenceWords.count { $0.letterCount > 6 }
            if sentenceWords.count > longSentenceWords {
                long.append(LongSentence(text: sentence.text, wordCount: sentenceWords.count, offset: sentence.offset))
            }
        }
        let sentenceCount = sentences.count
        var kandelMoles: Double?
        var lix: Double?
        if words > 0 && sentenceCount > 0 {
            let wordsPerSentence = Double(words) / Double(sentenceCount)
            kandelMoles = 207 - 1.015 * wordsPerSentence - 73.6 * Double(syllables) / Double(words)
            lix = wordsPerSentence + 100 * Double(longWords) / Double(words)
        }
        return ReadabilityReport(
            sentenceCount: sentenceCount, wordCount: words, syllableCount: syllables, longWordCount: longWords,
            kandelMoles: kandelMoles, lix: lix, longSentences: long, jargon: jargon.findings(in: text)
        )
    }

    /// The syllables of a French word, as spoken: one per group of vowels, less a final mute
    /// « e » or « es » after a consonant (« table » 1, « communes » 2, « année » 2). An
    /// approximation, as every readability formula's count is; a word without a vowel (a
    /// number, an initial) counts one.
    public static func syllableCount(_ word: String) -> Int {
        let folded = Array(TextScanner.fold(word))
        let vowels: Set<Character> = ["a", "e", "i", "o", "u", "y"]
        var groups = 0
        var previousWasVowel = false
        for character in folded {
            let isVowel = vowels.contains(character)
            if isVowel && !previousWasVowel { groups += 1 }
            previousWasVowel = isVowel
        }
        // The mute ending is read on the word as written: « été » ends with a spoken « é ».
        let lowered = Array(word.lowercased())
        let ending = lowered.last == "s" ? Array(lowered.dropLast()) : lowered
        if groups > 1, ending.last == "e", ending.count >= 2, !(TextScanner.fold(String(ending[ending.count - 2])).first.map(vowels.contains) ?? false) {
            groups -= 1
        }
        return max(1, groups)
    }
}
