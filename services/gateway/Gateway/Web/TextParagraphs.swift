import Foundation

/// A plain text as the templates show it: one paragraph per line that is not blank, each
/// escaped by the template (texts are never HTML).
enum TextParagraphs {
    static func of(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
