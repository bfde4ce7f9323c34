/// A text cut once into words, shared by every check so none of them rescans it.
struct ScannedText {
    /// A run of word characters in the original text.
    struct Word {
        /// Scalar offsets of the word in `scalars`.
        var start: Int
        var end: Int
        /// The word's folded characters in `folded` (lower case, no accents, raw leet symbols).
        var bytes: Range<Int>
        var letters: Int
        var uppercase: Int
        var digits: Int
        var leet: Int
        var wildcards: Int

        var isNumber: Bool { letters == 0 && leet == 0 && wildcards == 0 && digits > 0 }
    }

    let scalars: [Unicode.Scalar]
    private(set) var folded: [UInt8] = []
    private(set) var words: [Word] = []

    init(_ text: String, folder: ScalarFolder = .shared) {
        let scalars = Array(text.unicodeScalars)
        self.scalars = scalars
        folded.reserveCapacity(scalars.count)
        words.reserveCapacity(scalars.count / 5 + 1)

        var inWord = false
        var word = Word(start: 0, end: 0, bytes: 0..<0, letters: 0, uppercase: 0, digits: 0, leet: 0, wildcards: 0)
        var index = 0
        let count = scalars.count
        while index < count {
            let scalar = folder.fold(scalars[index])
            switch scalar.kind {
            case .letter, .digit, .leet:
                if !inWord {
                    inWord = true
                    word = Word(start: index, end: index, bytes: folded.count..<folded.count, letters: 0, uppercase: 0, digits: 0, leet: 0, wildcards: 0)
                }
                folded.append(scalar.first)
                if scalar.second != 0 { folded.append(scalar.second) }
                switch scalar.kind {
                case .letter:
                    word.letters += 1
                    if scalar.isUppercase { word.uppercase += 1 }
                case .digit: word.digits += 1
                default: word.leet += 1
                }
                word.end = index + 1
            case .wildcard:
                // A star only hides a letter between word characters ("p*te", "c**nard");
                // around a word it is emphasis ("*important*") and ends the word.
                if inWord && Self.wordCharacterFollows(index, in: scalars, folder: folder) {
                    folded.append(scalar.first)
                    word.wildcards += 1
                    word.end = index + 1
                } else if inWord {
                    inWord = false
                    closeWord(&word)
                }
            case .ignorable:
                break
            case .separator:
                if inWord {
                    inWord = false
                    closeWord(&word)
                }
            }
            index += 1
        }
        if inWord { closeWord(&word) }
    }

    private mutating func closeWord(_ word: inout Word) {
        word.bytes = word.bytes.lowerBound..<folded.count
        words.append(word)
    }

    private static func wordCharacterFollows(_ index: Int, in scalars: [Unicode.Scalar], folder: ScalarFolder) -> Bool {
        var next = index + 1
        while next < scalars.count {
            switch folder.fold(scalars[next]).kind {
            case .wildcard, .ignorable: next += 1
            case .letter, .digit, .leet: return true
            case .separator: return false
            }
        }
        return false
    }

    /// The original text of a scalar range, for excerpts.
    func text(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
    }

    /// The folded bytes of a word.
    @inline(__always)
    func bytes(of word: Word) -> ArraySlice<UInt8> {
        folded[word.bytes]
    }

    /// Whether the word's folded form is exactly `ascii`.
    func word(_ index: Int, is ascii: String) -> Bool {
        folded[words[index].bytes].elementsEqual(ascii.utf8)
    }

    /// Whether the characters between two consecutive words are few (at most `limit`) and
    /// stay on one line, i.e. the words belong to the same phrase.
    func isShortGap(between first: Int, and second: Int, limit: Int) -> Bool {
        let from = words[first].end
        let to = words[second].start
        guard to - from <= limit else { return false }
        for index in from..<to where scalars[index] == "\n" || scalars[index] == "\r" {
            return false
        }
        return true
    }
}

extension Unicode.Scalar {
    @inline(__always) var isASCIIDigit: Bool { value >= 0x30 && value <= 0x39 }
    @inline(__always) var isASCIILetter: Bool { (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A }
    /// Spaces as typed in French: ordinary, no-break (before « ! ? : ») and narrow no-break.
    @inline(__always) var isSpaceLike: Bool {
        value == 0x20 || value == 0x09 || value == 0xA0 || value == 0x202F || value == 0x2009
    }
    @inline(__always) var isWhitespaceOrNewline: Bool {
        isSpaceLike || value == 0x0A || value == 0x0D
    }
    @inline(__always) var asciiDigitValue: Int { Int(value) - 0x30 }
}
