/// Runs the automatic moderation pre-checks on one submitted text.
///
/// Everything that can be prepared is prepared at `init` (the compiled lexicon, the domain
/// lists), and `check(_:)` reads the text once into words shared by the checks, so a
/// checker is built once per worker and used for every item. Near-duplicates need earlier
/// items and are found with `TextFingerprint` instead.
public struct ContentChecker: Sendable {
    public let lexicon: Lexicon
    /// Links to these domains (and their subdomains) are sources, not spam.
    public let trustedDomains: Set<String>

    /// Public bodies a citizen quotes as sources.
    public static let defaultTrustedDomains: Set<String> = [
        "gouv.fr", "hautsdefrance.fr", "ceser-hautsdefrance.fr", "service-public.fr", "legifrance.gouv.fr",
        "europa.eu", "insee.fr", "ter.sncf.com", "sncf.com", "sncf-connect.com", "amiens.fr", "lille.fr",
        "beauvais.fr", "amiens-metropole.com", "lillemetropole.fr", "ac-lille.fr", "ac-amiens.fr",
    ]

    public init(lexicon: Lexicon = .french, trustedDomains: Set<String> = ContentChecker.defaultTrustedDomains) {
        self.lexicon = lexicon
        self.trustedDomains = Set(trustedDomains.map { $0.lowercased() })
    }

    /// Every finding for `text`, highest score first; empty when nothing needs attention.
    public func check(_ text: String) -> [ContentFinding] {
        let scanned = ScannedText(text)
        var findings: [ContentFinding] = []
        findings += personalDataFindings(in: scanned)
        findings += lexiconFindings(in: scanned)
        findings += linkSpamFindings(in: scanned)
        findings += shoutingFindings(in: scanned)
        // Equal scores keep the rules' declared order, so the queue always shows the same list.
        return findings.sorted { first, second in
            first.score != second.score ? first.score > second.score : first.rule.order < second.rule.order
        }
    }
}

/// French wording shared by the checks.
enum French {
    /// "1 lien", "3 liens": French plural with the number in front.
    static func count(_ number: Int, _ singular: String, _ plural: String) -> String {
        "\(number) \(number > 1 ? plural : singular)"
    }

    /// "a, b, c", cut after `limit` items.
    static func list(_ items: [String], limit: Int = 5) -> String {
        let shown = items.prefix(limit)
        var text = shown.joined(separator: ", ")
        if items.count > limit { text += "…" }
        return text
    }

    static func percent(_ ratio: Double) -> String {
        "\(Int((ratio * 100).rounded())) %"
    }
}

extension ContentFinding.Rule {
    var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
