// The part before `@`, as RFC 5321 writes it without quotes: a dot-atom (atoms of `atext`
// joined by single dots), where RFC 6531 also lets letters, digits and marks of any script
// in. Quoted local parts (`"a b"@example.org`) are refused: nobody types them, and they carry
// what a mail header or a page must never receive (`<`, `>`, `,`, controls).
extension EmailAddress {
    /// The ASCII characters of `atext` (RFC 5322) besides letters and digits.
    private static let atextSymbols: Set<Unicode.Scalar> = [
        "!", "#", "$", "%", "&", "'", "*", "+", "-", "/", "=", "?", "^", "_", "`", "{", "|", "}", "~",
    ]

    /// True when `local` is a dot-atom of ASCII `atext` and of non-ASCII letters, digits and marks:
    /// no control, format (bidi controls such as U+202E, zero-width characters), space, symbol
    /// or punctuation beyond `atext`.
    static func isDotAtom(_ local: some StringProtocol) -> Bool {
        let atoms = local.split(separator: ".", omittingEmptySubsequences: false)
        return atoms.allSatisfy { atom in
            !atom.isEmpty && atom.unicodeScalars.allSatisfy(isAtext)
        }
    }

    private static func isAtext(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || atextSymbols.contains(scalar)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}
