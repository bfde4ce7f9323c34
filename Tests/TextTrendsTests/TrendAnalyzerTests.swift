import Foundation
import Testing
import TextTrends

/// Key words and key phrases ranked by TF-IDF on small corpora whose answers are worked out by
/// hand, and the weekly movement rule on known counts.
@Suite struct TrendAnalyzerTests {
    static let week1 = Date(timeIntervalSince1970: 1_780_000_000)
    static let week2 = week1.addingTimeInterval(7 * 86_400)
    static let week3 = week2.addingTimeInterval(7 * 86_400)
    static let week4 = week3.addingTimeInterval(7 * 86_400)

    static func document(_ text: String, week: Date = week1) -> TrendDocument {
        TrendDocument(id: UUID(), text: text, week: week)
    }

    // The set: three petitions. The rest: two texts about buses.
    //   word      texts of the set   texts of the rest   score = df/3 × (ln(3 / (1 + df_rest)) + 1)
    //   urgences  3                  0                   1 × (ln 3 + 1)
    //   hôpital   2                  0                   2/3 × (ln 3 + 1)
    //   nuit      2                  0                   2/3 × (ln 3 + 1)   (tie with hôpital: key order)
    //   bus       2                  2                   2/3 × 1
    //   others    1                  -                   no trend (one text only)
    static let set = [
        document("Fermeture de l'hôpital de Cambrai : les urgences ferment la nuit."),
        document("Sauvons les urgences de l'Hôpital et les bus !"),
        document("Des urgences ouvertes la nuit et des bus."),
    ]
    static let rest = [document("Plus de bus pour le lycée."), document("Des bus le dimanche.")]

    @Test func keyWordsRankByTheirFrequencyInTheSetAndTheirRarityInTheRest() {
        // act
        let report = TrendAnalyzer().report(of: Self.set, against: Self.rest, weeks: [Self.week1])

        // check
        let idf: Double = log(3.0) + 1
        let expected: [Double] = [idf, 2.0 / 3.0 * idf, 2.0 / 3.0 * idf, 2.0 / 3.0]
        let scores: [Double] = report.keyWords.map(\.score)
        #expect(report.keyWords.map(\.label) == ["urgences", "hôpital", "nuit", "bus"])
        #expect(scores.count == expected.count)
        for (score, wanted) in zip(scores, expected) { #expect(abs(score - wanted) < 1e-9) }
        #expect(report.keyWords[0].documentIDs == Self.set.map(\.id).sorted())
        #expect(report.keyWords[1].documentIDs == [Self.set[0].id, Self.set[1].id].sorted())
        #expect(report.keyWords[3].documentIDs == [Self.set[1].id, Self.set[2].id].sorted())
        #expect(report.documentCount == 3)
    }

    @Test func withoutTheRestTheMostSharedWordsComeFirst() {
        // act: the same set, nothing to compare with, so bus is as good as hôpital and nuit
        let report = TrendAnalyzer().report(of: Self.set, against: [], weeks: [Self.week1])

        // check: equal scores are ordered by key
        #expect(report.keyWords.map(\.label) == ["urgences", "bus", "hôpital", "nuit"])
        let twoThirds: Double = 2.0 / 3.0
        let expected: [Double] = [1, twoThirds, twoThirds, twoThirds]
        #expect(report.keyWords.map(\.score) == expected)
    }

    @Test func keyPhrasesNeverEndOnAStopWordAndShowTheirMostFrequentForm() {
        // setup
        let set = [
            Self.document("Plus de transports en commun le soir."),
            Self.document("Des Transports en  commun gratuits, et la qualité de l’air."),
            Self.document("Un transport en commun par village. La qualité de l'air baisse."),
        ]

        // act
        let report = TrendAnalyzer().report(of: set, against: [], weeks: [Self.week1])

        // check
        let phrases = Dictionary(report.keyPhrases.map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(phrases["transports en commun"]?.documentIDs == set.map(\.id).sorted())
        #expect(phrases["qualité de l’air"] != nil || phrases["qualité de l'air"] != nil)
        #expect(report.keyPhrases.first?.label == "transports en commun")
        // no phrase starts or ends with a stop word, none crosses a sentence
        let stopWords = FrenchStopWords.shared
        for phrase in report.keyPhrases {
            let words = phrase.label.split(separator: " ").map { FrenchTokenizer.fold($0) }
            #expect(words.count >= 2 && words.count <= 4, "\(phrase.label)")
            #expect(!stopWords.contains(folded: words.first ?? ""), "\(phrase.label)")
            #expect(!stopWords.contains(folded: words.last ?? ""), "\(phrase.label)")
        }
        #expect(!report.keyPhrases.contains { $0.label.contains("soir") && $0.label.contains("transport") })
        #expect(!report.keyPhrases.contains { $0.label.contains("air baisse") })
    }

    @Test func aTrendsTextsHoldItsPhraseAfterNormalisation() {
        // act
        let report = TrendAnalyzer().report(of: Self.set, against: Self.rest, weeks: [Self.week1])

        // check: each trend's texts, and only they, hold it
        let extractor = TermExtractor()
        for trend in report.keyWords + report.keyPhrases {
            let holders = Self.set.filter { extractor.contains(trend.key, in: $0.text) }.map(\.id).sorted()
            #expect(holders == trend.documentIDs, "\(trend.label)")
            #expect(extractor.key(of: trend.label) == trend.key, "\(trend.label)")
        }
    }

    @Test(arguments: [
        ([1, 1, 1, 4], TrendMovement.rising),
        ([0, 0, 2], .rising),
        ([0, 1], .steady),  // one more text is no trend
        ([4, 4, 4, 1], .falling),
        ([3, 1], .falling),
        ([2, 2, 3], .steady),
        ([10, 1, 1, 1, 3], .rising),  // only the three weeks before the last count
        ([1, 1, 1, 10, 3], .steady),  // mean of 1, 1, 10 is 4: 3 is neither twice nor half of it
        ([5], .steady),
        ([], .steady),
    ])
    func movementComparesTheLastWeekWithTheThreeBefore(counts: [Int], expected: TrendMovement) {
        #expect(TrendMovement.of(weeklyCounts: counts) == expected)
    }

    @Test func weeklyCountsFollowTheWeeksTheTextsWerePublishedIn() {
        // setup: « vélo » in one text a week, then four in the last; « parking » the other way round
        var set: [TrendDocument] = []
        for week in [Self.week1, Self.week2, Self.week3] {
            set.append(Self.document("Un vélo pour tous.", week: week))
            set += (0..<3).map { _ in Self.document("Le parking est plein.", week: week) }
        }
        set += (0..<4).map { _ in Self.document("Des pistes pour le vélo.", week: Self.week4) }
        let weeks = [Self.week1, Self.week2, Self.week3, Self.week4]

        // act
        let report = TrendAnalyzer().report(of: set, against: [], weeks: weeks)

        // check
        let bike = report.keyWords.first { $0.label == "vélo" }
        let parking = report.keyWords.first { $0.label == "parking" }
        #expect(bike?.weeklyCounts == [1, 1, 1, 4])
        #expect(bike?.movement == .rising)
        #expect(parking?.weeklyCounts == [3, 3, 3, 0])
        #expect(parking?.movement == .falling)
        #expect(report.rising.map(\.label).contains("vélo"))
        #expect(report.falling.map(\.label).contains("parking"))
        #expect(report.falling.first?.weeklyCounts == [3, 3, 3, 0])
        #expect(!report.rising.contains { $0.label == "parking" })
    }
}
