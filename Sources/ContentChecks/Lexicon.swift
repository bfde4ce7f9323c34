public import Foundation

/// A list of insults, hateful expressions and threats, kept as data and compiled once.
///
/// The source is plain text, one item per line; `#` starts a comment:
///
///     insult 3 connard                 # <category> <severity 1-5> <expression>
///     hate 5 sale @group               # @name refers to a word class
///     threat 5 je vais te @kill
///     allow cône                       # never reported, although "cone" reads like "conne"
///     @group = arabe | juif | juive    # a word class: single words separated by |
///
/// Expressions are written in plain French; matching ignores case and accents, repeated
/// letters, leetspeak and spacing tricks, and accepts plural and feminine endings, so one
/// line covers "connard", "CONNARDS", "c0nnarde" and "c o n n a r d".
public struct Lexicon: Sendable {
    /// What kind of harm an expression does; each becomes its own moderation rule.
    public enum Category: String, Sendable, Codable, CaseIterable {
        case insult
        case hate
        case threat
    }

    /// One expression to look for.
    public struct Entry: Sendable, Equatable {
        public let category: Category
        /// 1 (mild, "idiot") to 5 (gravest: slurs, death threats).
        public let severity: Int
        /// As written in the source.
        public let expression: String
        /// Where it is defined, so "why did this fire?" leads straight to the line.
        public let line: Int
    }

    public let entries: [Entry]
    /// Expressions never reported although they contain a lexicon word ("cône", "pain bâtard").
    public let allowed: [String]
    let matcher: LexiconMatcher

    /// The French lexicon shipped with this module (`Lexicon/french.txt`).
    public static let french: Lexicon = {
        // The file is part of the build and its parsing is covered by the tests, so a
        // failure here is a packaging mistake that must stop the worker at start-up.
        guard let url = Bundle.module.url(forResource: "french", withExtension: "txt", subdirectory: "Lexicon") else {
            fatalError("ContentChecks: Lexicon/french.txt is missing from the resource bundle")
        }
        do {
            return try Lexicon(contentsOf: url)
        } catch {
            fatalError("ContentChecks: the bundled French lexicon does not load: \(error)")
        }
    }()

    /// Reads and parses a lexicon file.
    public init(contentsOf url: URL) throws {
        try self.init(parsing: String(contentsOf: url, encoding: .utf8))
    }

    /// Parses a lexicon; the first malformed line stops it with an error naming that line.
    public init(parsing source: String) throws(LexiconError) {
        let folder = ScalarFolder.shared
        var entries: [Entry] = []
        var allowed: [String] = []
        var patterns: [LexiconMatcher.ParsedPattern] = []
        var classes: [String: (line: Int, words: [[UInt8]])] = [:]
        var references: [(name: String, line: Int)] = []

        let lines = source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (offset, rawLine) in lines.enumerated() {
            let number = offset + 1
            var content = rawLine[...]
            if let hash = content.firstIndex(of: "#") {
                content = content[..<hash]
            }
            let line = content.trimmed()
            if line.isEmpty { continue }

            if line.first == "@" {
                let (name, words) = try Self.parseClass(line, line: number, folder: folder)
                if let existing = classes[name] {
                    throw LexiconError(line: number, message: "word class @\(name) is already defined on line \(existing.line)")
                }
                classes[name] = (number, words)
                continue
            }

            let fields = line.split(maxSplits: 1, whereSeparator: \.isWhitespace)
            let keyword = String(fields[0])
            if keyword == "allow" {
                guard fields.count == 2 else {
                    throw LexiconError(line: number, message: "missing expression after 'allow'")
                }
                let elements = try Self.parseExpression(fields[1], line: number, folder: folder, references: &references)
                allowed.append(String(fields[1].trimmed()))
                patterns.append(.init(elements: elements, entry: nil))
                continue
            }
            guard let category = Category(rawValue: keyword) else {
                throw LexiconError(line: number, message: "unknown category '\(keyword)' (expected insult, hate, threat, allow or an @class definition)")
            }
            let rest = fields.count == 2 ? fields[1].split(maxSplits: 1, whereSeparator: \.isWhitespace) : []
            guard let severityField = rest.first, let severity = Int(severityField), (1...5).contains(severity) else {
                throw LexiconError(line: number, message: "severity must be a number from 1 to 5 after '\(keyword)'")
            }
            guard rest.count == 2 else {
                throw LexiconError(line: number, message: "missing expression after the severity")
            }
            let elements = try Self.parseExpression(rest[1], line: number, folder: folder, references: &references)
            patterns.append(.init(elements: elements, entry: entries.count))
            entries.append(Entry(category: category, severity: severity, expression: String(rest[1].trimmed()), line: number))
        }

        for reference in references where classes[reference.name] == nil {
            throw LexiconError(line: reference.line, message: "unknown word class @\(reference.name)")
        }
        self.entries = entries
        self.allowed = allowed
        self.matcher = LexiconMatcher(patterns: patterns, classes: classes.mapValues(\.words))
    }

    /// `@name = word | word | …`
    private static func parseClass(_ line: Substring, line number: Int, folder: ScalarFolder) throws(LexiconError) -> (String, [[UInt8]]) {
        guard let equals = line.firstIndex(of: "=") else {
            throw LexiconError(line: number, message: "a word class is written '@name = word | word'")
        }
        let name = line[line.index(after: line.startIndex)..<equals].trimmed()
        guard Self.isClassName(name) else {
            throw LexiconError(line: number, message: "'@\(name)' is not a valid class name (lower-case letters, digits and _)")
        }
        var words: [[UInt8]] = []
        for member in line[line.index(after: equals)...].split(separator: "|", omittingEmptySubsequences: false) {
            let word = member.trimmed()
            guard !word.isEmpty else {
                throw LexiconError(line: number, message: "empty member in word class @\(name)")
            }
            guard let folded = foldWord(word, folder: folder) else {
                throw LexiconError(line: number, message: "'\(word)' in word class @\(name) must be a single word of letters")
            }
            words.append(folded)
        }
        return (String(name), words)
    }

    private static func parseExpression(
        _ expression: Substring, line number: Int, folder: ScalarFolder, references: inout [(name: String, line: Int)]
    ) throws(LexiconError) -> [LexiconMatcher.ParsedElement] {
        var elements: [LexiconMatcher.ParsedElement] = []
        // Apostrophes and hyphens split words in texts ("d'ordure", "fils-de-pute"), so they do here too.
        let pieces = expression.split { $0.isWhitespace || "'’ʼ-‐–".contains($0) }
        for piece in pieces {
            if piece.first == "@" {
                let name = piece.dropFirst()
                guard isClassName(name) else {
                    throw LexiconError(line: number, message: "'\(piece)' is not a valid class reference")
                }
                references.append((String(name), number))
                elements.append(.wordClass(String(name)))
            } else if let folded = foldWord(piece, folder: folder) {
                elements.append(.word(folded))
            } else {
                throw LexiconError(line: number, message: "'\(piece)' is not a word: expressions hold letters, spaces, apostrophes, hyphens and @class references")
            }
        }
        guard !elements.isEmpty else {
            throw LexiconError(line: number, message: "missing expression")
        }
        return elements
    }

    /// Lower-case ASCII letters of a word, or nil when it holds anything but Latin letters.
    private static func foldWord(_ word: Substring, folder: ScalarFolder) -> [UInt8]? {
        var bytes: [UInt8] = []
        for scalar in word.unicodeScalars {
            let folded = folder.fold(scalar)
            switch folded.kind {
            case .letter where folded.first != FoldedScalar.nonLatinLetter:
                bytes.append(folded.first)
                if folded.second != 0 { bytes.append(folded.second) }
            case .ignorable:
                continue
            default:
                return nil
            }
        }
        return bytes.isEmpty ? nil : bytes
    }

    private static func isClassName(_ name: Substring) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCIIDigit || ($0.value >= 0x61 && $0.value <= 0x7A) || $0 == "_" }
    }
}

/// A malformed lexicon line.
public struct LexiconError: Error, Equatable, CustomStringConvertible {
    /// 1-based line number in the source.
    public let line: Int
    public let message: String

    public var description: String { "lexicon line \(line): \(message)" }
}

extension Substring {
    func trimmed() -> Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result.removeFirst() }
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result
    }
}
