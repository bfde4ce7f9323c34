/// Link spam: many links, a text made mostly of links, link shorteners that hide where a
/// link leads, and the same link pasted again and again.
extension ContentChecker {
    func linkSpamFindings(in text: ScannedText) -> [ContentFinding] {
        let links = LinkScanner.links(in: text.scalars).filter { !isTrusted($0.host) }
        guard !links.isEmpty else { return [] }

        // Each link weighs at most `linkWeightLimit` characters: one long address to a
        // newspaper article must not make a real message look like a list of links.
        let fullLength = links.reduce(0) { $0 + $1.span.count }
        let weight = links.reduce(0) { $0 + min(Self.linkWeightLimit, $1.span.count) }
        var visibleCharacters = 0
        for scalar in text.scalars where !scalar.isWhitespaceOrNewline { visibleCharacters += 1 }
        let share = Double(weight) / Double(max(1, visibleCharacters - fullLength + weight))

        let hosts = Self.distinct(links.map(\.host))
        let shortenerHosts = hosts.filter { LinkScanner.shorteners.contains($0) }
        let shortened = links.count { LinkScanner.shorteners.contains($0.host) }
        var seen: [String: Int] = [:]
        for link in links { seen[link.address, default: 0] += 1 }
        let repeated = seen.values.count { $0 > 1 }

        // One link in a real message is a source; the signal is in the accumulation.
        var score = 0
        if links.count >= 3 { score += 15 * (links.count - 2) }
        if share >= 0.5 {
            score += 40
        } else if share >= 0.25 {
            score += 20
        }
        score += 35 * min(2, shortened)
        if repeated > 0 { score += 30 }
        guard score >= 20 else { return [] }

        var parts = ["\(French.count(links.count, "lien", "liens")) (\(French.percent(share)) du texte)"]
        if shortened > 0 {
            parts.append("dont \(French.count(shortened, "lien raccourci", "liens raccourcis")) (\(shortenerHosts.joined(separator: ", ")))")
        }
        if repeated > 0 {
            parts.append("\(French.count(repeated, "lien répété", "liens répétés"))")
        }
        return [
            ContentFinding(rule: .linkSpam, score: score, reason: "Contient " + parts.joined(separator: ", ") + ".", excerpt: French.list(hosts))
        ]
    }

    static let linkWeightLimit = 30

    /// The values in first-seen order, each once.
    private static func distinct(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }

    private func isTrusted(_ host: String) -> Bool {
        if trustedDomains.contains(host) { return true }
        var rest = host[...]
        while let dot = rest.firstIndex(of: ".") {
            rest = rest[rest.index(after: dot)...]
            if trustedDomains.contains(String(rest)) { return true }
        }
        return false
    }
}

enum LinkScanner {
    struct Link: Equatable {
        var span: Range<Int>
        /// Lower case, without "www.".
        var host: String
        /// Host and path without scheme or trailing slash, to spot the same link twice.
        var address: String
    }

    static let shorteners: Set<String> = [
        "bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "cutt.ly", "rebrand.ly", "shorturl.at",
        "tiny.cc", "rb.gy", "lnkd.in", "s.id", "t.ly", "urlz.fr", "frama.link", "v.gd", "tr.ee", "bl.ink", "shorturl.com",
        "qrco.de", "y2u.be", "adf.ly", "shorte.st", "linktr.ee",
    ]

    /// Endings that make "word.word" a web address even without "http" or "www".
    private static let bareDomainEndings: Set<String> = [
        "fr", "com", "net", "org", "eu", "info", "io", "ly", "gl", "co", "me", "be", "ch", "de", "uk", "biz", "xyz", "ru",
        "cn", "top", "site", "online", "shop", "app", "dev", "link", "at", "gd", "cc", "us", "ca", "es", "it", "tv", "club",
        "live", "store", "pro", "re", "gy", "im", "to", "in", "id", "ee", "bzh", "paris", "click", "win", "bid", "icu", "vip",
    ]

    /// Links as whitespace-separated chunks: "https://…", "www.…", or a bare "exemple.fr/…".
    static func links(in scalars: [Unicode.Scalar]) -> [Link] {
        var links: [Link] = []
        var index = 0
        while index < scalars.count {
            if scalars[index].isWhitespaceOrNewline {
                index += 1
                continue
            }
            var end = index
            var hasDot = false
            while end < scalars.count, !scalars[end].isWhitespaceOrNewline {
                if scalars[end] == "." { hasDot = true }
                end += 1
            }
            if hasDot, let link = link(in: scalars, from: index, to: end) {
                links.append(link)
            }
            index = end
        }
        return links
    }

    private static let leadingPunctuation: Set<Unicode.Scalar> = ["(", "<", "[", "\"", "«", "'", "“", "‘"]
    private static let trailingPunctuation: Set<Unicode.Scalar> = [".", ",", ";", ":", "!", "?", ")", "]", "}", "»", "\"", "'", ">", "…", "”", "’"]

    private static func link(in scalars: [Unicode.Scalar], from chunkStart: Int, to chunkEnd: Int) -> Link? {
        var start = chunkStart
        var end = chunkEnd
        while start < end, leadingPunctuation.contains(scalars[start]) { start += 1 }
        while end > start, trailingPunctuation.contains(scalars[end - 1]) { end -= 1 }
        guard end - start >= 4, scalars[start..<end].contains(".") else { return nil }

        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end].lazy.map(\.lowercasedASCII))
        var rest = Substring(String(view))
        var hasScheme = false
        for scheme in ["https://", "http://", "ftp://"] where rest.hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
            hasScheme = true
        }
        let hostEnd = rest.firstIndex { "/?#:".contains($0) } ?? rest.endIndex
        var host = rest[..<hostEnd]
        let hasWWW = host.hasPrefix("www.")
        if hasWWW { host = host.dropFirst(4) }

        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2,
            labels.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "-" } }),
            let ending = labels.last, ending.count >= 2, ending.unicodeScalars.allSatisfy(\.isASCIILetter)
        else { return nil }
        // Without "http" or "www", only a known ending makes it a link: "M.Dupont" and
        // "etc.)" are not, "exemple.fr" is; "U.S" is too short to be a domain.
        if !hasScheme && !hasWWW {
            guard bareDomainEndings.contains(String(ending)), host.count >= 4 else { return nil }
        }
        var address = String(host) + rest[hostEnd...]
        while address.hasSuffix("/") { address.removeLast() }
        return Link(span: start..<end, host: String(host), address: address)
    }
}
