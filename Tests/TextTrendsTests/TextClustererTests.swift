import Foundation
import Testing
import TextTrends

/// Groups of similar texts on a corpus built with three planted topics: the groups found are
/// exactly the planted ones, whatever order the texts come in; each group's key phrases,
/// label and representative texts come from its own texts; near-duplicates are paired and
/// nothing else is.
@Suite struct TextClustererTests {
    static let week = Date(timeIntervalSince1970: 1_780_000_000)

    /// Sentences of three topics sharing no key word; each text takes three of its topic's
    /// sentences (a different triple for each), so texts of one topic overlap without repeating.
    static let topics: [[String]] = [
        [
            "Les transports en commun manquent le soir.", "Il faut plus de bus entre les villages.",
            "Le train régional arrive souvent en retard.", "Les horaires des cars scolaires sont mal pensés.",
            "La gare routière reste fermée le dimanche.", "Le billet de train coûte trop cher aux étudiants.",
        ],
        [
            "Les urgences de l'hôpital ferment la nuit.", "On attend des mois un rendez-vous chez le médecin.",
            "La maternité de proximité doit rester ouverte.", "Les infirmières libérales sont épuisées.",
            "Le centre de santé manque de généralistes.", "La pharmacie de garde est trop loin.",
        ],
        [
            "La cantine du collège sert des produits locaux.", "Les classes du lycée sont surchargées.",
            "Les enseignants remplaçants manquent à l'école primaire.", "Le gymnase scolaire tombe en ruine.",
            "Les devoirs numériques excluent les familles sans ordinateur.", "La bibliothèque du lycée ferme trop tôt.",
        ],
    ]
    static let triples = [[0, 1, 2], [1, 3, 4], [2, 4, 5], [0, 3, 5], [1, 2, 5], [0, 4, 3], [3, 2, 1]]

    /// The planted corpus: for each topic, the ids of its texts.
    static func corpus() -> (documents: [TrendDocument], planted: [Set<UUID>]) {
        var documents: [TrendDocument] = []
        var planted: [Set<UUID>] = []
        for sentences in topics {
            var ids: Set<UUID> = []
            for triple in triples {
                let id = UUID()
                ids.insert(id)
                documents.append(TrendDocument(id: id, text: triple.map { sentences[$0] }.joined(separator: " "), week: week))
            }
            planted.append(ids)
        }
        return (documents, planted)
    }

    @Test func theGroupsFoundAreExactlyThePlantedTopicsWhateverTheOrder() throws {
        // setup
        let (documents, planted) = Self.corpus()

        // act
        let grouping = TextClusterer().group(documents)
        let reversed = TextClusterer().group(documents.reversed())

        // check: three groups, each one planted topic, and the same result from the other order
        #expect(grouping.clusters.count == 3)
        #expect(Set(grouping.clusters.map { Set($0.documentIDs) }) == Set(planted))
        #expect(grouping.silhouette > 0.2)
        #expect(reversed == grouping)
    }

    @Test func eachGroupsKeyPhrasesLabelAndRepresentativesComeFromItsOwnTexts() throws {
        // setup
        let (documents, _) = Self.corpus()
        let texts = Dictionary(uniqueKeysWithValues: documents.map { ($0.id, $0.text) })
        let extractor = TermExtractor()

        // act
        let grouping = TextClusterer().group(documents)

        // check
        for cluster in grouping.clusters {
            let members = Set(cluster.documentIDs)
            #expect(cluster.representativeIDs.count == 3)
            #expect(Set(cluster.representativeIDs).isSubset(of: members))
            #expect(!cluster.keyTerms.isEmpty)
            for term in cluster.keyTerms {
                #expect(Set(term.documentIDs).isSubset(of: members), "\(term.label)")
                for id in term.documentIDs { #expect(extractor.contains(term.key, in: texts[id] ?? ""), "\(term.label) in its text") }
            }
            // the label is made of the group's first key terms
            let firstLabels = cluster.keyTerms.prefix(2).map(\.label)
            #expect(cluster.label == firstLabels.joined(separator: " · "))
        }
    }

    @Test func nearDuplicatesArePairedAndDistinctTextsAreNot() throws {
        // setup: the corpus, plus a near copy of one text (one word changed, punctuation moved)
        var (documents, _) = Self.corpus()
        let original = documents[4]
        let copy = TrendDocument(id: UUID(), text: original.text.replacingOccurrences(of: "bus", with: "autobus") + " !", week: Self.week)
        let exact = TrendDocument(id: UUID(), text: documents[10].text.uppercased(), week: Self.week)
        documents += [copy, exact]

        // act
        let duplicates = TextClusterer().group(documents).nearDuplicates

        // check: exactly the two planted pairs, the exact copy first
        let pairs = duplicates.map { Set([$0.first, $0.second]) }
        #expect(pairs == [Set([documents[10].id, exact.id]), Set([original.id, copy.id])])
        #expect(duplicates[0].similarity > 0.999)
        #expect(duplicates.allSatisfy { $0.first.uuidString < $0.second.uuidString })
    }

    @Test func fewerThanFourTextsMakeOneGroupAndNoTextNone() throws {
        // setup
        let (documents, _) = Self.corpus()

        // act
        let three = TextClusterer().group(Array(documents.prefix(3)))
        let none = TextClusterer().group([])

        // check
        #expect(three.clusters.count == 1)
        #expect(Set(three.clusters[0].documentIDs) == Set(documents.prefix(3).map(\.id)))
        #expect(none.clusters.isEmpty && none.nearDuplicates.isEmpty)
    }
}
