/// Splits a SQL script into statements.
///
/// PostgresNIO speaks the extended protocol, which takes one statement at a time, so a
/// migration file is cut at its top-level semicolons: those outside quotes, quoted
/// identifiers, dollar-quoted bodies and comments.
public enum SQLScript {
    public static func statements(in script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        let characters = Array(script)
        var index = 0

        func flush() {
            let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty && !isOnlyComments(trimmed) { statements.append(trimmed) }
            current = ""
        }

        while index < characters.count {
            let character = characters[index]
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "-" where next == "-":
                while index < characters.count && characters[index] != "\n" {
                    current.append(characters[index])
                    index += 1
                }
                continue
            case "/" where next == "*":
                while index < characters.count && !(characters[index] == "*" && index + 1 < characters.count && characters[index + 1] == "/") {
                    current.append(characters[index])
                    index += 1
                }
                current.append("*/")
                index += 2
                continue
            case "'", "\"":
                // In E'...' strings a backslash escapes the next character, quote included.
                let backslashEscapes = character == "'" && index > 0 && (characters[index - 1] == "E" || characters[index - 1] == "e")
                    && (index < 2 || !isIdentifierCharacter(characters[index - 2]))
                current.append(character)
                index += 1
                while index < characters.count {
                    current.append(characters[index])
                    if backslashEscapes && characters[index] == "\\" && index + 1 < characters.count {
                        current.append(characters[index + 1])
                        index += 2
                        continue
                    }
                    if characters[index] == character {
                        // A doubled quote is an escaped quote inside the literal.
                        if index + 1 < characters.count && characters[index + 1] == character {
                            current.append(character)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    index += 1
                }
                continue
            case "$":
                // `a$b` is an identifier, not the start of a dollar-quoted string.
                if index == 0 || !isIdentifierCharacter(characters[index - 1]), let tag = dollarTag(in: characters, at: index) {
                    current += tag
                    index += tag.count
                    while index < characters.count && !matches(tag, in: characters, at: index) {
                        current.append(characters[index])
                        index += 1
                    }
                    if index < characters.count {
                        current += tag
                        index += tag.count
                    }
                    continue
                }
            case ";":
                flush()
                index += 1
                continue
            default:
                break
            }
            current.append(character)
            index += 1
        }
        flush()
        return statements
    }

    /// `$$` or `$tag$` starting at `index`, if any.
    private static func dollarTag(in characters: [Character], at index: Int) -> String? {
        var end = index + 1
        while end < characters.count, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" {
            end += 1
        }
        guard end < characters.count, characters[end] == "$" else { return nil }
        // `$1` is a parameter, not a tag.
        if end > index + 1, characters[index + 1].isNumber { return nil }
        return String(characters[index...end])
    }

    private static func matches(_ tag: String, in characters: [Character], at index: Int) -> Bool {
        let tagCharacters = Array(tag)
        guard index + tagCharacters.count <= characters.count else { return false }
        return Array(characters[index..<index + tagCharacters.count]) == tagCharacters
    }

    private static func isIdentifierCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "$"
    }

    /// Whether a chunk holds nothing but comments (nothing to execute).
    private static func isOnlyComments(_ text: String) -> Bool {
        var rest = Substring(text)
        while true {
            rest = rest.drop(while: \.isWhitespace)
            if rest.hasPrefix("--") {
                rest = rest.drop(while: { $0 != "\n" })
            } else if rest.hasPrefix("/*") {
                guard let end = rest.range(of: "*/") else { return true }
                rest = rest[end.upperBound...]
            } else {
                return rest.isEmpty
            }
        }
    }
}

import Foundation
