import Foundation

/// French stop words, kept as data (`StopWords/french.txt`), matched on folded words.
public struct FrenchStopWords: Sendable {
    public let words: Set<String>

    /// The list shipped with this module.
    public static let shared: FrenchStopWords = {
        // The file is part of the build and its reading is covered by the tests: a failure here
        // is a packaging mistake that must stop the process at start-up.
        guard let url = Bundle.module.url(forResource: "french", withExtension: "txt", subdirectory: "StopWords"),
            let source = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("TextTrends: StopWords/french.txt is missing") }
        return FrenchStopWords(parsing: source)
    }()

    /// Reads words separated by spaces, a line's `#` starting a comment; each word is folded.
    public init(parsing source: String) {
        var words: Set<String> = []
        for line in source.split(whereSeparator: \.isNewline) {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            for word in content.split(whereSeparator: \.isWhitespace) { words.insert(FrenchTokenizer.fold(word)) }
        }
        self.words = words
    }

    public func contains(folded word: String) -> Bool {
        words.contains(word)
    }
}
