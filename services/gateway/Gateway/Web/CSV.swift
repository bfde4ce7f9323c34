import Foundation

/// CSV as the platform's downloads write it: `;` between fields (what French spreadsheets
/// expect), CRLF line ends and RFC 4180 quoting (a field holding the separator, a quote or a
/// line break is quoted, its quotes doubled), a byte-order mark first so spreadsheets read the
/// file as UTF-8.
enum CSV {
    static let byteOrderMark = "\u{FEFF}"

    /// One line, its fields separated and quoted, ending in CRLF.
    static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ";") + "\r\n"
    }

    /// A field, quoted when needed. A text starting with =, +, -, @, a tab or a carriage return
    /// is neutralised with a leading apostrophe, so a spreadsheet never runs what someone typed
    /// as a formula; a plain number (« -3 », « 2.5 ») stays a number.
    static func field(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@\t\r".contains(first), !isPlainNumber(text) { text = "'" + text }
        guard text.contains(where: { $0 == ";" || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// An optional minus, digits, and optionally a point and more digits.
    private static func isPlainNumber(_ text: String) -> Bool {
        let unsigned = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }
}
