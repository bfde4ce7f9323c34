import Foundation

/// E-mail addresses as the petition rule "one signature per person" needs them.
public enum EmailAddress {
    /// Providers that deliver `first.last+tag@` to `firstlast@`: for them, dots and
    /// `+suffix` do not make another person.
    public static let providersIgnoringDotsAndSuffixes: Set<String> = ["gmail.com", "googlemail.com"]
    /// Providers that ignore a `+suffix` but not dots. (`normalized` drops a `+suffix` for
    /// every domain; the list still tells which providers serve the public.)
    public static let providersIgnoringSuffixes: Set<String> = [
        "outlook.com", "outlook.fr", "hotmail.com", "hotmail.fr", "live.com", "live.fr", "icloud.com", "me.com",
        "protonmail.com", "proton.me", "fastmail.com", "yahoo.com", "yahoo.fr",
    ]

    /// Mailbox providers shared by a large part of the public: many honest people sign from
    /// them at once, so the per-domain rate limit of signatures does not apply to them.
    public static let publicProviders: Set<String> = providersIgnoringDotsAndSuffixes.union(providersIgnoringSuffixes).union([
        "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "neuf.fr", "laposte.net", "bbox.fr", "numericable.fr", "aol.com",
        "gmx.fr", "gmx.com", "msn.com", "ymail.com",
    ])

    /// The domain of an address in its compared form (`canonicalDomain`; "" when there is none).
    public static func domain(of address: String) -> String {
        let trimmed = address.trimmingCharacters(in: .whitespaces)
        return trimmed.lastIndex(of: "@").map { canonicalDomain(trimmed[trimmed.index(after: $0)...]) } ?? ""
    }

    /// Plausible syntax: one `@`, a local part that is a dot-atom (`EmailAddress+LocalPart`), a
    /// dotted domain, no spaces, controls or invisible formatting (bidi controls), at most 254
    /// characters; no part mixing Latin with Greek or Cyrillic letters (look-alikes).
    public static func isValid(_ address: String) -> Bool {
        let trimmed = address.trimmingCharacters(in: .whitespaces)
        guard trimmed.count <= 254, !trimmed.contains(where: \.isWhitespace) else { return false }
        guard !trimmed.unicodeScalars.contains(where: { [.control, .format].contains($0.properties.generalCategory) }) else { return false }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        guard isDotAtom(parts[0].precomposedStringWithCompatibilityMapping) else { return false }
        guard !mixesConfusableScripts(folded(parts[0])) else { return false }
        let labels = canonicalDomain(parts[1]).split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy {
            !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } && !mixesConfusableScripts($0)
        }
    }

    /// The address that identifies the person: its compared form (see `EmailAddress+Unicode`),
    /// without a `+suffix` whatever the domain (the rare domain using `+` otherwise loses
    /// nothing: its user signed once), and without what the provider ignores.
    public static func normalized(_ address: String) -> String {
        let trimmed = address.trimmingCharacters(in: .whitespaces)
        guard let at = trimmed.lastIndex(of: "@") else { return folded(trimmed) }
        var local = folded(trimmed[..<at])
        var domain = canonicalDomain(trimmed[trimmed.index(after: at)...])
        if domain == "googlemail.com" { domain = "gmail.com" }
        if let plus = local.firstIndex(of: "+"), plus != local.startIndex { local = String(local[..<plus]) }
        if providersIgnoringDotsAndSuffixes.contains(domain) {
            local.removeAll { $0 == "." }
        }
        return "\(local)@\(domain)"
    }
}


