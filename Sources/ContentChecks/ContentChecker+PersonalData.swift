/// Personal data a citizen should not publish: e-mail addresses, French phone numbers,
/// street addresses and social security numbers (NIR). Hand-written scanners over the
/// text's scalars: they run on every submission, and each pattern is short enough that a
/// regular expression would only add cost and hide the rules.
extension ContentChecker {
    func personalDataFindings(in text: ScannedText) -> [ContentFinding] {
        // Stronger, longer patterns claim their characters first, so the digits of a
        // social security number are not reported again as a phone number.
        let socialSecurityNumbers = PersonalDataScanner.socialSecurityNumbers(in: text.scalars)
        let emails = PersonalDataScanner.emails(in: text.scalars)
        var claimed = (socialSecurityNumbers + emails).map(\.span)
        let phones = PersonalDataScanner.phoneNumbers(in: text.scalars).filter { phone in
            !claimed.contains { $0.overlaps(phone.span) }
        }
        claimed += phones.map(\.span)
        let addresses = PersonalDataScanner.postalAddresses(in: text).filter { address in
            !claimed.contains { $0.overlaps(address.span) }
        }

        var findings: [ContentFinding] = []
        if !emails.isEmpty {
            findings.append(Self.finding(.email, emails, score: 70, one: "une adresse e-mail", many: "adresses e-mail"))
        }
        if !phones.isEmpty {
            findings.append(Self.finding(.phone, phones, score: 80, one: "un numéro de téléphone", many: "numéros de téléphone"))
        }
        if !addresses.isEmpty {
            // A postcode makes an address complete enough to find someone's door.
            let score = addresses.contains(where: \.isComplete) ? 70 : 55
            findings.append(Self.finding(.postalAddress, addresses, score: score, one: "une adresse postale", many: "adresses postales"))
        }
        if !socialSecurityNumbers.isEmpty {
            // A valid key all but proves a real number; without a key it is a strong hint.
            let score = socialSecurityNumbers.contains(where: \.isComplete) ? 95 : 85
            findings.append(
                Self.finding(.socialSecurityNumber, socialSecurityNumbers, score: score, one: "un numéro de sécurité sociale", many: "numéros de sécurité sociale"))
        }
        return findings
    }

    private static func finding(_ rule: ContentFinding.Rule, _ found: [PersonalDataMatch], score: Int, one: String, many: String) -> ContentFinding {
        // The same number written twice ("06 12 34 56 78", "+33 6 12 34 56 78") is one number.
        var matches: [PersonalDataMatch] = []
        for match in found where !matches.contains(where: { $0.identity == match.identity }) {
            matches.append(match)
        }
        let masked = matches.map(\.masked)
        let what = matches.count == 1 ? one : "\(matches.count) \(many)"
        return ContentFinding(
            rule: rule,
            score: score + 5 * (matches.count - 1),
            reason: "Contient \(what) (\(French.list(masked, limit: 3))).",
            excerpt: French.list(masked, limit: 3)
        )
    }
}

/// A piece of personal data found in a text, with the only form a moderator may see.
struct PersonalDataMatch: Equatable {
    var span: Range<Int>
    var masked: String
    /// Canonical form, to count one number written two ways once. Never shown.
    var identity: String
    /// An address with its postcode, a social security number with a valid key.
    var isComplete = false
}

enum PersonalDataScanner {
    static let mask = "••"

    // MARK: - E-mail addresses

    static func emails(in scalars: [Unicode.Scalar]) -> [PersonalDataMatch] {
        var found: [PersonalDataMatch] = []
        var index = 0
        while index < scalars.count {
            guard let markerLength = emailMarkerLength(at: index, in: scalars) else {
                index += 1
                continue
            }
            var localStart = index
            while localStart > 0 && isLocalPartCharacter(scalars[localStart - 1]) { localStart -= 1 }
            while localStart < index && scalars[localStart] == "." { localStart += 1 }
            guard localStart < index, let domainEnd = domainEnd(from: index + markerLength, in: scalars) else {
                index += 1
                continue
            }
            found.append(
                PersonalDataMatch(
                    span: localStart..<domainEnd, masked: maskedEmail(local: scalars[localStart..<index]),
                    identity: string(scalars[localStart..<domainEnd]).lowercased()))
            index = domainEnd
        }
        return found
    }

    /// `@`, and the spellings people use to hide it from robots: "(at)", "[at]", " arobase ".
    private static let emailMarkers: [[Unicode.Scalar]] = ["@", " (at) ", " [at] ", "(at)", "[at]", " arobase "].map { Array($0.unicodeScalars) }
    /// "." and its hidden spellings.
    private static let domainSeparators: [[Unicode.Scalar]] = [".", " (dot) ", " [dot] ", "(dot)", "[dot]", " point ", " dot "].map { Array($0.unicodeScalars) }

    private static func emailMarkerLength(at index: Int, in scalars: [Unicode.Scalar]) -> Int? {
        let first = scalars[index]
        guard first == "@" || first == " " || first == "(" || first == "[" else { return nil }
        return emailMarkers.first { startsWith($0, at: index, in: scalars) }?.count
    }

    private static func domainEnd(from start: Int, in scalars: [Unicode.Scalar]) -> Int? {
        var index = start
        var labels = 0
        var end = start
        var lastLabelIsWord = false
        while true {
            let labelStart = index
            var lettersOnly = true
            while index < scalars.count, isDomainCharacter(scalars[index]) {
                if !scalars[index].isASCIILetter { lettersOnly = false }
                index += 1
            }
            guard index > labelStart else { break }
            labels += 1
            end = index
            lastLabelIsWord = lettersOnly && index - labelStart >= 2
            guard let separator = domainSeparators.first(where: { startsWith($0, at: index, in: scalars) }),
                index + separator.count < scalars.count, isDomainCharacter(scalars[index + separator.count])
            else { break }
            index += separator.count
        }
        return labels >= 2 && lastLabelIsWord ? end : nil
    }

    /// "jean.dupont" → "jean.d…@…": enough for the moderator to tell two addresses apart.
    private static func maskedEmail(local: ArraySlice<Unicode.Scalar>) -> String {
        let kept = local.count <= 3 ? 1 : min(6, (local.count + 1) / 2)
        var view = String.UnicodeScalarView()
        view.append(contentsOf: local.prefix(kept))
        return String(view) + "…@…"
    }

    private static func isLocalPartCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCIILetter || scalar.isASCIIDigit || scalar == "." || scalar == "_" || scalar == "-" || scalar == "+" || scalar == "%"
    }

    private static func isDomainCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCIILetter || scalar.isASCIIDigit || scalar == "-"
    }

    // MARK: - Phone numbers

    /// French numbers as people type them: "06 12 34 56 78", "06.12.34.56.78",
    /// "0612345678", "+33 6 12 34 56 78", "+33 (0)6 …", "0033 6 …". Only these groupings
    /// are accepted, so dates and amounts ("le 02 03 2024 10 personnes") are not numbers.
    static func phoneNumbers(in scalars: [Unicode.Scalar]) -> [PersonalDataMatch] {
        var found: [PersonalDataMatch] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "+" || scalar == "0", index == 0 || !isWordCharacter(scalars[index - 1]),
                let phone = phoneNumber(at: index, in: scalars)
            {
                found.append(phone)
                index = phone.span.upperBound
            } else {
                index += 1
            }
        }
        return found
    }

    private static func phoneNumber(at start: Int, in scalars: [Unicode.Scalar]) -> PersonalDataMatch? {
        var index = start
        var international = false
        if startsWith(["+", "3", "3"], at: index, in: scalars) {
            index += 3
            international = true
        } else if startsWith(["0", "0", "3", "3"], at: index, in: scalars) {
            index += 4
            international = true
        }
        if international {
            if index < scalars.count, isPhoneSeparator(scalars[index]) { index += 1 }
            if startsWith(["(", "0", ")"], at: index, in: scalars) {
                index += 3
                if index < scalars.count, isPhoneSeparator(scalars[index]) { index += 1 }
            }
        }

        var digits: [Int] = []
        var groups: [Int] = []
        var separator: Unicode.Scalar?
        let enough = international ? 9 : 10
        while true {
            let groupStart = index
            while index < scalars.count, scalars[index].isASCIIDigit {
                digits.append(scalars[index].asciiDigitValue)
                index += 1
                if digits.count > 10 { return nil }
            }
            guard index > groupStart else { return nil }
            groups.append(index - groupStart)
            if digits.count >= enough { break }
            guard index + 1 < scalars.count, isPhoneSeparator(scalars[index]), scalars[index + 1].isASCIIDigit else { break }
            // One separator throughout: "06 12.34" is more likely two numbers than one.
            let this = scalars[index].isSpaceLike ? " " : scalars[index]
            if let separator, separator != this { return nil }
            separator = this
            index += 1
        }

        let national: [Int]
        if digits.count == 10, digits[0] == 0, digits[1] != 0, groups == [10] || groups == [2, 2, 2, 2, 2] {
            national = digits
        } else if international, digits.count == 9, digits[0] != 0, groups == [9] || groups == [1, 2, 2, 2, 2] || groups == [3, 3, 3] {
            national = [0] + digits
        } else {
            return nil
        }
        let masked = "\(national[0])\(national[1]) \(mask) \(mask) \(mask) \(national[8])\(national[9])"
        return PersonalDataMatch(span: start..<index, masked: masked, identity: national.map(String.init).joined())
    }

    private static func isPhoneSeparator(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isSpaceLike || scalar == "." || scalar == "-"
    }

    // MARK: - Social security numbers (NIR)

    /// 13 characters — sex (1 or 2), year, month, department (digits, or 2A/2B for
    /// Corsica), commune, order — then an optional 2-digit key equal to
    /// 97 − (number mod 97), with 2A read as 19 and 2B as 18. A number whose key is
    /// present but wrong is some other number and is not reported.
    static func socialSecurityNumbers(in scalars: [Unicode.Scalar]) -> [PersonalDataMatch] {
        var found: [PersonalDataMatch] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "1" || scalar == "2", index == 0 || !isWordCharacter(scalars[index - 1]),
                let number = socialSecurityNumber(at: index, in: scalars)
            {
                found.append(number)
                index = number.span.upperBound
            } else {
                index += 1
            }
        }
        return found
    }

    private static func socialSecurityNumber(at start: Int, in scalars: [Unicode.Scalar]) -> PersonalDataMatch? {
        // Positions 0-12 as characters: digits, and A or B at position 6 after a 2.
        var characters: [Unicode.Scalar] = []
        var index = start
        func accepts(_ scalar: Unicode.Scalar) -> Bool {
            if scalar.isASCIIDigit { return true }
            return characters.count == 6 && characters[5] == "2" && "AaBb".unicodeScalars.contains(scalar)
        }
        while characters.count < 13, index < scalars.count {
            if accepts(scalars[index]) {
                characters.append(scalars[index])
                index += 1
            } else if !characters.isEmpty, index + 1 < scalars.count, isPhoneSeparator(scalars[index]), accepts(scalars[index + 1]) {
                index += 1
            } else {
                break
            }
        }
        guard characters.count == 13 else { return nil }

        var key: Int?
        if index < scalars.count, scalars[index].isASCIIDigit {
            // The key written straight after the number: exactly two more digits.
            guard index + 1 < scalars.count, scalars[index + 1].isASCIIDigit,
                index + 2 >= scalars.count || !scalars[index + 2].isASCIIDigit
            else { return nil }
            key = scalars[index].asciiDigitValue * 10 + scalars[index + 1].asciiDigitValue
            index += 2
        } else if index + 2 < scalars.count, isPhoneSeparator(scalars[index]), scalars[index + 1].isASCIIDigit, scalars[index + 2].isASCIIDigit,
            index + 3 >= scalars.count || !scalars[index + 3].isASCIIDigit
        {
            key = scalars[index + 1].asciiDigitValue * 10 + scalars[index + 2].asciiDigitValue
            index += 3
        }

        // Corsica's departments count as 19 (2A) and 18 (2B) in the key.
        var digits = characters.map { $0.isASCIIDigit ? $0.asciiDigitValue : 0 }
        if "Aa".unicodeScalars.contains(characters[6]) {
            digits[5] = 1
            digits[6] = 9
        } else if "Bb".unicodeScalars.contains(characters[6]) {
            digits[5] = 1
            digits[6] = 8
        }
        let month = digits[3] * 10 + digits[4]
        // INSEE months: 01-12, or 20, 30-42 and 50-99 for people whose birth month is unknown.
        guard month >= 1 && month <= 12 || month == 20 || month >= 30 && month <= 42 || month >= 50,
            digits[5] * 10 + digits[6] != 0,
            digits[10] * 100 + digits[11] * 10 + digits[12] != 0
        else { return nil }
        if let key {
            let remainder = digits.reduce(0) { ($0 * 10 + $1) % 97 }
            guard key == 97 - remainder else { return nil }
        }

        // Sex digit kept: it tells the moderator the shape is a NIR without identifying anyone.
        let masked = "\(characters[0]) \(mask) \(mask) \(mask) ••• •••" + (key == nil ? "" : " \(mask)")
        return PersonalDataMatch(span: start..<index, masked: masked, identity: string(characters[...]).uppercased(), isComplete: key != nil)
    }

    // MARK: - Postal addresses

    /// Street types that leave no doubt after a number ("12 rue …").
    private static let streetTypes: Set<[UInt8]> = Set(
        ["rue", "avenue", "av", "boulevard", "bd", "bld", "bvd", "impasse", "imp", "allee", "quai", "chaussee", "faubourg", "fbg", "ruelle", "venelle", "esplanade", "parvis", "square"]
            .map { Array($0.utf8) })
    /// Street types that are also ordinary words ("12 cours de maths", "1 route à refaire"):
    /// an address only when the name is capitalised or a postcode follows.
    private static let ambiguousStreetTypes: Set<[UInt8]> = Set(
        ["place", "pl", "chemin", "route", "rte", "cours", "passage", "voie", "cite", "mail", "promenade", "clos", "villa", "domaine", "residence", "lotissement", "hameau", "sentier", "sente", "rond"]
            .map { Array($0.utf8) })
    private static let articles: Set<[UInt8]> = Set(["de", "du", "des", "la", "le", "les", "l", "d"].map { Array($0.utf8) })
    private static let numberSuffixes: Set<[UInt8]> = Set(["bis", "ter", "quater", "a", "b", "c", "d"].map { Array($0.utf8) })

    /// A number, a street type and a name ("12 rue Victor Hugo", "3 bis, av. de la Paix"),
    /// then an optional postcode ("80000 Amiens").
    static func postalAddresses(in text: ScannedText) -> [PersonalDataMatch] {
        var found: [PersonalDataMatch] = []
        var index = 0
        while index < text.words.count {
            if let address = postalAddress(at: index, in: text) {
                found.append(address.match)
                index = address.next
            } else {
                index += 1
            }
        }
        return found
    }

    private static func postalAddress(at start: Int, in text: ScannedText) -> (match: PersonalDataMatch, next: Int)? {
        let words = text.words
        let number = words[start]
        guard number.digits >= 1, number.digits <= 4, number.leet == 0, number.wildcards == 0 else { return nil }
        let bytes = text.bytes(of: number)
        // The digits come first; letters glued after them are "12bis", "4b".
        guard bytes.prefix(number.digits).allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            number.letters == 0 || numberSuffixes.contains(Array(bytes.dropFirst(number.digits)))
        else { return nil }

        func follows(_ index: Int) -> Bool {
            index < words.count && text.isShortGap(between: index - 1, and: index, limit: 3)
        }
        var typeIndex = start + 1
        if follows(typeIndex), numberSuffixes.contains(Array(text.bytes(of: words[typeIndex]))), words[typeIndex].letters > 1 {
            typeIndex += 1
        }
        guard follows(typeIndex) else { return nil }
        let typeBytes = Array(text.bytes(of: words[typeIndex]))
        let isAmbiguous: Bool
        if streetTypes.contains(typeBytes) {
            isAmbiguous = false
        } else if ambiguousStreetTypes.contains(typeBytes) {
            isAmbiguous = true
        } else {
            return nil
        }
        var typeEnd = typeIndex
        if typeBytes == Array("rond".utf8) {
            guard follows(typeIndex + 1), text.word(typeIndex + 1, is: "point") else { return nil }
            typeEnd += 1
        }

        var nameIndex = typeEnd + 1
        while follows(nameIndex), articles.contains(Array(text.bytes(of: words[nameIndex]))) {
            nameIndex += 1
        }
        guard follows(nameIndex), words[nameIndex].letters >= 2 || words[nameIndex].isNumber else { return nil }
        let nameStart = text.scalars[words[nameIndex].start]
        let isCapitalised = nameStart.properties.isUppercase || nameStart.isASCIIDigit

        var postcode: Int?
        var lookahead = nameIndex + 1
        while lookahead <= nameIndex + 6, follows(lookahead) {
            if words[lookahead].isNumber {
                if words[lookahead].digits == 5, isPostcode(text.bytes(of: words[lookahead])) { postcode = lookahead }
                break
            }
            lookahead += 1
        }
        guard !isAmbiguous || isCapitalised || postcode != nil else { return nil }

        // "•• rue de la R…, 80•••": the street type says what it is, the rest stays hidden.
        var masked = "\(mask) " + text.text(words[typeIndex].start..<words[nameIndex].start) + String(nameStart) + "…"
        var end = words[nameIndex].end
        if let postcode {
            let code = text.bytes(of: words[postcode])
            masked += ", " + String(decoding: code.prefix(2), as: UTF8.self) + "•••"
            end = words[postcode].end
        }
        let identity = string(text.scalars[number.start..<end]).lowercased()
        return (PersonalDataMatch(span: number.start..<end, masked: masked, identity: identity, isComplete: postcode != nil), nameIndex + 1)
    }

    private static func isPostcode(_ digits: ArraySlice<UInt8>) -> Bool {
        let department = Int(digits[digits.startIndex] - 0x30) * 10 + Int(digits[digits.startIndex + 1] - 0x30)
        return department >= 1 && department <= 98
    }

    // MARK: - Helpers

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    private static func startsWith(_ pattern: [Unicode.Scalar], at index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        guard index + pattern.count <= scalars.count else { return false }
        for offset in pattern.indices where scalars[index + offset].lowercasedASCII != pattern[offset] {
            return false
        }
        return true
    }

    /// Whether a scalar continues a word or number, so a match cannot start right after it.
    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCIIDigit || scalar.isASCIILetter || scalar == "+" || (scalar.value > 0x7F && scalar.properties.isAlphabetic)
    }
}

extension Unicode.Scalar {
    var lowercasedASCII: Unicode.Scalar {
        value >= 0x41 && value <= 0x5A ? Unicode.Scalar(UInt8(value + 0x20)) : self
    }
}
