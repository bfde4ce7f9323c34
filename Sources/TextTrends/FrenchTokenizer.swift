import Foundation

/// One word of a French text, in the forms the trends need.
public struct FrenchToken: Sendable, Equatable {
    /// The word as written, lowercased, its elided article or pronoun removed (« l'Hôpital » → « hôpital »).
    public let surface: String
    /// Lowercase without accents (« hôpital » → « hopital »): what stop words are matched on.
    public let folded: String
    /// The Snowball stem, folded: « hôpitaux », « Hopital » and « hôpital » share it.
    public let stem: String
    /// A French stop word (« le », « de », « avec »…), never a key word nor a phrase's end.
    public let isStopWord: Bool
    /// Where the word starts and ends in the text, elision excluded: a phrase's surface form is
    /// the text between its first word's start and its last word's end.
    public let range: Range<String.Index>
}

/// Cuts French text into clauses of words: lowercase, elisions removed, accents folded for
/// matching, each word stemmed. A clause ends at punctuation or at a number, so that a phrase
/// never spans « hôpital. Public » or « 2 bus ».
public struct FrenchTokenizer: Sendable {
    let stemmer: FrenchStemmer
    let stopWords: FrenchStopWords

    public init(stemmer: FrenchStemmer = .shared, stopWords: FrenchStopWords = .shared) {
        self.stemmer = stemmer
        self.stopWords = stopWords
    }

    /// The words before an apostrophe that French elides: « l'air », « d'eau », « qu'il »,
    /// « jusqu'au », « lorsqu'on ». Folded, so « Qu' » and « qu' » are one.
    static let elisions: Set<String> = [
        "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu", "quelqu",
    ]

    /// Words whose apostrophe is part of the word, not an elision.
    static let wholeWords: Set<String> = ["aujourd'hui", "prud'homme", "prud'hommes", "presqu'ile", "presqu'iles"]

    /// Lowercase, without accents, with the typographic apostrophe as the plain one:
    /// « Élève’s » → « eleve's »; « œuvre » → « oeuvre ».
    public static func fold(_ text: some StringProtocol) -> String {
        String(text).lowercased()
            .replacingOccurrences(of: "œ", with: "oe").replacingOccurrences(of: "æ", with: "ae")
            .folding(options: [.diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
            .replacingOccurrences(of: "’", with: "'").replacingOccurrences(of: "ʼ", with: "'")
    }

    static func isApostrophe(_ character: Character) -> Bool {
        character == "'" || character == "’" || character == "ʼ"
    }

    /// The clauses of `text`, each a list of its words in order.
    public func clauses(of text: String) -> [[FrenchToken]] {
        var clauses: [[FrenchToken]] = []
        var clause: [FrenchToken] = []
        func closeClause() {
            if !clause.isEmpty { clauses.append(clause) }
            clause = []
        }
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character.isLetter || character.isNumber else {
                // Spaces, hyphens and apostrophes between words keep the clause; anything else ends it.
                if !(character.isWhitespace || character == "-" || Self.isApostrophe(character)) || character.isNewline {
                    closeClause()
                }
                index = text.index(after: index)
                continue
            }
            // A run of letters and digits, with apostrophes inside it (elisions are split below).
            var end = index
            while end < text.endIndex {
                let next = text[end]
                if next.isLetter || next.isNumber {
                    end = text.index(after: end)
                } else if Self.isApostrophe(next), text.index(after: end) < text.endIndex, text[text.index(after: end)].isLetter {
                    end = text.index(after: end)
                } else {
                    break
                }
            }
            for piece in pieces(of: text, index..<end) {
                let word = text[piece]
                if word.contains(where: \.isNumber) {
                    // « 2 bus », « A16 »: a figure is no trend, and no phrase runs across it.
                    closeClause()
                    continue
                }
                // A lone letter is noise (« M. », « n° »), unless it is a word of its own (« à », « y »).
                guard word.count >= 2 || stopWords.contains(folded: Self.fold(word)) else { continue }
                clause.append(token(word, range: piece))
            }
            index = end
        }
        closeClause()
        return clauses
    }

    /// Every word of `text`, clauses joined.
    public func tokens(of text: String) -> [FrenchToken] {
        clauses(of: text).flatMap { $0 }
    }

    /// A run cut at its apostrophes: an elided word before one is dropped (« l'hôpital » →
    /// « hôpital »), another word before one stays a word of its own.
    private func pieces(of text: String, _ run: Range<String.Index>) -> [Range<String.Index>] {
        if Self.wholeWords.contains(Self.fold(text[run])) { return [run] }
        var pieces: [Range<String.Index>] = []
        var start = run.lowerBound
        var index = run.lowerBound
        while index < run.upperBound {
            if Self.isApostrophe(text[index]) {
                if !Self.elisions.contains(Self.fold(text[start..<index])) { pieces.append(start..<index) }
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        if start < run.upperBound { pieces.append(start..<run.upperBound) }
        return pieces
    }

    private func token(_ word: Substring, range: Range<String.Index>) -> FrenchToken {
        let lowercase = word.lowercased()
        let folded = Self.fold(lowercase)
        let isStopWord = stopWords.contains(folded: folded)
        // A stop word is kept as it is (only a phrase's middle holds one); other words are stemmed.
        let stem = isStopWord ? folded : Self.fold(stemmer.stem(lowercase))
        return FrenchToken(surface: lowercase, folded: folded, stem: stem, isStopWord: isStopWord, range: range)
    }
}
