import DialogueContracts
import Testing

/// "One signature per person": how addresses are compared, and where a postcode lies.
@Suite struct EmailAddressTests {
    @Test(arguments: [
        ("Marie.Dupont@gmail.com", "mariedupont@gmail.com"),
        ("marie.dupont+petition@gmail.com", "mariedupont@gmail.com"),
        ("M.A.R.I.E.Dupont+a+b@GMAIL.COM", "mariedupont@gmail.com"),
        ("marie.dupont@googlemail.com", "mariedupont@gmail.com"),
        ("  Marie.Dupont@Gmail.com  ", "mariedupont@gmail.com"),
    ])
    func gmailIgnoresCaseDotsAndSuffixes(address: String, person: String) {
        #expect(EmailAddress.normalized(address) == person)
    }

    @Test(arguments: [
        // Orange does not deliver `jeanmartin@` to `jean.martin@`. A `+suffix` is one mailbox
        // on every domain (issue 10): a domain using `+` otherwise loses nothing.
        ("jean.martin@orange.fr", "jean.martin@orange.fr"),
        ("Jean.Martin@Orange.FR", "jean.martin@orange.fr"),
        ("jean.martin+petitions@orange.fr", "jean.martin@orange.fr"),
        // Unknown providers: the case and a `+suffix` are ignored, not dots.
        ("paul+petitions@example.org", "paul@example.org"),
        ("Paul@Example.org", "paul@example.org"),
        ("p.leroy@mairie-amiens.fr", "p.leroy@mairie-amiens.fr"),
    ])
    func otherProvidersKeepDotsAndSuffixes(address: String, person: String) {
        #expect(EmailAddress.normalized(address) == person)
    }

    @Test func providersIgnoringOnlySuffixesKeepDots() {
        #expect(EmailAddress.normalized("jean.martin+news@outlook.fr") == "jean.martin@outlook.fr")
        #expect(EmailAddress.normalized("Jean.Martin+x@Hotmail.com") == "jean.martin@hotmail.com")
        #expect(EmailAddress.normalized("jean.martin@outlook.fr") != EmailAddress.normalized("jeanmartin@outlook.fr"))
    }

    @Test func samePersonDifferentSpellingsAreOneAddress() {
        let spellings = ["Marie.Dupont@gmail.com", "mariedupont+petition@gmail.com", "MARIE.DUPONT@googlemail.com", "m.ariedupont@gmail.com"]
        #expect(Set(spellings.map(EmailAddress.normalized)).count == 1)
        let distinct = ["jean.martin@orange.fr", "jeanmartin@orange.fr", "paul.x@example.org", "paul@example.org"]
        #expect(Set(distinct.map(EmailAddress.normalized)).count == distinct.count)
    }

    @Test(arguments: [
        "a@b.fr",
        "marie.dupont+petition@gmail.com",
        "prenom.nom@sous-domaine.example.fr",
        "  espaces.autour@example.fr  ",
        "élodie@exemple.fr",
    ])
    func plausibleAddressesAreValid(address: String) {
        #expect(EmailAddress.isValid(address))
    }

    @Test(arguments: [
        "",
        "sans-arobase.fr",
        "a@b",
        "a@@b.fr",
        "a@b@c.fr",
        "@example.fr",
        "a@.fr",
        "a@example.",
        "a@exa..mple.fr",
        "a b@example.fr",
        "a@exa mple.fr",
        "a@exa_mple.fr",
        String(repeating: "x", count: 65) + "@example.fr",
        "a@" + String(repeating: "x", count: 250) + ".fr",
    ])
    func implausibleAddressesAreInvalid(address: String) {
        #expect(!EmailAddress.isValid(address))
    }
}

@Suite struct PostcodeTests {
    @Test(arguments: [("59000", "59"), ("02100", "02"), ("60200", "60"), ("62000", "62"), ("80000", "80")])
    func postcodesOfTheRegionGiveTheirDepartement(postcode: String, departement: String) {
        #expect(Region.departement(ofPostcode: postcode) == departement)
    }

    @Test(arguments: ["75001", "69003", "97400", "01000"])
    func postcodesOutsideTheRegionGiveNone(postcode: String) {
        #expect(Region.isValidPostcode(postcode))
        #expect(Region.departement(ofPostcode: postcode) == nil)
    }

    @Test(arguments: ["", "5900", "590000", "59 00", "5900A", "ABCDE", "５９０００", "٥٩٠٠٠", " 59000"])
    func invalidPostcodesGiveNone(postcode: String) {
        #expect(!Region.isValidPostcode(postcode))
        #expect(Region.departement(ofPostcode: postcode) == nil)
    }
}
