import ContentChecks
import Testing

@Suite struct LinkSpamTests {
    @Test func shortenedAndRepeatedLinksAreSpam() throws {
        // setup
        let text = "Signez vite ! http://bit.ly/velo80 http://bit.ly/velo80 et www.promo-velo-electrique.com/offre"

        // act
        let finding = try #require(checker.finding(.linkSpam, in: text))

        // check
        #expect(finding.score == 100)
        #expect(finding.reason.hasPrefix("Contient 3 liens ("))
        #expect(finding.reason.contains("dont 2 liens raccourcis (bit.ly)"))
        #expect(finding.reason.contains("1 lien répété"))
        #expect(finding.excerpt == "bit.ly, promo-velo-electrique.com")
    }

    @Test func manyBareDomainsAreCountedAsLinks() throws {
        // setup: no http, no www
        let text = "Les meilleurs prix sont sur velos-pas-chers.xyz, trottinettes-promo.com, bonsplans-hdf.net et cadeaux-gratuits.shop."

        // act
        let finding = try #require(checker.finding(.linkSpam, in: text))

        // check
        #expect(finding.reason.hasPrefix("Contient 4 liens"))
        #expect(finding.score >= 50)
    }

    @Test func messageThatIsMostlyALinkIsSuspect() throws {
        let finding = try #require(checker.finding(.linkSpam, in: "À voir : https://www.exemple-boutique.com/promo/velo-electrique-pas-cher-livraison-gratuite"))
        #expect(finding.score == 40)
        #expect(finding.reason.contains("du texte)"))
    }

    @Test func oneSourceInARealMessageIsNotSpam() {
        // setup
        let text = """
            Je soutiens la réouverture de la gare de Corbie. Les chiffres de fréquentation publiés par la presse \
            (https://www.courrier-picard.fr/id412345/article/2024-03-12/la-gare-de-corbie) montrent que les \
            habitants prendraient le train pour aller travailler à Amiens si les horaires étaient adaptés.
            """

        // act / check
        #expect(checker.finding(.linkSpam, in: text) == nil)
    }

    @Test func linksToPublicBodiesAreSources() {
        // setup: three links, all official
        let text = """
            Voir https://www.hautsdefrance.fr/transports, https://www.legifrance.gouv.fr/loda/id/JORFTEXT000000886460 \
            et https://www.service-public.fr/particuliers/vosdroits/F2345.
            """

        // act / check
        #expect(checker.finding(.linkSpam, in: text) == nil)
        #expect(ContentChecker(trustedDomains: []).finding(.linkSpam, in: text) != nil)
    }

    @Test(arguments: [
        "M.Dupont a dit que le T.E.R. arrive à 8h.30, etc. (cf. p.12).",
        "Le tarif passe de 2.50 à 3.10 euros au 1.1.2025.",
        "J'ai vécu aux U.S. puis à Lille.Sud, rue Solférino.",
    ])
    func abbreviationsAndNumbersAreNotLinks(text: String) {
        #expect(checker.finding(.linkSpam, in: text) == nil)
    }
}

@Suite struct ShoutingTests {
    @Test func textInCapitalsIsShouting() throws {
        // act
        let finding = try #require(checker.finding(.shouting, in: "LA SNCF SE MOQUE DE NOUS, LES TER SONT TOUJOURS EN RETARD ENTRE AMIENS ET LILLE"))

        // check
        #expect(finding.score == 60)
        #expect(finding.reason == "Texte écrit en majuscules à 100 %.")
    }

    @Test func halfShoutedTextScoresLower() throws {
        // act
        let finding = try #require(
            checker.finding(.shouting, in: "Le TER de 7 h 12 était encore supprimé ce matin à Creil. C'EST TOUS LES JOURS PAREIL, ON EN A ASSEZ"))

        // check
        #expect(finding.score > 20 && finding.score < 60)
    }

    @Test(arguments: [
        "Le CESER et la SNCF doivent améliorer les TER entre Beauvais et Paris, comme le demande la FNAUT.",
        "MERCI À TOUS !",
        "Le PLU de la MEL prévoit une ZAC près de l'A1 : la DREAL et l'ADEME ont rendu leurs avis.",
        "Bravo pour ce projet, c'est SCANDALEUX qu'il ait fallu attendre si longtemps à Amiens.",
    ])
    func acronymsShortTextsAndOneStressedWordAreNotShouting(text: String) {
        #expect(checker.finding(.shouting, in: text) == nil)
    }

    @Test(arguments: [
        ("Le bus 12 ne passe plus !!!! Inadmissible.", "!!!!", 1, 20),
        ("Pourquoi ??? Et jusqu'à quand ???", "???", 2, 30),
        ("Vraiment ?!?!?! Trois mois de travaux !!!", "?!?!?!", 2, 30),
    ])
    func repeatedPunctuationIsReported(text: String, longest: String, runs: Int, score: Int) throws {
        let finding = try #require(checker.finding(.excessivePunctuation, in: text))
        #expect(finding.excerpt == longest)
        #expect(finding.score == score)
        #expect(finding.reason.contains(runs == 1 ? "1 suite comme" : "\(runs) suites comme"))
    }

    @Test(arguments: ["Enfin une bonne nouvelle pour la ligne Amiens–Rouen !!!", "Vraiment ? Oui ! Et alors ?!"])
    func ordinaryPunctuationIsNotReported(text: String) {
        #expect(checker.finding(.excessivePunctuation, in: text) == nil)
    }
}
