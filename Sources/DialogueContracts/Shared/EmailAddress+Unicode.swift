import Foundation

// How Unicode spellings of one mailbox are made one, and look-alikes refused.
//
// Domains are compared in the form UTS #46 maps them to, as far as Foundation allows:
// NFKC (full-width and other compatibility letters become their plain letters), lower case,
// default-ignorable characters dropped (soft hyphen, zero-width joiners), ideographic full
// stops read as dots, and punycode labels (`xn--…`, RFC 3492) decoded, so that a domain
// written in punycode and in Unicode is one domain. UTS #46's own mapping table (a few
// characters NFKC leaves alone) and its validity rules are not applied: what they add is
// refused by `isValid` (only letters, digits and hyphens), or by the look-alike rule below.
//
// Look-alikes: a local part, or a domain label, that mixes Latin with Greek or Cyrillic
// letters (`vісtim` with a Cyrillic `і`) is refused; an address written wholly in one of
// those scripts is accepted.
extension EmailAddress {
    /// Full stops that UTS #46 reads as `.` in domain names (after NFKC, which maps U+FF0E
    /// to `.` and U+FF61 to U+3002).
    private static let ideographicFullStop: Character = "\u{3002}"

    /// `text` in the compatibility-folded form names are compared in: NFKC, lower case,
    /// without default-ignorable characters.
    static func folded(_ text: some StringProtocol) -> String {
        let mapped = String(text).precomposedStringWithCompatibilityMapping.lowercased().precomposedStringWithCompatibilityMapping
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: mapped.unicodeScalars.filter { !$0.properties.isDefaultIgnorableCodePoint })
        return String(kept)
    }

    /// A domain in the one form it is compared in (see above), without the root's final dot.
    public static func canonicalDomain(_ domain: some StringProtocol) -> String {
        var canonical = String(folded(domain).map { $0 == ideographicFullStop ? "." : $0 })
        if canonical.hasSuffix(".") { canonical.removeLast() }
        let labels = canonical.split(separator: ".", omittingEmptySubsequences: false).map { label -> String in
            guard label.hasPrefix("xn--"), let decoded = Punycode.decode(label.dropFirst(4)) else { return String(label) }
            return folded(decoded)
        }
        return labels.joined(separator: ".")
    }

    /// The scripts whose letters are confused with one another.
    enum ConfusableScript {
        case latin, greek, cyrillic

        init?(_ scalar: Unicode.Scalar) {
            switch scalar.value {
            case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xAB30...0xAB6F:
                self = .latin
            case 0x370...0x3FF, 0x1F00...0x1FFF:
                self = .greek
            case 0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F:
                self = .cyrillic
            default:
                return nil
            }
        }
    }

    /// True when `text` holds letters of more than one of Latin, Greek and Cyrillic.
    static func mixesConfusableScripts(_ text: some StringProtocol) -> Bool {
        Set(text.unicodeScalars.compactMap(ConfusableScript.init)).count > 1
    }
}

/// RFC 3492's decoder, for the labels of internationalised domain names.
enum Punycode {
    private static let base = 36
    private static let tMin = 1
    private static let tMax = 26
    private static let skew = 38
    private static let damp = 700
    private static let initialBias = 72
    private static let initialN = 128

    /// The Unicode form of `encoded` (a label without its `xn--`), or nil when it is not punycode.
    static func decode(_ encoded: some StringProtocol) -> String? {
        let input = Array(encoded.unicodeScalars)
        guard input.allSatisfy(\.isASCII) else { return nil }
        let delimiter = input.lastIndex(of: "-")
        var output = delimiter.map { Array(input[..<$0]) } ?? []
        var position = delimiter.map { $0 + 1 } ?? 0
        var (n, i, bias) = (initialN, 0, initialBias)
        while position < input.count {
            let previous = i
            var (weight, k) = (1, base)
            while true {
                guard position < input.count, let digit = digit(input[position]) else { return nil }
                position += 1
                let (step, stepOverflow) = digit.multipliedReportingOverflow(by: weight)
                let (sum, sumOverflow) = i.addingReportingOverflow(step)
                guard !stepOverflow, !sumOverflow else { return nil }
                i = sum
                let threshold = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if digit < threshold { break }
                let (next, overflow) = weight.multipliedReportingOverflow(by: base - threshold)
                guard !overflow else { return nil }
                (weight, k) = (next, k + base)
            }
            bias = adapt(i - previous, points: output.count + 1, first: previous == 0)
            n += i / (output.count + 1)
            i %= output.count + 1
            guard n <= 0x10FFFF, let scalar = Unicode.Scalar(n) else { return nil }
            output.insert(scalar, at: i)
            i += 1
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: output)
        return String(text)
    }

    private static func digit(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar.value {
        case 0x61...0x7A: Int(scalar.value) - 0x61
        case 0x41...0x5A: Int(scalar.value) - 0x41
        case 0x30...0x39: Int(scalar.value) - 0x30 + 26
        default: nil
        }
    }

    private static func adapt(_ delta: Int, points: Int, first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / points
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + ((base - tMin + 1) * delta) / (delta + skew)
    }
}
