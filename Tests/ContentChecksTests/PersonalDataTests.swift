import ContentChecks
import Testing

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        "06 12 34 56 78", "06.12.34.56.78", "06-12-34-56-78", "0612345678", "06\u{A0}12\u{A0}34\u{A0}56\u{A0}78",
        "+33 6 12 34 56 78", "+33612345678", "+33 (0)6 12 34 56 78", "+33 06 12 34 56 78", "0033 6 12 34 56 78", "+33 612 345 678",
    ])
    func frenchMobileNumberIsFoundAndMasked(number: String) throws {
        // act
        let finding = try #require(checker.finding(.phone, in: "Pour le covoiturage vers le lycée de Beauvais, appelez-moi au \(number) le soir."))

        // check
        #expect(finding.excerpt == "06 •• •• •• 78")
        #expect(finding.reason == "Contient un numéro de téléphone (06 •• •• •• 78).")
        #expect(finding.score == 80)
    }

    @Test func landlineAndSeveralNumbersAreCountedOnce() throws {
        // setup: the same mobile twice in two spellings, and an Amiens landline
        let text = "Mon portable : 06 12 34 56 78 (ou +33 6 12 34 56 78), le fixe à Amiens : 03 22 97 12 34."

        // act
        let finding = try #require(checker.finding(.phone, in: text))

        // check
        #expect(finding.reason == "Contient 2 numéros de téléphone (06 •• •• •• 78, 03 •• •• •• 34).")
        #expect(finding.score == 85)
    }

    @Test(arguments: [
        "Le 02 03 2024 10 personnes sont venues à la réunion publique de Saint-Quentin.",
        "La rénovation du lycée coûtera 1 200 000 euros selon la Région.",
        "Le TER 847512 part d'Amiens à 06h12 et arrive à Lille à 07h35.",
        "Le numéro vert 0800 123 456 ne répond jamais.",
        "Mon numéro client SNCF est 061234567890, il a 12 chiffres.",
        "Le code postal 80000 et le numéro de ligne 12 ne sont pas des téléphones.",
    ])
    func numbersThatAreNotPhoneNumbersAreIgnored(text: String) {
        #expect(checker.finding(.phone, in: text) == nil)
    }
}

@Suite struct EmailTests {
    @Test func emailIsFoundAndMasked() throws {
        // act
        let finding = try #require(checker.finding(.email, in: "Écrivez-moi à jean.dupont@orange.fr pour le collectif des usagers de la ligne Amiens–Abbeville."))

        // check
        #expect(finding.excerpt == "jean.d…@…")
        #expect(finding.reason == "Contient une adresse e-mail (jean.d…@…).")
        #expect(finding.excerpt?.contains("orange") == false)
    }

    @Test(arguments: [
        ("marie.lefebvre (at) laposte.net", "marie.…@…"),
        ("marie.lefebvre[at]laposte[dot]net", "marie.…@…"),
        ("paul arobase wanadoo point fr", "pa…@…"),
        ("Camille_B-80@Free.FR.", "Camill…@…"),
    ])
    func hiddenAndUnusualSpellingsAreFound(address: String, masked: String) throws {
        let finding = try #require(checker.finding(.email, in: "Pour le conseil de quartier, contactez \(address) avant jeudi"))
        #expect(finding.excerpt == masked)
    }

    @Test(arguments: [
        "Rendez-vous @ la gare d'Amiens à 8 h pour la manifestation.",
        "Suivez @CeserHdf et le compte de la Région sur les réseaux.",
        "Le collectif se réunit au 3 place de l'Hôtel de Ville, salle A@B.",
    ])
    func atSignsThatAreNotAddressesAreIgnored(text: String) {
        #expect(checker.finding(.email, in: text) == nil)
    }
}

@Suite struct PostalAddressTests {
    @Test func addressWithPostcodeIsFoundAndMasked() throws {
        // act
        let finding = try #require(checker.finding(.postalAddress, in: "J'habite au 12 rue Victor Hugo, 80000 Amiens, juste à côté de l'arrêt de bus."))

        // check
        #expect(finding.excerpt == "•• rue V…, 80•••")
        #expect(finding.score == 70)
        #expect(finding.excerpt?.contains("12") == false)
        #expect(finding.excerpt?.contains("Hugo") == false)
    }

    @Test(arguments: [
        ("Ma mère vit au 3 bis, av. de la Paix à Lille depuis 1998.", "•• av. de la P…"),
        ("Le bruit des camions au 24 boulevard de la Liberté est insupportable.", "•• boulevard de la L…"),
        ("Nous habitons 5 place du Marché à Beauvais.", "•• place du M…"),
        ("Venez au 7 rue du 8 mai 1945 pour la réunion.", "•• rue du 8…"),
        ("chez moi c'est 14 impasse des lilas, il n'y a plus de bus", "•• impasse des l…"),
        ("au 2 chemin des prés, 60000 beauvais", "•• chemin des p…, 60•••"),
    ])
    func addressesAreFoundInTheirUsualForms(text: String, masked: String) throws {
        let finding = try #require(checker.finding(.postalAddress, in: text))
        #expect(finding.excerpt == masked)
    }

    @Test(arguments: [
        "Mon fils a 12 cours de maths par semaine au lycée de Compiègne.",
        "Il reste 3 places de parking devant la gare de Creil.",
        "Il faudrait 2 routes de contournement autour de Soissons.",
        "La ligne 2 du tram de Valenciennes est saturée.",
        "On a 2 chemins possibles pour rejoindre la gare à pied.",
        "En 2023, 40 rues de Lille ont été refaites.",
    ])
    func numbersFollowedByOrdinaryWordsAreNotAddresses(text: String) {
        #expect(checker.finding(.postalAddress, in: text) == nil)
    }
}

@Suite struct SocialSecurityNumberTests {
    @Test(arguments: [
        "1 85 05 78 006 084 91", "185057800608491", "1 85 05 78 006 084", "1 85 07 2A 006 084 67", "1 85 07 2b 006 084 94",
    ])
    func validNumbersAreFoundAndMasked(number: String) throws {
        // act
        let findings = checker.check("Pour le dossier de bourse du lycée, mon numéro de sécurité sociale est \(number), merci.")

        // check: reported once, masked, and not again as a phone number
        let finding = try #require(findings.first { $0.rule == .socialSecurityNumber })
        #expect(finding.excerpt?.hasPrefix("1 •• •• •• ••• •••") == true)
        #expect(finding.excerpt?.contains("85") == false)
        #expect(!findings.contains { $0.rule == .phone })
    }

    @Test func validKeyScoresHigherThanNoKey() throws {
        let withKey = try #require(checker.finding(.socialSecurityNumber, in: "Mon NIR : 2 69 02 59 350 052 23."))
        let withoutKey = try #require(checker.finding(.socialSecurityNumber, in: "Mon NIR : 2 69 02 59 350 052."))
        #expect(withKey.score == 95)
        #expect(withKey.excerpt == "2 •• •• •• ••• ••• ••")
        #expect(withoutKey.score == 85)
        #expect(withoutKey.excerpt == "2 •• •• •• ••• •••")
    }

    @Test(arguments: [
        "1 85 05 78 006 084 12",  // wrong key
        "1 85 07 2A 006 084 91",  // key of the mainland number, not of 2A
        "1 85 13 78 006 084",  // month 13
        "3 85 05 78 006 084 91",  // neither 1 nor 2
        "1 85 05 78 006 000",  // order 000
    ])
    func invalidNumbersAreNotReported(number: String) {
        #expect(checker.finding(.socialSecurityNumber, in: "Référence du dossier : \(number).") == nil)
    }
}

@Suite struct MaskingTests {
    @Test func noExcerptOrReasonRepeatsPersonalDataInFull() {
        // setup
        let text = """
            Bonjour, je suis Jean Dupont, 12 rue Victor Hugo 80000 Amiens, joignable au 06 12 34 56 78 \
            ou à jean.dupont@orange.fr ; sécu 1 85 05 78 006 084 91.
            """

        // act
        let findings = checker.check(text)

        // check
        #expect(Set(findings.map(\.rule)) == [.phone, .email, .postalAddress, .socialSecurityNumber])
        for finding in findings {
            for secret in ["12 34 56", "dupont@", "orange.fr", "Victor", "85 05 78", "006 084"] {
                #expect(!(finding.excerpt ?? "").contains(secret), "\(finding.rule) excerpt shows \(secret)")
                #expect(!finding.reason.contains(secret), "\(finding.rule) reason shows \(secret)")
            }
        }
    }
}
