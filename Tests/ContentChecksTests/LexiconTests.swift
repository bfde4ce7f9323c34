import ContentChecks
import Testing

@Suite struct LexiconParsingTests {
    @Test func wellFormedSourceGivesEntriesWithLinesAndAllowedExpressions() throws {
        // setup
        let source = """
            # A comment, then a blank line

            @slur = gougnafier | malotru   # a class
            insult 2 gougnafier
            hate 5 sale @slur
            threat 4 je vais te retrouver
            allow gougnafier de service
            """

        // act
        let lexicon = try Lexicon(parsing: source)

        // check
        #expect(lexicon.entries.map(\.category) == [.insult, .hate, .threat])
        #expect(lexicon.entries.map(\.severity) == [2, 5, 4])
        #expect(lexicon.entries.map(\.expression) == ["gougnafier", "sale @slur", "je vais te retrouver"])
        #expect(lexicon.entries.map(\.line) == [4, 5, 6])
        #expect(lexicon.allowed == ["gougnafier de service"])
    }

    @Test(arguments: [
        ("insult 2 idiot\nrude 2 nul", 2, "unknown category 'rude'"),
        ("insult 9 idiot", 1, "severity must be a number from 1 to 5"),
        ("\n\ninsult deux idiot", 3, "severity must be a number from 1 to 5"),
        ("insult 2", 1, "missing expression after the severity"),
        ("insult", 1, "severity must be a number from 1 to 5"),
        ("allow", 1, "missing expression after 'allow'"),
        ("insult 2 c0nnard", 1, "'c0nnard' is not a word"),
        ("insult 2 sale ! idiot", 1, "'!' is not a word"),
        ("insult 2 idiot\nhate 5 sale @nowhere", 2, "unknown word class @nowhere"),
        ("@x = a | b\n@x = c", 2, "word class @x is already defined on line 1"),
        ("@x arabe | juif", 1, "a word class is written '@name = word | word'"),
        ("@x = arabe || juif", 1, "empty member in word class @x"),
        ("@x = sale arabe", 1, "'sale arabe' in word class @x must be a single word of letters"),
        ("@X = arabe", 1, "'@X' is not a valid class name"),
        ("hate 5 sale @", 1, "'@' is not a valid class reference"),
    ])
    func malformedLineGivesAnErrorNamingIt(source: String, line: Int, message: String) {
        // act
        let error = #expect(throws: LexiconError.self) { try Lexicon(parsing: source) }

        // check
        #expect(error?.line == line)
        #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "no error")")
        #expect(error?.description.hasPrefix("lexicon line \(line): ") == true)
    }

    @Test func bundledFrenchLexiconLoadsEveryCategory() {
        // act
        let lexicon = Lexicon.french

        // check
        #expect(lexicon.entries.count > 100)
        #expect(Set(lexicon.entries.map(\.category)) == Set(Lexicon.Category.allCases))
        #expect(lexicon.entries.allSatisfy { (1...5).contains($0.severity) })
        #expect(lexicon.allowed.contains("cône"))
    }

    @Test func checkerUsesTheLexiconItIsGiven() throws {
        // setup
        let custom = ContentChecker(lexicon: try Lexicon(parsing: "insult 2 gougnafier"))
        let text = "Le chauffeur du car scolaire de Montdidier est un gougnafier."

        // act
        let finding = try #require(custom.finding(.insult, in: text))

        // check
        #expect(finding.excerpt == "« gougnafier »")
        #expect(checker.finding(.insult, in: text) == nil)
        #expect(custom.finding(.insult, in: "Le chauffeur est un connard.") == nil)
    }
}

@Suite struct InsultTests {
    @Test(arguments: [
        "connard", "CONNARD", "Connard", "connnnnard", "cooonnaaard", "c0nnard", "c0nn4rd", "conn@rd", "c.o.n.n.a.r.d", "c o n n a r d",
        "c-o-n-n-a-r-d", "c*o*n*n*a*r*d", "c*nnard", "co**ard", "con\u{200B}nard", "c\u{043E}nnard", "ｃｏｎｎａｒｄ", "connards", "connarde",
        "connardes", "CôNNÂRD",
    ])
    func obfuscatedSpellingsAreFound(spelling: String) throws {
        // act
        let finding = try #require(checker.finding(.insult, in: "Le contrôleur du TER Amiens–Lille de 7 h 42 est un \(spelling), vraiment."))

        // check: the moderator sees the word as written
        #expect(finding.excerpt == "« \(spelling) »")
        #expect(finding.score == 60)
        #expect(finding.reason == "Contient un terme injurieux (gravité 3/5).")
    }

    @Test(arguments: [
        ("Les cons qui se garent sur la voie de bus.", "cons"),
        ("Quelle conne, cette décision.", "conne"),
        ("Bande de connes !", "connes"),
        ("Des salopes, ces gens-là.", "salopes"),
        ("Cette emmerdeuse bloque le projet.", "emmerdeuse"),
        ("Espèce d'enculée !", "enculée"),
        ("Quelle p*te, franchement.", "p*te"),
        ("Le maire est un imbécile.", "imbécile"),
    ])
    func pluralAndFeminineFormsAreFound(text: String, word: String) throws {
        let finding = try #require(checker.finding(.insult, in: text))
        #expect(finding.excerpt?.contains("« \(word) »") == true, "\(finding.excerpt ?? "")")
    }

    @Test(arguments: [
        "La construction du nouveau lycée de Laon prend du retard.",
        "La concertation sur le TER s'est tenue à Amiens, au Conseil régional.",
        "L'Économie régionale dépend de la ligne Paris–Beauvais ; la députée l'a dit.",
        "Sa réputation n'est plus à faire, inutile de disputer.",
        "Il faut imputer ce retard au concours de circonstances et au contrôleur du train.",
        "Un cône de chantier bloque la piste cyclable ; des cônes partout.",
        "À la cantine du lycée : chili con carne et pain bâtard.",
        "La collecte des ordures ménagères à Beauvais et l'épandage du fumier près de Conty.",
        "Il faut une tapette à mouches à la cantine de Condé-Folie.",
        "Sale temps pour les cyclistes : la route est défoncée et mon pneu va crever.",
        "Les frelons asiatiques, il faut les éliminer avant l'été.",
        "C'est une espèce de chien de berger que l'on voit près des étangs.",
        "On va te retrouver à la gare d'Arras à 18 h.",
        "Le comptable de la commune compte les conséquences.",
        "Le conducteur a fermé la ligne ; ferme la porte en sortant.",
        "La tare du système : il y a à faire, et c'est à y voir.",
        "Les conditions de travail des agents SNCF à Tergnier.",
    ])
    func innocentWordsContainingLexiconWordsAreNotReported(text: String) {
        #expect(checker.rules(in: text).isDisjoint(with: ContentFinding.Rule.lexiconRules), "\(checker.check(text))")
    }

    @Test func multiWordInsultCountsOnceAtItsOwnSeverity() throws {
        // act
        let finding = try #require(checker.finding(.insult, in: "Ce fils de pute de chauffeur n'a pas attendu les lycéens."))

        // check: "pute" inside "fils de pute" is not a second insult
        #expect(finding.excerpt == "« fils de pute »")
        #expect(finding.score == 80)
    }

    @Test func scoreFollowsSeverityAndGrowsWithEachDistinctTerm() throws {
        let mild = try #require(checker.finding(.insult, in: "Quel idiot, ce projet de parking."))
        let strong = try #require(checker.finding(.insult, in: "Quel connard, ce projet de parking."))
        let severe = try #require(checker.finding(.insult, in: "Quel enculé, ce projet de parking."))
        let several = try #require(checker.finding(.insult, in: "Quel connard, quel abruti, quel crétin."))
        #expect([mild.score, strong.score, severe.score] == [20, 60, 80])
        #expect(several.score == 70)
        #expect(several.reason == "Contient 3 termes injurieux (gravité 3/5).")
    }

    @Test func allowedWordIsToldApartFromTheInsultItLooksLike() {
        #expect(checker.finding(.insult, in: "Le cône est tombé sur la voie.") == nil)
        #expect(checker.finding(.insult, in: "La conne est tombée sur la voie.") != nil)
    }
}

@Suite struct HateSpeechAndThreatTests {
    @Test(arguments: [
        "Sale arabe, retourne chez toi.",
        "Mort aux juifs.",
        "Dehors les migrants de Calais !",
        "Retourne dans ton pays.",
        "Ces bougnoules n'ont rien à faire au lycée.",
        "Encore un pédé au conseil municipal.",
        "Une sale Noire m'a pris ma place dans le TER.",
    ])
    func hatefulExpressionsAreReported(text: String) throws {
        let finding = try #require(checker.finding(.hateSpeech, in: text))
        #expect(finding.score >= 80)
        #expect(finding.reason.hasPrefix("Contient une expression haineuse ou discriminatoire"))
    }

    @Test(arguments: [
        "Je vais te tuer si tu continues.",
        "On va t'égorger, toi et ta pétition.",
        "Je sais où tu habites, le maire.",
        "Je vais vous défoncer à la prochaine réunion.",
    ])
    func threatsAreReported(text: String) throws {
        let finding = try #require(checker.finding(.threat, in: text))
        #expect(finding.score >= 80)
        #expect(finding.reason.hasPrefix("Contient une menace"))
    }

    @Test func eachCategoryIsItsOwnFinding() {
        // act
        let rules = checker.rules(in: "Fils de pute, sale arabe, je vais te tuer.")

        // check
        #expect(rules == [.insult, .hateSpeech, .threat])
    }

    @Test(arguments: [
        "Les Arabes, les Juifs et les Noirs du quartier ont organisé la fête des voisins ensemble.",
        "Les migrants dorment dehors à Calais, il faut un accueil digne.",
        "Il faut tuer le projet d'autoroute, pas les oiseaux de la baie de Somme.",
        "Ma grand-mère est retournée dans son pays natal pour l'été.",
    ])
    func discussingGroupsOrViolenceIsNotHateSpeech(text: String) {
        #expect(checker.rules(in: text).isDisjoint(with: ContentFinding.Rule.lexiconRules), "\(checker.check(text))")
    }
}
