/// Insults, hate speech and threats, from the lexicon.
extension ContentChecker {
    func lexiconFindings(in text: ScannedText) -> [ContentFinding] {
        let matches = lexicon.matcher.matches(in: text)
        guard !matches.isEmpty else { return [] }
        let entries = lexicon.entries

        // "fils de pute" is one insult, not two: a match inside a longer one is dropped
        // unless it is graver than the longer one.
        let kept = matches.filter { match in
            !matches.contains { other in
                other.scalars != match.scalars
                    && other.scalars.lowerBound <= match.scalars.lowerBound && match.scalars.upperBound <= other.scalars.upperBound
                    && entries[other.entry].severity >= entries[match.entry].severity
            }
        }

        var findings: [ContentFinding] = []
        for category in Lexicon.Category.allCases {
            let inCategory = kept.filter { entries[$0.entry].category == category }
            guard !inCategory.isEmpty else { continue }
            let severity = inCategory.map { entries[$0.entry].severity }.max() ?? 1
            // Each spelling once: a word pasted fifty times is one term.
            var seen: Set<String> = []
            let excerpts = inCategory.map { "« \(text.text($0.scalars)) »" }.filter { seen.insert($0).inserted }
            let count = excerpts.count
            let what: String
            let rule: ContentFinding.Rule
            switch category {
            case .insult:
                rule = .insult
                what = count == 1 ? "un terme injurieux" : "\(count) termes injurieux"
            case .hate:
                rule = .hateSpeech
                what = count == 1 ? "une expression haineuse ou discriminatoire" : "\(count) expressions haineuses ou discriminatoires"
            case .threat:
                rule = .threat
                what = count == 1 ? "une menace" : "\(count) menaces"
            }
            findings.append(
                ContentFinding(
                    rule: rule,
                    // Severity sets the level; each further distinct term adds a little.
                    score: severity * 20 + 5 * (count - 1),
                    reason: "Contient \(what) (gravité \(severity)/5).",
                    excerpt: French.list(excerpts)
                ))
        }
        return findings
    }
}
