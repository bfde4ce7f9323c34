/// How one Unicode scalar looks to the scanners once case, accents and look-alike letters
/// are set aside.
struct FoldedScalar: Sendable {
    enum Kind: UInt8, Sendable {
        /// Ends a word: spaces, punctuation, symbols.
        case separator
        case letter
        case digit
        /// A symbol that stands for a letter inside a word (`@` for a, `$` for s, `€` for e).
        case leet
        /// `*` inside a word hides one letter (`p*te`).
        case wildcard
        /// Zero-width characters, soft hyphens and combining accents: they never split a word,
        /// so "con\u{200B}nard" and a decomposed "e\u{301}" read as plain letters.
        case ignorable
    }

    var kind: Kind
    /// Lower-case ASCII: the letter, the digit, or the raw leet symbol (`@`, `$`, `euroByte`).
    /// `nonLatinLetter` marks a letter with no Latin equivalent: it can never match the lexicon.
    var first: UInt8
    /// The second letter of a ligature (œ → oe, ß → ss), 0 when none.
    var second: UInt8
    var isUppercase: Bool

    static let nonLatinLetter: UInt8 = 0x80
    static let euroByte: UInt8 = 0x81
    static let separator = FoldedScalar(kind: .separator, first: 0, second: 0, isUppercase: false)
    static let ignorable = FoldedScalar(kind: .ignorable, first: 0, second: 0, isUppercase: false)
}

/// Folds scalars through tables built once, so scanning a text costs one array read per
/// scalar for everything written in French.
struct ScalarFolder: Sendable {
    static let shared = ScalarFolder()

    /// U+0000 to U+024F: ASCII, Latin-1 and Latin Extended-A/B, which cover French.
    private let latin: [FoldedScalar]
    /// Look-alike letters from other scripts and zero-width characters, used to dodge filters.
    private let beyondLatin: [UInt32: FoldedScalar]

    private init() {
        // Accented letters spelled out rather than taken from Foundation's diacritic folding,
        // whose output differs between platforms and versions.
        let groups: [(String, String)] = [
            ("ÀÁÂÃÄÅàáâãäåĀāĂăĄąǍǎ", "a"), ("Ææ", "ae"), ("ÇçĆćĈĉĊċČč", "c"), ("ĎďĐđÐð", "d"),
            ("ÈÉÊËèéêëĒēĔĕĖėĘęĚě", "e"), ("ĜĝĞğĠġĢģ", "g"), ("ĤĥĦħ", "h"),
            ("ÌÍÎÏìíîïĨĩĪīĬĭĮįİıǏǐ", "i"), ("Ĳĳ", "ij"), ("Ĵĵ", "j"), ("Ķķ", "k"),
            ("ĹĺĻļĽľĿŀŁł", "l"), ("ÑñŃńŅņŇňŉ", "n"), ("ÒÓÔÕÖØòóôõöøŌōŎŏŐőǑǒ", "o"), ("Œœ", "oe"),
            ("ŔŕŖŗŘř", "r"), ("ŚśŜŝŞşŠšſ", "s"), ("ß", "ss"), ("ŢţŤťŦŧ", "t"), ("Þþ", "th"),
            ("ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲųǓǔ", "u"), ("Ŵŵ", "w"), ("ÝýÿŸŶŷ", "y"), ("ŹźŻżŽž", "z"),
        ]
        var accented: [UInt32: [UInt8]] = [:]
        for (letters, folded) in groups {
            for scalar in letters.unicodeScalars {
                accented[scalar.value] = Array(folded.utf8)
            }
        }

        var latin: [FoldedScalar] = []
        latin.reserveCapacity(0x250)
        for value in 0..<UInt32(0x250) {
            let scalar = Unicode.Scalar(value)!
            let upper = scalar.properties.isUppercase
            switch value {
            case 0x41...0x5A:
                latin.append(FoldedScalar(kind: .letter, first: UInt8(value + 0x20), second: 0, isUppercase: true))
            case 0x61...0x7A:
                latin.append(FoldedScalar(kind: .letter, first: UInt8(value), second: 0, isUppercase: false))
            case 0x30...0x39:
                latin.append(FoldedScalar(kind: .digit, first: UInt8(value), second: 0, isUppercase: false))
            case 0x40, 0x24:  // @ $
                latin.append(FoldedScalar(kind: .leet, first: UInt8(value), second: 0, isUppercase: false))
            case 0x2A:  // *
                latin.append(FoldedScalar(kind: .wildcard, first: UInt8(value), second: 0, isUppercase: false))
            case 0xAD:  // soft hyphen
                latin.append(.ignorable)
            default:
                if let bytes = accented[value] {
                    latin.append(FoldedScalar(kind: .letter, first: bytes[0], second: bytes.count > 1 ? bytes[1] : 0, isUppercase: upper))
                } else if scalar.properties.isAlphabetic {
                    latin.append(FoldedScalar(kind: .letter, first: FoldedScalar.nonLatinLetter, second: 0, isUppercase: upper))
                } else {
                    latin.append(.separator)
                }
            }
        }
        self.latin = latin

        var beyond: [UInt32: FoldedScalar] = [:]
        let lookAlikes: [(String, String)] = [
            // Cyrillic and Greek letters drawn like Latin ones.
            ("аеорсхуіјѕ", "aeopcxyijs"), ("АВЕКМНОРСТХІЈЅ", "abekmhopctxijs"),
            ("οαεικνρτυχ", "oaeikvptux"), ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "abezhikmnoptyx"),
        ]
        for (from, to) in lookAlikes {
            for (scalar, letter) in zip(from.unicodeScalars, to.utf8) {
                beyond[scalar.value] = FoldedScalar(kind: .letter, first: letter, second: 0, isUppercase: scalar.properties.isUppercase)
            }
        }
        // Full-width forms.
        for offset in 0..<UInt32(26) {
            beyond[0xFF21 + offset] = FoldedScalar(kind: .letter, first: UInt8(0x61 + offset), second: 0, isUppercase: true)
            beyond[0xFF41 + offset] = FoldedScalar(kind: .letter, first: UInt8(0x61 + offset), second: 0, isUppercase: false)
        }
        for offset in 0..<UInt32(10) {
            beyond[0xFF10 + offset] = FoldedScalar(kind: .digit, first: UInt8(0x30 + offset), second: 0, isUppercase: false)
        }
        for value: UInt32 in [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF] {
            beyond[value] = .ignorable
        }
        for value: UInt32 in 0xFE00...0xFE0F {
            beyond[value] = .ignorable
        }
        beyond[0x20AC] = FoldedScalar(kind: .leet, first: FoldedScalar.euroByte, second: 0, isUppercase: false)
        self.beyondLatin = beyond
    }

    @inline(__always)
    func fold(_ scalar: Unicode.Scalar) -> FoldedScalar {
        let value = scalar.value
        if value < 0x250 {
            return latin[Int(value)]
        }
        if let folded = beyondLatin[value] {
            return folded
        }
        if value >= 0x300 && value <= 0x36F {
            return .ignorable
        }
        let properties = scalar.properties
        if properties.isAlphabetic {
            return FoldedScalar(kind: .letter, first: FoldedScalar.nonLatinLetter, second: 0, isUppercase: properties.isUppercase)
        }
        return .separator
    }
}
