import DialogueContracts
import Foundation
@testable import Gateway
import SurveyStatistics
import Testing

/// The results page's pure parts: the filter's sentence, the SVG charts, and « Tous les
/// croisements » with its Benjamini–Hochberg correction, against values worked out by hand.
@Suite struct SurveyResultsViewsTests {
    // MARK: The filter's sentence

    @Test func severalValuesOfAFilterReadAsOneFrenchSentence() {
        let ages = SurveyResultsFilter(departements: [.aisne, .nord], ageBands: [.from18To24, .from25To34])
        #expect(StaffSurveyResultsPages.describe(ages) == "Réponses des personnes de 18 à 24 ans ou de 25 à 34 ans, dans l'Aisne ou le Nord")
        let everything = SurveyResultsFilter(
            departements: [.pasDeCalais, .somme, .outsideRegion], occupations: [.retired], associations: [.member], channels: [.paper, .inPerson]
        )
        #expect(
            StaffSurveyResultsPages.describe(everything)
                == "Réponses des personnes retraitées, membres d'une association, dans le Pas-de-Calais, la Somme ou hors des Hauts-de-France, reçues sur papier ou en personne"
        )
        #expect(StaffSurveyResultsPages.describe(SurveyResultsFilter(channels: [.web])) == "Réponses reçues en ligne")
        #expect(StaffSurveyResultsPages.describe(.all) == "Toutes les réponses")
    }

    // MARK: Charts

    /// The numbers in `attribute="…"` of every element of a class, in order.
    static func attribute(_ name: String, ofClass className: String, in svg: String) -> [String] {
        svg.components(separatedBy: "class=\"\(className)\"").dropFirst().compactMap { element in
            guard let start = element.range(of: " \(name)=\"") else { return nil }
            return String(element[start.upperBound...].prefix { $0 != "\"" })
        }
    }

    @Test func barsAreAsLongAsTheirShareAndHiddenCountsAreDrawnAsFramesNotLengths() throws {
        let svg = try #require(SurveyResultsChart.bars(id: "mode", title: "Mode : part de chaque réponse", bars: [
            .init(label: "Train", share: 25, text: "12 (25 %)"),
            .init(label: "Voiture", share: 50, text: "24 (50 %)"),
            .init(label: "Vélo", share: nil, text: "< 10 : nombre non publié"),
            .init(label: "Bus", share: 100, text: "48 (100 %)"),
        ]))
        // 440 units at 100 %: the lengths are in proportion to the shares.
        #expect(Self.attribute("width", ofClass: "chart-bar", in: svg) == ["110", "220", "440"])
        // The hidden count: one dashed frame the width of the track, and its label, never a bar.
        #expect(Self.attribute("width", ofClass: "chart-masked", in: svg) == ["438"])
        #expect(svg.contains("stroke-dasharray"))
        #expect(svg.contains("&lt; 10 : nombre non publié"))
        // Named and described for assistive technologies, every value in the description.
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.contains(#"role="img" aria-labelledby="graphique-mode-titre graphique-mode-description""#))
        #expect(svg.contains(#"<title id="graphique-mode-titre">Mode : part de chaque réponse</title>"#))
        #expect(svg.contains("Train : 12 (25 %) ; Voiture : 24 (50 %) ; Vélo : &lt; 10 : nombre non publié ; Bus : 48 (100 %)."))
        // The value is written beside each bar: colour carries nothing alone.
        #expect(Self.attribute("x", ofClass: "chart-value", in: svg) == ["116", "226", "8", "446"])
        #expect(SurveyResultsChart.bars(id: "vide", title: "Vide", bars: []) == nil)
    }

    @Test func labelsAndTitlesAreEscaped() throws {
        let svg = try #require(SurveyResultsChart.bars(id: "q\"1", title: "Vous & <nous>", bars: [
            .init(label: #"<script>alert("x")</script> l'autre"#, share: 10, text: "10 (10 %)"),
        ]))
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; l&#39;autre"))
        #expect(svg.contains("Vous &amp; &lt;nous&gt;"))
        #expect(svg.contains(#"id="graphique-q&quot;1-titre""#))
    }

    @Test func aStackedRowSplitsIntoSegmentsAsLongAsTheirSharesAndAMaskedRowIsAFrame() throws {
        let svg = try #require(SurveyResultsChart.stackedBars(
            id: "m", title: "Services : répartition de chaque ligne", columns: ["1", "2", "3", "4"],
            rows: [
                .init(label: "Transports", shares: [25, 25, 0, 50], text: "1 : 10 (25 %), 2 : 10 (25 %), 3 : 0, 4 : 20 (50 %)"),
                .init(label: "Santé", shares: nil, text: "ligne en partie non publiée (voir le tableau)"),
            ],
            columnsMeaning: "points de l'échelle"
        ))
        // 440 units at 100 %, segments one after the other; an empty one is not drawn.
        #expect(Self.attribute("width", ofClass: "chart-segment", in: svg) == ["110", "110", "220"])
        #expect(Self.attribute("x", ofClass: "chart-segment", in: svg) == ["0", "110", "220"])
        // Each segment is written with its column (and its share when it is wide enough).
        #expect(svg.contains(">1 · 25,0\u{202F}%</text>"))
        #expect(svg.contains(">4 · 50,0\u{202F}%</text>"))
        // The row with a hidden count: a dashed frame, no segment of it.
        #expect(Self.attribute("width", ofClass: "chart-masked", in: svg) == ["438"])
        #expect(svg.contains("Santé : ligne en partie non publiée (voir le tableau)"))
        #expect(svg.contains("découpée en points de l&#39;échelle (1, 2, 3, 4)"))
        #expect(SurveyResultsChart.stackedBars(id: "v", title: "Vide", columns: ["1"], rows: [], columnsMeaning: "places") == nil)
    }

    /// WCAG's contrast ratio, worked out here from the sRGB definition.
    static func contrast(_ first: String, _ second: String) -> Double {
        func luminance(_ hex: String) -> Double {
            let value = Int(hex.dropFirst(), radix: 16)!
            func linear(_ shift: Int) -> Double {
                let channel = Double((value >> shift) & 0xFF) / 255
                return channel <= 0.03928 ? channel / 12.92 : pow((channel + 0.055) / 1.055, 2.4)
            }
            let (red, green, blue) = (linear(16), linear(8), linear(0))
            return 0.2126 * red + 0.7152 * green + 0.0722 * blue
        }
        let (a, b) = (luminance(first), luminance(second))
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    @Test func textWrittenOnEverySegmentShadeMeetsTheAAContrast() {
        for count in 1...11 {
            var previousDarkness = -1.0
            for column in 0..<count {
                let shade = SurveyResultsChart.shade(column, of: count)
                let text = shade.isDark ? "#ffffff" : "#1b1f24"
                #expect(Self.contrast(shade.fill, text) >= 4.5, "column \(column) of \(count): \(shade.fill)")
                // The shades darken in the columns' order.
                let darkness = Self.contrast(shade.fill, "#ffffff")
                #expect(darkness > previousDarkness)
                previousDarkness = darkness
            }
        }
    }

    @Test func aGridRowIsChartedOnlyWhenEveryCountOfItIsPublished() {
        let shown = ResultsCell(.shown(30), rule: .default, percentage: 75)
        let other = ResultsCell(.shown(10), rule: .default, percentage: 25)
        let hidden = ResultsCell(.belowMinimum, rule: .default, percentage: 10)
        let full = ResultsGrid.Row(label: "Transports", cells: [shown, other], extra: nil).chartRow(columns: ["1re place", "2e place"])
        #expect(full.shares == [75, 25])
        #expect(full.text == "1re place : 30 (75,0\u{202F}%), 2e place : 10 (25,0\u{202F}%)")
        let partial = ResultsGrid.Row(label: "Santé", cells: [shown, hidden], extra: nil).chartRow(columns: ["1", "2"])
        #expect(partial.shares == nil)
        #expect(SurveyQuestionFigures.shortColumn("1re place") == "1")
        #expect(SurveyQuestionFigures.shortColumn("10e place") == "10")
        #expect(SurveyQuestionFigures.shortColumn("Très bien") == "Très bien")
    }

    @Test func theBoxPlotPlacesTheQuartilesOnTheScaleOfTheAnswers() {
        let svg = SurveyResultsChart.boxPlot(
            id: "km", title: "Distance",
            .init(minimum: 10, lowerQuartile: 10, median: 20, upperQuartile: 25, maximum: 30)
        )
        // From x = 20 (minimum) to x = 620 (maximum), 30 units per kilometre.
        #expect(Self.attribute("x", ofClass: "chart-box", in: svg) == ["20"])
        #expect(Self.attribute("width", ofClass: "chart-box", in: svg) == ["450"])
        #expect(Self.attribute("x1", ofClass: "chart-median", in: svg) == ["320"])
        #expect(svg.contains("minimum 10, premier quartile 10, médiane 20, troisième quartile 25, maximum 30"))
        #expect(svg.contains(#"role="img""#))
    }

    // MARK: Every crossing, corrected together

    /// The chi-square of a 2×2 table and its p-value with one degree of freedom, in closed
    /// form: n(ad − bc)² / (row and column totals), and P(χ²₁ > x) = erfc(√(x/2)).
    static func chiSquare(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> (statistic: Double, pValue: Double) {
        let n = Double(a + b + c + d)
        let cross = Double(a * d - b * c)
        let statistic = n * cross * cross / Double((a + b) * (c + d) * (a + c) * (b + d))
        return (statistic, erfc((statistic / 2).squareRoot()))
    }

    static func table(_ a: Int, _ b: Int, _ c: Int, _ d: Int) throws -> CrossTab {
        try CrossTab(rowLabels: ["Oui", "Non"], columnLabels: ["A", "B"], counts: [[a, b], [c, d]])
    }

    @Test func everyCrossingIsCorrectedTogetherAndHiddenCellsStayOutOfTheCorrection() throws {
        let crossings: [SurveyBreakdownSweep.Crossing] = [
            .init(criterion: "Département", table: try Self.table(30, 10, 10, 30), responsesMayCountTwice: false),
            .init(criterion: "Tranche d'âge", table: try Self.table(28, 18, 18, 28), responsesMayCountTwice: false),
            .init(criterion: "Situation", table: try Self.table(15, 15, 14, 16), responsesMayCountTwice: false),
            // A cell of 3: hidden on the page, so no p-value and no part in the correction.
            .init(criterion: "Membre d'une association", table: try Self.table(3, 20, 20, 20), responsesMayCountTwice: false),
            // Every answer in one column: nothing to test.
            .init(criterion: "Canal de réponse", table: try Self.table(12, 0, 15, 0), responsesMayCountTwice: false),
        ]
        let sweep = SurveyBreakdownSweep(crossings, rule: .default)

        // By hand: χ² = 20, 4.348 and 0.0667; p = 7.744e-6, 0.03706 and 0.7961.
        let p = [Self.chiSquare(30, 10, 10, 30), Self.chiSquare(28, 18, 18, 28), Self.chiSquare(15, 15, 14, 16)].map(\.pValue)
        #expect(abs(p[0] - 7.744e-6) < 1e-8 && abs(p[1] - 0.03706) < 1e-5 && abs(p[2] - 0.7961) < 1e-4)
        // Benjamini–Hochberg over m = 3, from the largest down: q₃ = p₃; q₂ = min(q₃, 3/2 × p₂) = 0.05558;
        // q₁ = min(q₂, 3 × p₁) = 2.323e-5.
        let expected: [(q: Double, significant: Bool, v: Double, band: EffectBand)] = [
            (2.3233e-5, true, 0.5, .large), (0.055584, false, 0.21739, .small), (0.79614, false, 0.033352, .negligible),
        ]
        #expect(sweep.correctedCount == 3)
        for (index, line) in sweep.lines.prefix(3).enumerated() {
            guard case .tested(let pValue, let adjusted, let method, let cramersV, let verdict) = line.outcome else {
                Issue.record("\(line.criterion) was not tested: \(line.outcome)")
                continue
            }
            #expect(method == .chiSquare)
            #expect(abs(pValue - p[index]) / p[index] < 1e-6, "p of \(line.criterion)")
            #expect(abs(adjusted - expected[index].q) / expected[index].q < 1e-4, "q of \(line.criterion)")
            #expect((verdict == .differenceProbablyReal) == expected[index].significant, "\(line.criterion)")
            #expect(abs(cramersV.value - expected[index].v) < 1e-4)
            #expect(cramersV.band == expected[index].band)
        }
        // Significant alone (p = 0.037 < 0.05), not once corrected (q = 0.056).
        #expect(p[1] < 0.05)
        guard case .withheld = sweep.lines[3].outcome else { Issue.record("the hidden cell's crossing is not withheld"); return }
        guard case .untestable = sweep.lines[4].outcome else { Issue.record("the one-column crossing is tested"); return }

        let model = sweep.model
        #expect(model.rows.map(\.significant) == ["Oui", "Non", "Non", "—", "—"])
        #expect(model.rows.map(\.qValue) == ["< 0,001", "0,056", "0,796", "—", "—"])
        #expect(model.rows.map(\.pValue) == ["< 0,001", "0,037", "0,796", "non publiée", "—"])
        #expect(model.rows[3].reading.contains("laissé hors de la correction"))
        #expect(model.rows[0].cramersV == "0,5 (ampleur forte)")
        #expect(model.correction.contains("les 3 croisements testés et publiés"))
    }

    @Test func aHigherMinimumWithholdsMoreCrossingsFromTheCorrection() throws {
        let crossings: [SurveyBreakdownSweep.Crossing] = [
            .init(criterion: "Département", table: try Self.table(30, 10, 10, 30), responsesMayCountTwice: false),
            .init(criterion: "Situation", table: try Self.table(15, 15, 14, 16), responsesMayCountTwice: false),
            .init(criterion: "Canal", table: try Self.table(30, 10, 10, 30), responsesMayCountTwice: true),
        ]
        let atTen = SurveyBreakdownSweep(crossings, rule: try SmallCellRule(minimumCount: 10))
        let atFifteen = SurveyBreakdownSweep(crossings, rule: try SmallCellRule(minimumCount: 15))
        #expect(atTen.correctedCount == 2)
        // Cells of 10 and 14 fall under 15: those two crossings withhold their figures.
        #expect(atFifteen.correctedCount == 0)
        #expect(atFifteen.lines.map(\.outcome).prefix(2).allSatisfy { if case .withheld = $0 { true } else { false } })
        // A multiple choice is never tested, whatever the minimum.
        guard case .untestable = atTen.lines[2].outcome else { Issue.record("a multiple choice was tested"); return }
        #expect(atFifteen.model.correction.hasPrefix("Aucun croisement"))
    }
}
