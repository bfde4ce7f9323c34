import Foundation

// How the results pages say the figures in plain French. Kept with the statistics (the
// shared `Wording` target names the contracts' vocabulary, and this library depends on
// nothing): the gateway renders these sentences as they are, next to the figures.

/// The plain-French reading of a breakdown, sentence by sentence.
public struct BreakdownExplanation: Sendable, Hashable, Codable {
    /// The answer to « is the difference real? », e.g. « L'écart est probablement réel … ».
    public let verdict: String
    /// The test, its result and what the p-value means; nil when nothing could be tested.
    public let evidence: String?
    /// The size of the effect in words, with Cramér's V.
    public let effectSize: String?
    /// What to keep in mind (small expected counts, empty categories left out).
    public let cautions: [String]
}

/// Whether the explanation quotes the test's figures.
public enum ExplanationFigures: Sendable, Hashable {
    /// The statistic, the p-values and Cramér's V, to two or three decimals.
    case quoted
    /// Words only. For a table published with hidden counts: the figures are computed on the
    /// real counts, and a reader could recompute them for each guess of the hidden counts and
    /// keep the guess that matches; the verdict and the band in words say too little for that.
    case withheld
}

extension BreakdownAnalysis {
    /// The explanation with its figures quoted.
    public var frenchExplanation: BreakdownExplanation { frenchExplanation(figures: .quoted) }

    /// The explanation next to a table: `.withheld` whenever the published table hides a count.
    public func frenchExplanation(figures: ExplanationFigures) -> BreakdownExplanation {
        BreakdownExplanation(
            verdict: verdict.frenchSentence,
            evidence: figures == .quoted ? quotedEvidence : evidenceInWords,
            effectSize: cramersV.map { v in
                figures == .quoted
                    ? "Ampleur de l'écart : \(v.band.frenchLabel) (V de Cramér = \(FrenchNumber.decimal(v.value, digits: 2)))."
                    : "Ampleur de l'écart : \(v.band.frenchLabel)."
            },
            cautions: warnings.map(\.frenchSentence)
        )
    }

    private var evidenceInWords: String? {
        guard let method else { return nil }
        var sentence =
            switch method {
            case .fisherExact: "Test exact de Fisher (certains effectifs attendus sont inférieurs à 5)"
            case .chiSquare: "Test du khi-deux d'indépendance"
            }
        sentence += ", au seuil de \(FrenchNumber.percent(significanceLevel))"
        if adjustedPValue != nil {
            sentence += ", corrigé parce que \(breakdownsReadTogether) croisements sont lus ensemble (Benjamini-Hochberg)"
        }
        return sentence + "."
    }

    private var quotedEvidence: String? {
        guard let chiSquare, let pValue else { return nil }
        let test =
            if fisherExact != nil {
                "Test exact de Fisher, choisi parce que certains effectifs attendus sont inférieurs à 5 : \(FrenchNumber.pValue(pValue))."
            } else {
                "Test du khi-deux d'indépendance : khi-deux = \(FrenchNumber.decimal(chiSquare.statistic, digits: 2)), "
                    + "\(chiSquare.degreesOfFreedom) \(chiSquare.degreesOfFreedom == 1 ? "degré" : "degrés") de liberté, \(FrenchNumber.pValue(pValue))."
            }
        var sentences = [test]
        if let adjustedPValue {
            sentences.append(
                "Comme \(breakdownsReadTogether) croisements sont lus ensemble, la valeur est corrigée (Benjamini-Hochberg) : "
                    + "\(FrenchNumber.pValue(adjustedPValue))."
            )
        }
        sentences.append(
            "p est la probabilité d'observer un écart au moins aussi grand si les groupes répondaient en réalité de la même façon ; "
                + "en dessous de \(FrenchNumber.decimal(significanceLevel, digits: 2)), on considère que l'écart est probablement réel."
        )
        return sentences.joined(separator: " ")
    }
}

extension BreakdownVerdict {
    /// The verdict as the page says it.
    public var frenchSentence: String {
        switch self {
        case .differenceProbablyReal:
            "L'écart entre les groupes est probablement réel : le hasard seul produirait rarement un écart aussi grand."
        case .couldBeChance:
            "L'écart entre les groupes pourrait être dû au hasard : ces réponses ne permettent pas de conclure à une différence."
        case .notTestable(let reason):
            reason.frenchSentence
        }
    }
}

extension UntestableTable {
    public var frenchSentence: String {
        switch self {
        case .noAnswers: "Aucune réponse dans ce croisement : il n'y a rien à comparer."
        case .fewerThanTwoAnsweredRows: "Une seule ligne du tableau a des réponses : il n'y a pas de groupes à comparer."
        case .fewerThanTwoAnsweredColumns: "Toutes les réponses sont dans une seule colonne : il n'y a pas d'écart à mesurer."
        }
    }
}

extension EffectBand {
    /// The size of the effect in a word, after « Ampleur de l'écart : ».
    public var frenchLabel: String {
        switch self {
        case .negligible: "négligeable"
        case .small: "faible"
        case .medium: "moyenne"
        case .large: "forte"
        }
    }
}

extension BreakdownWarning {
    public var frenchSentence: String {
        switch self {
        case .smallExpectedCounts(let cells, let total, _):
            "Attention : \(cells) \(cells == 1 ? "case attend" : "cases attendent") moins de 5 réponses sur \(total) ; "
                + "le résultat du test est alors approximatif. Regrouper des modalités le rendrait plus sûr."
        case .emptyCategoriesLeftOut(let rows, let columns):
            "Laissées de côté car personne n'y a répondu : " + (rows + columns).map { "« \($0) »" }.joined(separator: ", ") + "."
        }
    }
}

extension PublishedCount {
    /// What a hidden count shows in its cell; nil for a shown count, which the page formats.
    public func frenchLabel(rule: SmallCellRule) -> String? {
        switch self {
        case .shown: nil
        case .belowMinimum: "< \(rule.minimumCount)"
        case .masked: "masqué"
        }
    }
}

extension SmallCellRule {
    /// The note under a protected table.
    public var frenchLegend: String {
        "« < \(minimumCount) » : moins de \(minimumCount) réponses, aucune comprise ; "
            + "« masqué » : au moins \(minimumCount) réponses, masquées pour qu'un petit effectif ne puisse pas être retrouvé à partir des totaux."
    }
}

/// Numbers written the French way (decimal comma).
enum FrenchNumber {
    static func decimal(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", value).replacingOccurrences(of: ".", with: ",")
    }

    /// « 5 % » for 0.05.
    static func percent(_ fraction: Double) -> String {
        let value = fraction * 100
        return (value.rounded() == value ? String(Int(value)) : decimal(value, digits: 1)) + "\u{202F}%"
    }

    /// « p < 0,001 » for tiny values (more digits would claim a precision the data lacks),
    /// else three decimals.
    static func pValue(_ value: Double) -> String {
        value < 0.001 ? "p < 0,001" : "p = \(decimal(value, digits: 3))"
    }
}
