import SurveyStatistics

/// « Tous les croisements »: one question crossed with every profile field and the channel,
/// read together. Looking at several tests at once, some would pass the 5 % level by chance
/// alone, so each verdict rests on its Benjamini–Hochberg adjusted p-value (q).
///
/// A table the page publishes with a hidden count withholds its p-value (with the real
/// counts, it would let a reader test guesses of the hidden ones), so it is also left out of
/// the correction: including it would let its p-value be worked back from the others' q.
/// Tables no test applies to (a multiple choice, a single answered row or column) are left
/// out too. The page says which and why.
struct SurveyBreakdownSweep {
    /// One crossing as it arrives: the criterion's name and its table.
    struct Crossing {
        let criterion: String
        let table: CrossTab
        /// A multiple choice on an axis: a response may count twice, no test applies.
        let responsesMayCountTwice: Bool
    }

    enum Outcome: Equatable {
        /// Tested and corrected with the others.
        case tested(pValue: Double, adjustedPValue: Double, method: TestMethod, cramersV: CramersV, verdict: BreakdownVerdict)
        /// The published table hides a count: no figure, out of the correction.
        case withheld(band: EffectBand?)
        /// No test applies; the reason in French.
        case untestable(String)
    }

    struct Line: Equatable {
        let criterion: String
        let outcome: Outcome
    }

    let lines: [Line]
    let significanceLevel: Double

    /// How many crossings the correction covers (its m).
    var correctedCount: Int {
        lines.filter { if case .tested = $0.outcome { true } else { false } }.count
    }

    init(_ crossings: [Crossing], rule: SmallCellRule, significanceLevel: Double = BreakdownAnalysis.defaultSignificanceLevel) {
        self.significanceLevel = significanceLevel
        var outcomes = [Outcome?](repeating: nil, count: crossings.count)
        var corrected: [(index: Int, table: CrossTab)] = []
        for (index, crossing) in crossings.enumerated() {
            if crossing.responsesMayCountTwice {
                outcomes[index] = .untestable(
                    "Une même réponse peut compter dans plusieurs cases (question à choix multiple) : aucun test ne s'applique."
                )
                continue
            }
            let alone = BreakdownAnalysis(crossing.table, significanceLevel: significanceLevel)
            if case .notTestable(let reason) = alone.verdict {
                outcomes[index] = .untestable(reason.frenchSentence)
            } else if ProtectedCrossTab(crossing.table, rule: rule).hidesAnyCount {
                outcomes[index] = .withheld(band: alone.cramersV?.band)
            } else {
                corrected.append((index, crossing.table))
            }
        }
        let analyses = BreakdownAnalysis.readTogether(corrected.map(\.table), significanceLevel: significanceLevel)
        for (position, analysis) in analyses.enumerated() {
            guard let pValue = analysis.pValue, let method = analysis.method, let cramersV = analysis.cramersV else { continue }
            // Read alone (one tested crossing), BH leaves the p-value as it is.
            outcomes[corrected[position].index] = .tested(
                pValue: pValue, adjustedPValue: analysis.adjustedPValue ?? pValue, method: method, cramersV: cramersV, verdict: analysis.verdict
            )
        }
        lines = crossings.indices.map { Line(criterion: crossings[$0].criterion, outcome: outcomes[$0] ?? .untestable("")) }
    }
}

extension SurveyBreakdownSweep {
    /// The sweep as the results page shows it.
    var model: ResultsSweep {
        let level = ResultsNumber.decimal(significanceLevel * 100) + "\u{202F}%"
        let rows = lines.map { line -> ResultsSweep.Row in
            switch line.outcome {
            case .tested(let pValue, let adjusted, let method, let cramersV, let verdict):
                let significant = adjusted < significanceLevel
                return ResultsSweep.Row(
                    criterion: line.criterion,
                    method: method == .fisherExact ? "Fisher (exact)" : "Khi-deux",
                    pValue: ResultsNumber.pValue(pValue), qValue: ResultsNumber.pValue(adjusted),
                    significant: significant ? "Oui" : "Non",
                    cramersV: "\(ResultsNumber.decimal(cramersV.value)) (ampleur \(cramersV.band.frenchLabel))",
                    reading: verdict.frenchSentence
                )
            case .withheld(let band):
                return ResultsSweep.Row(
                    criterion: line.criterion, method: "—", pValue: "non publiée", qValue: "—", significant: "—",
                    cramersV: band.map { "ampleur \($0.frenchLabel)" } ?? "—",
                    reading: "Le tableau masque de petits effectifs : sa valeur p n'est pas publiée et ce croisement est laissé hors de la correction."
                )
            case .untestable(let reason):
                return ResultsSweep.Row(
                    criterion: line.criterion, method: "—", pValue: "—", qValue: "—", significant: "—", cramersV: "—",
                    reading: reason + " Laissé hors de la correction."
                )
            }
        }
        let count = correctedCount
        let correction =
            switch count {
            case 0: "Aucun croisement n'a pu être testé et publié : il n'y a rien à corriger."
            case 1: "Un seul croisement est testé et publié : sa valeur p n'a pas à être corrigée (q = p)."
            default:
                "La correction de Benjamini-Hochberg porte sur les \(count) croisements testés et publiés : "
                    + "q est la valeur p corrigée, et un écart n'est retenu comme probablement réel que si q est inférieur à \(level)."
            }
        return ResultsSweep(rows: rows, correction: correction, level: level)
    }
}

/// The « Tous les croisements » table.
struct ResultsSweep {
    struct Row {
        let criterion: String
        let method: String
        let pValue: String
        let qValue: String
        let significant: String
        let cramersV: String
        let reading: String
    }

    let rows: [Row]
    let correction: String
    let level: String
}
