import DialogueContracts
import Testing

/// The part before `@` is a dot-atom (RFC 5321, with RFC 6531's letters of any script):
/// nothing that could close a header, split a recipient list or reorder text on screen.
@Suite struct LocalPartTests {
    @Test(arguments: [
        "a>,<victim@evil.example",
        "a<b@example.org",
        "a,b@example.org",
        "a;b@example.org",
        "a:b@example.org",
        "a(b)@example.org",
        "a[b]@example.org",
        "a\\b@example.org",
        "\"a b\"@example.org",
        "\"a\"@example.org",
        ".victim@example.org",
        "victim.@example.org",
        "vic..tim@example.org",
        "victim\u{202E}gro.elpmaxe@example.org",  // right-to-left override
        "vic\u{2066}tim@example.org",  // bidi isolate
        "vic\u{200B}tim@example.org",  // zero-width space
        "vic\u{0007}tim@example.org",
        "vic\u{0000}tim@example.org",
        "vic\u{007F}tim@example.org",
        "a\u{FF1C}b@example.org",  // full-width <
        "victim@exam\u{202E}ple.org",
        "victim@exam\u{00AD}ple.org",  // soft hyphen: invisible
        "vic☺tim@example.org",
    ])
    func localPartsOutsideTheDotAtomAreRefused(address: String) {
        #expect(!EmailAddress.isValid(address))
    }

    @Test(arguments: [
        "o'brien@example.org",
        "a!#$%&'*+-/=?^_`{|}~@example.org",
        "prenom.nom@example.org",
        "élodie@exemple.fr",
        "zoë.brontë@exemple.fr",
        "marie.dupont+petition@gmail.com",
        "иван@пример.рф",
        "ｖｉｃｔｉｍ@example.org",
    ])
    func dotAtomsAreValid(address: String) {
        #expect(EmailAddress.isValid(address))
    }
}
