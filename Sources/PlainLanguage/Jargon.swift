import Foundation

/// Administrative words and phrases with plainer French, kept as data (`Jargon/french.txt`).
public struct JargonList: Sendable {
    /// One expression and what to write instead.
    public struct Entry: Sendable, Equatable {
        public let expression: String
        public let plainer: String
        /// The expression's words, folded (lowercase, no accents), for matching.
        let words: [String]
    }

    public let entries: [Entry]

    /// The list shipped with this module.
    public static let french: JargonList = {
        // The file is part of the build and its parsing is covered by the tests: a failure here
        // is a packaging mistake that must stop the process at start-up.
        guard let url = Bundle.module.url(forResource: "french", withExtension: "txt", subdirectory: "Jargon"),
            let source = try? String(contentsOf: url, encoding: .utf8), let list = try? JargonList(parsing: source)
        else { fatalError("PlainLanguage: Jargon/french.txt is missing or malformed") }
        return list
    }()

    /// Parses `expression = plainer` lines; the first malformed line stops it with its number.
    public init(parsing source: String) throws(JargonListError) {
        var entries: [Entry] = []
        for (index, rawLine) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw JargonListError(line: index + 1) }
            let words = TextScanner.words(in: parts[0]).map { TextScanner.fold($0.text) }
            entries.append(Entry(expression: parts[0], plainer: parts[1], words: words))
        }
        self.entries = entries
    }

    /// The expressions found in a text, each once, in the order of the list.
    public func findings(in text: String) -> [JargonFinding] {
        let words = TextScanner.words(in: text).map { TextScanner.fold($0.text) }
        return entries.filter { entry in
            guard !entry.words.isEmpty, words.count >= entry.words.count else { return false }
            return (0...(words.count - entry.words.count)).contains { start in
                entry.words.indices.allSatisfy { offset in
                    let word = words[start + offset]
                    let expected = entry.words[offset]
                    return word == expected || ["s", "x", "e", "es"].contains { word == expected + $0 }
                }
            }
        }.map { JargonFinding(expression: $0.expression, plainer: $0.plainer) }
    }
}

/// A line of the jargon list that does not read as `expression = plainer`.
public struct JargonListError: Error, Equatable {
    public let line: Int
}

/// An administrative expression found in a text, with plainer words to use.
public struct JargonFinding: Sendable, Equatable {
    public let expression: String
    public let plainer: String
}
