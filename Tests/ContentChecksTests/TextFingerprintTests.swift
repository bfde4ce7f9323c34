import ContentChecks
import Foundation
import Testing

@Suite struct TextFingerprintTests {
    static let proposal = """
        Je demande que la ligne TER entre Amiens et Lille soit renforcée le matin, car les trains de 7 h sont \
        bondés et souvent en retard, ce qui pénalise chaque jour les lycéens, les étudiants et les salariés \
        qui n'ont pas d'autre moyen de transport pour rejoindre la métropole.
        """
    /// The same proposal with one word changed ("matin" → "soir") and different punctuation and case.
    static let proposalEdited = """
        Je demande que la ligne TER entre Amiens et Lille soit renforcée le soir ; car les trains de 7 h sont \
        bondés et souvent en retard... ce qui pénalise chaque jour les lycéens, les étudiants et les salariés \
        qui n'ont pas d'autre moyen de transport pour rejoindre la Métropole !
        """
    /// Another citizen on the same subject, in their own words.
    static let sameSubject = """
        Il faudrait davantage de trains TER entre Amiens et Lille aux heures de pointe : les rames sont pleines, \
        les retards s'accumulent et les jeunes comme les travailleurs en pâtissent. Merci de mettre des voitures \
        supplémentaires sur cette liaison essentielle pour la Somme.
        """

    @Test func normalisationDropsCaseAccentsPunctuationAndSpacing() {
        #expect(TextFingerprint.normalized("  L'Économie, ça   compte !\n Œuvre… d’ART ") == "l economie ca compte oeuvre d art")
        #expect(TextFingerprint.normalized("!!! ...") == "")
    }

    @Test func fingerprintIsTheSameInEveryProcess() {
        // act
        let fingerprint = TextFingerprint(text: "Je demande que la ligne TER entre Amiens et Lille soit renforcée le matin.")

        // check: constants computed once (and by an independent implementation); a change
        // here means every stored fingerprint and band key has become unreadable
        #expect(fingerprint.minHash.count == 128)
        #expect(fingerprint.minHash[0] == 1_202_232_529_279_984_719)
        #expect(fingerprint.minHash[127] == 2_810_552_892_732_364_489)
        #expect(fingerprint.bandKeys[0] == -2_995_190_985_349_977_262)
        #expect(fingerprint.shingleCount == 12)
    }

    @Test func nearIdenticalTextsScoreHighAndShareBandKeys() {
        // act
        let original = TextFingerprint(text: Self.proposal)
        let edited = TextFingerprint(text: Self.proposalEdited)

        // check
        #expect(original.similarity(to: edited) >= 0.75)
        #expect(TextFingerprint.shingleSimilarity(Self.proposal, Self.proposalEdited) >= 0.8)
        #expect(!Set(original.bandKeys).isDisjoint(with: edited.bandKeys))
    }

    @Test func punctuationAndCaseChangesAloneGiveTheSameFingerprint() {
        // act
        let original = TextFingerprint(text: Self.proposal)
        let shouted = TextFingerprint(text: Self.proposal.uppercased().replacingOccurrences(of: ",", with: " ;"))

        // check
        #expect(original == shouted)
        #expect(original.similarity(to: shouted) == 1)
        #expect(TextFingerprint.shingleSimilarity(Self.proposal, Self.proposal.uppercased()) == 1)
    }

    @Test func differentTextsOnTheSameSubjectScoreLowAndShareNoBandKey() {
        // act
        let original = TextFingerprint(text: Self.proposal)
        let other = TextFingerprint(text: Self.sameSubject)

        // check
        #expect(original.similarity(to: other) < 0.15)
        #expect(TextFingerprint.shingleSimilarity(Self.proposal, Self.sameSubject) < 0.1)
        #expect(Set(original.bandKeys).isDisjoint(with: other.bandKeys))
    }

    @Test func bandKeysAreOnePerBandAndDistinct() {
        let keys = TextFingerprint(text: Self.proposal).bandKeys
        #expect(keys.count == TextFingerprint.bandCount)
        #expect(Set(keys).count == keys.count)
    }

    @Test func textWithoutWordsIsSimilarToNothing() {
        // act
        let empty = TextFingerprint(text: " ?! … ")

        // check
        #expect(empty.shingleCount == 0)
        #expect(empty.bandKeys.isEmpty)
        #expect(empty.similarity(to: TextFingerprint(text: "")) == 0)
        #expect(TextFingerprint.shingleSimilarity("", "") == 0)
    }

    @Test func fingerprintSurvivesStorage() throws {
        // setup
        let fingerprint = TextFingerprint(text: Self.proposal)

        // act
        let decoded = try JSONDecoder().decode(TextFingerprint.self, from: JSONEncoder().encode(fingerprint))
        let rebuilt = TextFingerprint(minHash: fingerprint.minHash.map { UInt64(bitPattern: Int64(bitPattern: $0)) }, shingleCount: fingerprint.shingleCount)

        // check
        #expect(decoded == fingerprint)
        #expect(rebuilt == fingerprint)
        #expect(TextFingerprint(minHash: [1, 2, 3], shingleCount: 1) == nil)
    }
}

@Suite struct NearDuplicateFindingTests {
    @Test func mostSimilarEarlierItemIsReported() throws {
        // setup
        let earlier = [
            (reference: "contribution 41", fingerprint: TextFingerprint(text: TextFingerprintTests.sameSubject)),
            (reference: "contribution 57", fingerprint: TextFingerprint(text: TextFingerprintTests.proposal)),
        ]

        // act
        let finding = try #require(TextFingerprint(text: TextFingerprintTests.proposalEdited).nearDuplicateFinding(among: earlier))

        // check
        #expect(finding.rule == .nearDuplicate)
        #expect(finding.excerpt == "contribution 57")
        #expect(finding.score >= 75)
        #expect(finding.reason.hasPrefix("Texte quasi identique à un élément antérieur (contribution 57, similarité "))
    }

    @Test func differentTextIsNotADuplicate() {
        let earlier = [(reference: 41, fingerprint: TextFingerprint(text: TextFingerprintTests.sameSubject))]
        #expect(TextFingerprint(text: TextFingerprintTests.proposal).nearDuplicateFinding(among: earlier) == nil)
    }

    @Test func shortAnswersRepeatedVerbatimAreNotDuplicates() {
        // setup: the kind of free-text answer many citizens give
        let earlier = [(reference: 1, fingerprint: TextFingerprint(text: "Je suis d'accord."))]

        // act / check
        #expect(TextFingerprint(text: "Je suis d'accord !").nearDuplicateFinding(among: earlier) == nil)
        #expect(TextFingerprint(text: "Je suis d'accord !").similarity(to: earlier[0].fingerprint) == 1)
    }
}
