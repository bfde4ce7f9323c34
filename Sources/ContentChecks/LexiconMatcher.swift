/// The lexicon compiled into hash tables, and the scan of a text's words against it.
///
/// Each word of the text is reduced to a few keys: its letters folded (lower case, no
/// accents, leetspeak decoded), then squeezed (every run of one letter kept once, so
/// "connnard" and "conard" meet "connard"), with common plural and feminine endings
/// stripped. A lexicon word matches when one of those keys equals its own squeezed key.
/// Whole words are compared, never substrings, so "con" cannot fire inside "construction".
struct LexiconMatcher: Sendable {
    enum ParsedElement: Sendable {
        case word([UInt8])
        case wordClass(String)
    }

    struct ParsedPattern: Sendable {
        var elements: [ParsedElement]
        /// Index in `Lexicon.entries`; nil for an allowed expression.
        var entry: Int?
    }

    /// A lexicon entry found in a text.
    struct Match: Equatable {
        var entry: Int
        /// Scalar range of the matched words in the original text.
        var scalars: Range<Int>
    }

    private struct Pattern: Sendable {
        /// For each word of the expression, the keys it accepts (several for a word class).
        var elements: [[UInt64]]
        var entry: Int?
    }

    private let patterns: [Pattern]
    /// Entries by the squeezed keys of their first word.
    private let entriesByFirstKey: [UInt64: [Int]]
    /// Allowed expressions by the exact (unsqueezed) key of their first word: "cône" must be
    /// allowed while "conne", which squeezes to the same letters, must not.
    private let allowedByFirstKey: [UInt64: [Int]]
    /// Every word an entry can match, spelled out, to resolve words with hidden letters (`p*te`).
    private let spelledWords: [(letters: [UInt8], key: UInt64)]

    init(patterns parsed: [ParsedPattern], classes: [String: [[UInt8]]]) {
        var patterns: [Pattern] = []
        var entriesByFirstKey: [UInt64: [Int]] = [:]
        var allowedByFirstKey: [UInt64: [Int]] = [:]
        var spelled: [[UInt8]: UInt64] = [:]

        for pattern in parsed {
            let isAllowed = pattern.entry == nil
            var elements: [[UInt64]] = []
            for element in pattern.elements {
                let words: [[UInt8]]
                switch element {
                case .word(let letters): words = [letters]
                case .wordClass(let name): words = classes[name] ?? []
                }
                elements.append(words.map { isAllowed ? StableHash.fnv1a($0) : StableHash.fnv1a(Self.squeezed($0)) })
                if !isAllowed {
                    for word in words { spelled[word] = StableHash.fnv1a(Self.squeezed(word)) }
                }
            }
            let index = patterns.count
            patterns.append(Pattern(elements: elements, entry: pattern.entry))
            for key in Set(elements[0]) {
                if isAllowed {
                    allowedByFirstKey[key, default: []].append(index)
                } else {
                    entriesByFirstKey[key, default: []].append(index)
                }
            }
        }
        self.patterns = patterns
        self.entriesByFirstKey = entriesByFirstKey
        self.allowedByFirstKey = allowedByFirstKey
        self.spelledWords = spelled.map { ($0.key, $0.value) }.sorted { $0.letters.lexicographicallyPrecedes($1.letters) }
    }

    // MARK: - Scanning

    /// A word of the text with its lookup keys, stored in the shared key arrays.
    private struct Token {
        var start: Int
        var end: Int
        var exactKeys: Range<Int>
        var squeezedKeys: Range<Int>
    }

    /// Every entry found in the text, minus those inside an allowed expression.
    func matches(in text: ScannedText) -> [Match] {
        var builder = TokenBuilder()
        let words = text.words
        var index = 0
        while index < words.count {
            // Three or more one-character words in a row, with the same separator between
            // them, are one spelled-out word: "c o n n a r d", "c.o.n.n.a.r.d", "c-o-n".
            // The same separator, so that "c.o.n, c o n" stays two words.
            if Self.isSingleCharacter(words[index]) {
                var last = index
                while last + 1 < words.count, Self.isSingleCharacter(words[last + 1]),
                    text.isShortGap(between: last, and: last + 1, limit: 3),
                    last == index || Self.sameGap(in: text, after: index, as: last)
                {
                    last += 1
                }
                if last - index >= 2 {
                    builder.raw.removeAll(keepingCapacity: true)
                    for word in words[index...last] { builder.raw.append(contentsOf: text.bytes(of: word)) }
                    builder.addToken(start: words[index].start, end: words[last].end, spelledWords: spelledWords)
                    index = last + 1
                    continue
                }
            }
            builder.raw.removeAll(keepingCapacity: true)
            builder.raw.append(contentsOf: text.bytes(of: words[index]))
            builder.addToken(start: words[index].start, end: words[index].end, spelledWords: spelledWords)
            index += 1
        }

        let found = find(in: builder, firstKeys: entriesByFirstKey, exact: false)
        if found.isEmpty { return [] }
        let allowedSpans = find(in: builder, firstKeys: allowedByFirstKey, exact: true).map(\.scalars)
        return found.compactMap { match in
            guard let entry = patterns[match.pattern].entry, !allowedSpans.contains(where: { $0.overlaps(match.scalars) }) else {
                return nil
            }
            return Match(entry: entry, scalars: match.scalars)
        }
    }

    private func find(in builder: TokenBuilder, firstKeys: [UInt64: [Int]], exact: Bool) -> [(pattern: Int, scalars: Range<Int>)] {
        guard !firstKeys.isEmpty else { return [] }
        var found: [(pattern: Int, scalars: Range<Int>)] = []
        var candidates: [Int] = []
        let tokens = builder.tokens
        for position in tokens.indices {
            candidates.removeAll(keepingCapacity: true)
            for key in builder.keys(of: tokens[position], exact: exact) {
                guard let patternIndices = firstKeys[key] else { continue }
                for patternIndex in patternIndices where !candidates.contains(patternIndex) {
                    candidates.append(patternIndex)
                }
            }
            for patternIndex in candidates {
                let elements = patterns[patternIndex].elements
                guard position + elements.count <= tokens.count else { continue }
                var matched = true
                for offset in 1..<max(1, elements.count) {
                    let keys = builder.keys(of: tokens[position + offset], exact: exact)
                    if !keys.contains(where: { elements[offset].contains($0) }) {
                        matched = false
                        break
                    }
                }
                if matched {
                    found.append((patternIndex, tokens[position].start..<tokens[position + elements.count - 1].end))
                }
            }
        }
        return found
    }

    private static func isSingleCharacter(_ word: ScannedText.Word) -> Bool {
        word.end - word.start == 1
    }

    /// Whether the characters after word `first` equal those after word `other`.
    private static func sameGap(in text: ScannedText, after first: Int, as other: Int) -> Bool {
        let words = text.words
        let gap = words[first].end..<words[first + 1].start
        let otherGap = words[other].end..<words[other + 1].start
        return text.scalars[gap].elementsEqual(text.scalars[otherGap])
    }

    // MARK: - Keys

    /// Builds tokens and their keys into flat arrays reused for the whole text, so a scan
    /// allocates a handful of arrays rather than several per word.
    private struct TokenBuilder {
        var tokens: [Token] = []
        var exactKeys: [UInt64] = []
        var squeezedKeys: [UInt64] = []
        /// The current word's folded bytes, as scanned.
        var raw: [UInt8] = []
        private var letters: [UInt8] = []
        private var squeezed: [UInt8] = []

        func keys(of token: Token, exact: Bool) -> ArraySlice<UInt64> {
            exact ? exactKeys[token.exactKeys] : squeezedKeys[token.squeezedKeys]
        }

        mutating func addToken(start: Int, end: Int, spelledWords: [(letters: [UInt8], key: UInt64)]) {
            let exactStart = exactKeys.count
            let squeezedStart = squeezedKeys.count
            defer {
                tokens.append(Token(start: start, end: end, exactKeys: exactStart..<exactKeys.count, squeezedKeys: squeezedStart..<squeezedKeys.count))
            }

            // Leetspeak is decoded only in words that have real letters: "2024" stays a number.
            letters.removeAll(keepingCapacity: true)
            var hasLetter = false
            var wildcards = 0
            for byte in raw {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), FoldedScalar.nonLatinLetter:
                    hasLetter = true
                    letters.append(byte)
                case UInt8(ascii: "*"):
                    wildcards += 1
                    letters.append(byte)
                default:
                    letters.append(Self.leetLetter[Int(byte)])
                }
            }
            guard hasLetter else { return }

            if wildcards > 0 {
                if Self.isSpelledWithStars(letters) {
                    // "c*o*n*n*a*r*d": the stars separate letters rather than hide them.
                    letters.removeAll { $0 == UInt8(ascii: "*") }
                } else {
                    resolveHiddenLetters(wildcards: wildcards, spelledWords: spelledWords)
                    return
                }
            }

            let exact = StableHash.fnv1a(letters)
            exactKeys.append(exact)
            let last = letters[letters.count - 1]
            if letters.count >= 4 && (last == UInt8(ascii: "s") || last == UInt8(ascii: "x")) {
                exactKeys.append(StableHash.fnv1a(letters[..<(letters.count - 1)]))
            }

            squeezed.removeAll(keepingCapacity: true)
            for byte in letters where byte != squeezed.last {
                squeezed.append(byte)
            }
            squeezedKeys.append(StableHash.fnv1a(squeezed))
            for suffix in Self.suffixes where squeezed.count - suffix.count >= 3 && squeezed.ends(with: suffix) {
                squeezedKeys.append(StableHash.fnv1a(squeezed[..<(squeezed.count - suffix.count)]))
            }
            // -euse is the feminine of -eur: "emmerdeuse" is an "emmerdeur".
            for ending in Self.feminineOfEur where squeezed.count - ending.count >= 2 && squeezed.ends(with: ending) {
                let stem = StableHash.fnv1a(squeezed[..<(squeezed.count - ending.count)])
                squeezedKeys.append(StableHash.fnv1a(Self.eur[...], from: stem))
            }
        }

        /// A word with hidden letters ("p*te", "enc*lé", "f**tre") takes the keys of every
        /// lexicon word it can spell, provided enough of it is visible to be a deliberate
        /// spelling rather than noise.
        private mutating func resolveHiddenLetters(wildcards: Int, spelledWords: [(letters: [UInt8], key: UInt64)]) {
            let visible = letters.count - wildcards
            guard visible >= 2 && wildcards <= visible else { return }
            for word in spelledWords {
                for suffix in Self.hiddenLetterSuffixes where word.letters.count + suffix.count == letters.count {
                    var fits = true
                    for (position, byte) in letters.enumerated() where byte != UInt8(ascii: "*") {
                        let expected = position < word.letters.count ? word.letters[position] : suffix[position - word.letters.count]
                        if byte != expected {
                            fits = false
                            break
                        }
                    }
                    if fits {
                        squeezedKeys.append(word.key)
                        break
                    }
                }
            }
        }

        private static func isSpelledWithStars(_ letters: [UInt8]) -> Bool {
            guard letters.count >= 5 else { return false }
            for (position, byte) in letters.enumerated() where (byte == UInt8(ascii: "*")) != (position % 2 == 1) {
                return false
            }
            return true
        }

        /// Plural and feminine endings, as they read once squeezed ("connes" → "cones" → "con").
        private static let suffixes: [[UInt8]] = ["s", "x", "e", "es", "se", "ses"].map { Array($0.utf8) }
        private static let feminineOfEur: [[UInt8]] = ["euse", "euses"].map { Array($0.utf8) }
        private static let eur: [UInt8] = Array("eur".utf8)
        private static let hiddenLetterSuffixes: [[UInt8]] = ["", "s", "e", "es"].map { Array($0.utf8) }

        /// Folded byte → the letter it stands for in leetspeak; other bytes map to themselves.
        private static let leetLetter: [UInt8] = {
            var table = (0...255).map { UInt8($0) }
            let pairs: [(Unicode.Scalar, Unicode.Scalar)] = [
                ("0", "o"), ("1", "i"), ("3", "e"), ("4", "a"), ("5", "s"), ("7", "t"), ("@", "a"), ("$", "s"),
            ]
            for (symbol, letter) in pairs {
                table[Int(UInt8(ascii: symbol))] = UInt8(ascii: letter)
            }
            table[Int(FoldedScalar.euroByte)] = UInt8(ascii: "e")
            return table
        }()
    }

    static func squeezed(_ letters: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(letters.count)
        for byte in letters where byte != result.last {
            result.append(byte)
        }
        return result
    }
}

extension Array where Element == UInt8 {
    @inline(__always)
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
