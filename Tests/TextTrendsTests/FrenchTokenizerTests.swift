import Testing
import TextTrends

/// French words as the trends read them: stems, stop words, elisions, accents, clauses.
@Suite struct FrenchTokenizerTests {
    let tokenizer = FrenchTokenizer()

    func words(_ text: String) -> [String] {
        tokenizer.tokens(of: text).map(\.surface)
    }

    @Test func snowballGivesPluralsAndAccentlessSpellingsOneStem() {
        // setup and act
        let stems = ["hôpital", "hôpitaux", "Hopitaux", "HÔPITAL"].map { tokenizer.tokens(of: $0).first?.stem }
        let transports = ["transport", "transports"].map { tokenizer.tokens(of: $0).first?.stem }
        let closing = ["fermeture", "fermetures"].map { tokenizer.tokens(of: $0).first?.stem }

        // check
        #expect(Set(stems) == ["hopital"])
        #expect(Set(transports) == ["transport"])
        #expect(Set(closing) == ["fermetur"])
        // different words keep different stems
        #expect(tokenizer.tokens(of: "école")[0].stem != tokenizer.tokens(of: "écluse")[0].stem)
        #expect(FrenchStemmer.shared.stem("mobilités") == "mobil")
    }

    @Test func stopWordsAreMarkedWhateverTheirAccentsAndCase() {
        // act
        let tokens = tokenizer.tokens(of: "Le bus de la ligne 12 passe à côté, Avec des retards ; ÊTRE ou ne pas être.")

        // check
        let stop = Set(tokens.filter(\.isStopWord).map(\.folded))
        let kept = tokens.filter { !$0.isStopWord }.map(\.surface)
        #expect(stop.isSuperset(of: ["le", "de", "la", "a", "avec", "des", "etre", "ou", "ne", "pas"]))
        #expect(kept == ["bus", "ligne", "passe", "côté", "retards"])
        #expect(FrenchStopWords.shared.words.count > 200)
        #expect(!FrenchStopWords.shared.contains(folded: "hopital"))
    }

    @Test func elisionsLeaveTheWordThatCarriesTheMeaning() {
        // act and check: the elided article, pronoun or conjunction goes, with either apostrophe
        #expect(words("l'hôpital") == ["hôpital"])
        #expect(words("L’École d’ingénieurs") == ["école", "ingénieurs"])
        #expect(words("qu'il faut") == ["il", "faut"])
        #expect(words("j'habite jusqu'à Lille") == ["habite", "à", "lille"])
        #expect(words("lorsqu’on attend, puisqu'elle part") == ["on", "attend", "elle", "part"])
        #expect(words("n'importe, s'il, c'est, m'a, t'as") == ["importe", "il", "est", "a", "as"])
        // an apostrophe that is part of the word keeps it whole
        #expect(words("Aujourd’hui") == ["aujourd’hui"])
        #expect(tokenizer.tokens(of: "aujourd'hui")[0].isStopWord)
        // and the elided form and the bare word are one term
        #expect(tokenizer.tokens(of: "d'eau")[0].stem == tokenizer.tokens(of: "eau")[0].stem)
    }

    @Test func accentsFoldForMatchingButStayInWhatIsShown() {
        // act
        let token = tokenizer.tokens(of: "Qualité")[0]

        // check
        #expect(token.surface == "qualité")
        #expect(token.folded == "qualite")
        #expect(FrenchTokenizer.fold("Œuvre à l’Élysée") == "oeuvre a l'elysee")
        #expect(tokenizer.tokens(of: "qualite")[0].stem == token.stem)
    }

    @Test func clausesEndAtPunctuationNumbersAndLineBreaks() {
        // act
        let clauses = tokenizer.clauses(of: "Un hôpital. Public, proche\nde chez nous ; 2 bus à 8h sur la A16 (enfin) »fin")

        // check
        #expect(clauses.map { $0.map(\.surface) } == [
            ["un", "hôpital"], ["public"], ["proche"], ["de", "chez", "nous"], ["bus", "à"], ["sur", "la"], ["enfin"], ["fin"],
        ])
    }
}
