/// What a trend is about: one word, or a phrase of two or three words, by their stems.
public struct TermKey: Hashable, Sendable, Comparable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case word
        case phrase
    }

    public let kind: Kind
    /// The stems, space-separated (a phrase's stop word in the middle as folded: « qualit de air »).
    public let stems: String

    public init(kind: Kind, stems: String) {
        self.kind = kind
        self.stems = stems
    }

    public static func < (lhs: TermKey, rhs: TermKey) -> Bool {
        (lhs.kind.rawValue, lhs.stems) < (rhs.kind.rawValue, rhs.stems)
    }
}

/// The key words and key phrases of one text, each with the forms it is written in.
///
/// A key word is a word that is not a stop word. A key phrase is two or three consecutive
/// words of one clause that neither starts nor ends with a stop word (« transports en
/// commun », « qualité de l'air », « hôpital public »): the closest to a noun phrase that
/// needs no grammar of French.
public struct TermExtractor: Sendable {
    let tokenizer: FrenchTokenizer

    public init(tokenizer: FrenchTokenizer = FrenchTokenizer()) {
        self.tokenizer = tokenizer
    }

    /// Each term of `text`, with how often each of its written forms occurs (lowercase,
    /// spaces collapsed: « Hôpitaux  publics » counts as « hôpitaux publics »).
    public func terms(of text: String) -> [TermKey: [String: Int]] {
        var terms: [TermKey: [String: Int]] = [:]
        for clause in tokenizer.clauses(of: text) {
            for (index, token) in clause.enumerated() {
                if !token.isStopWord {
                    terms[TermKey(kind: .word, stems: token.stem), default: [:]][token.surface, default: 0] += 1
                }
                for length in 2...3 where index + length <= clause.count {
                    let words = clause[index..<(index + length)]
                    guard let first = words.first, let last = words.last, !first.isStopWord, !last.isStopWord else { continue }
                    let key = TermKey(kind: .phrase, stems: words.map(\.stem).joined(separator: " "))
                    let written = text[first.range.lowerBound..<last.range.upperBound].lowercased()
                        .split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    terms[key, default: [:]][written, default: 0] += 1
                }
            }
        }
        return terms
    }

    /// Whether `text` holds the term: the same stems in the same order within one clause.
    public func contains(_ key: TermKey, in text: String) -> Bool {
        terms(of: text)[key] != nil
    }

    /// The key a written word or phrase stands for (« Hôpitaux publics » → the phrase
    /// « hopital public »), or nil when it is no term (a stop word, a phrase with a stop word at an end).
    public func key(of written: String) -> TermKey? {
        let words = tokenizer.clauses(of: written)
        guard words.count == 1, let clause = words.first, (1...3).contains(clause.count) else { return nil }
        guard let first = clause.first, let last = clause.last, !first.isStopWord, !last.isStopWord else { return nil }
        return TermKey(kind: clause.count == 1 ? .word : .phrase, stems: clause.map(\.stem).joined(separator: " "))
    }
}
