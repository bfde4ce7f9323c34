import Foundation

/// Cuts a text into sentences and words, the way the readability formulas count them.
enum TextScanner {
    struct Piece {
        let text: String
        /// Where it starts in the text, in characters.
        let offset: Int
        var letterCount: Int { text.count { $0.isLetter } }
    }

    /// Sentences end at . ! ? … (repeated or not) or at a blank line; a piece without a word is no sentence.
    static func sentences(in text: String) -> [Piece] {
        var pieces: [Piece] = []
        var current = ""
        var start = 0
        var previous: Character?
        func close() {
            let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !words(in: trimmed).isEmpty {
                let leading = current.prefix { $0.isWhitespace || $0.isNewline }.count
                pieces.append(Piece(text: trimmed, offset: start + leading))
            }
            current = ""
        }
        for (index, character) in text.enumerated() {
            if current.isEmpty { start = index }
            let endsSentence = [".", "!", "?", "…"].contains(character)
            let blankLine = character == "\n" && previous == "\n"
            current.append(character)
            previous = character
            if blankLine { close() }
            else if !endsSentence, let last = current.dropLast().last, [".", "!", "?", "…"].contains(last), character.isWhitespace {
                close()
            }
        }
        close()
        return pieces
    }

    /// Words are runs of letters and digits; an apostrophe or a hyphen inside one keeps it
    /// whole (« l'assemblée », « peut-être »), as a reader counts them.
    static func words(in text: String) -> [Piece] {
        var pieces: [Piece] = []
        var current = ""
        var start = 0
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            let joins = ["'", "’", "-"].contains(character) && !current.isEmpty
                && index + 1 < characters.count && (characters[index + 1].isLetter || characters[index + 1].isNumber)
            if character.isLetter || character.isNumber || joins {
                if current.isEmpty { start = index }
                current.append(character)
            } else if !current.isEmpty {
                pieces.append(Piece(text: current, offset: start))
                current = ""
            }
        }
        if !current.isEmpty { pieces.append(Piece(text: current, offset: start)) }
        return pieces
    }

    /// Lowercase without accents (« Région » → « region »; « œ » → « oe »).
    static func fold(_ text: String) -> String {
        text.lowercased().replacingOccurrences(of: "œ", with: "oe").replacingOccurrences(of: "æ", with: "ae")
            .folding(options: [.diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
            .replacingOccurrences(of: "’", with: "'")
    }
}
