/// Shouting: text written in capitals, and runs of "!!!!" or "????".
extension ContentChecker {
    func shoutingFindings(in text: ScannedText) -> [ContentFinding] {
        var findings: [ContentFinding] = []
        if let ratio = Self.shoutedShare(of: text) {
            findings.append(
                ContentFinding(rule: .shouting, score: max(20, Int((ratio * 60).rounded())), reason: "Texte écrit en majuscules à \(French.percent(ratio))."))
        }
        if let punctuation = Self.excessivePunctuation(in: text.scalars) {
            findings.append(
                ContentFinding(
                    rule: .excessivePunctuation,
                    score: min(40, 10 + 10 * punctuation.runs),
                    reason: "Ponctuation excessive : \(French.count(punctuation.runs, "suite", "suites")) comme « \(punctuation.longest) ».",
                    excerpt: punctuation.longest
                ))
        }
        return findings
    }

    /// Below this many letters a text is too short for its capitals to mean anything ("OK MERCI").
    static let shoutingMinimumLetters = 20

    /// Share of the letters written in capitals, counting only capitals that shout: runs of
    /// three or more words in capitals, or single long words ("SCANDALEUX"). Acronyms
    /// (CESER, SNCF, TER) stand alone among lower-case words and so never count. Nil when
    /// the text is short or the share is below 30 %.
    static func shoutedShare(of text: ScannedText) -> Double? {
        var letters = 0
        var shouted = 0
        var runWords = 0
        var runLetters = 0
        var runLongWordLetters = 0

        func endRun() {
            shouted += runWords >= 3 ? runLetters : runLongWordLetters
            runWords = 0
            runLetters = 0
            runLongWordLetters = 0
        }

        for word in text.words where word.letters >= 2 {
            // One-letter words ("A", "À", "Y") say nothing either way.
            letters += word.letters
            if word.uppercase == word.letters {
                runWords += 1
                runLetters += word.letters
                if word.letters >= 7 { runLongWordLetters += word.letters }
            } else {
                endRun()
            }
        }
        endRun()

        guard letters >= shoutingMinimumLetters else { return nil }
        let ratio = Double(shouted) / Double(letters)
        return ratio >= 0.3 ? ratio : nil
    }

    /// Runs of three or more "!" and "?" ("!!!", "?!?!"); reported from two runs, or one of
    /// four or more, since a single "!!!" is common enough in heartfelt messages.
    static func excessivePunctuation(in scalars: [Unicode.Scalar]) -> (runs: Int, longest: String)? {
        var runs = 0
        var longest: Range<Int> = 0..<0
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "!" || scalars[index] == "?" else {
                index += 1
                continue
            }
            let start = index
            while index < scalars.count, scalars[index] == "!" || scalars[index] == "?" { index += 1 }
            if index - start >= 3 {
                runs += 1
                if index - start > longest.count { longest = start..<index }
            }
        }
        guard runs >= 2 || longest.count >= 4 else { return nil }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[longest].prefix(10))
        return (runs, String(view))
    }
}
