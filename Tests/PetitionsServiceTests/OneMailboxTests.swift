import DialogueContracts
import Foundation
import Messaging
import PetitionsService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// One mailbox is one person, however its address is spelt: `+tags` on every domain,
/// compatibility forms of the domain (full-width letters), and no look-alike letters of
/// another script.
@Suite struct OneMailboxTests {
    let topology = TestEnvironment.isolatedTopology()

    /// The petitions service on a fresh database, with the fraud controls staff use.
    private func withService(_ body: @Sendable (AMQPPublisher, Probe, FraudControls) async throws -> Void) async throws {
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        let platform = ServicePlatform.forTest(.petitions, database: database, topology: topology)
        let publisher = commandPublisher(topology)
        try await withRunningServices(petitionsProcess(platform, threshold: 1_000) + [publisher]) {
            try await waitUntilReady([platform], [{ publisher.isConnected }])
            try await Probe.on(database) { probe in
                try await body(publisher, probe, FraudControls(client: platform.database, logger: TestEnvironment.logger))
            }
        }
        await deleteQueues(of: topology, services: [.petitions])
    }

    @Test(arguments: [
        ("victim+1@example.org", "victim@example.org"),
        ("victim+2@example.org", "victim@example.org"),
        ("victim@ｅｘａｍｐｌｅ.org", "victim@example.org"),
        ("ＶＩＣＴＩＭ＋３@ＥＸＡＭＰＬＥ．ＯＲＧ", "victim@example.org"),
        ("victim@example\u{3002}org", "victim@example.org"),
        ("victim@exam\u{00AD}ple.org", "victim@example.org"),
        ("jean.martin+petitions@orange.fr", "jean.martin@orange.fr"),
        ("élodie+x@Exemple.fr", "élodie@exemple.fr"),
        ("victim@xn--mnchen-3ya.de", "victim@münchen.de"),
        ("victim@MÜNCHEN.de", "victim@münchen.de"),
        ("victim@XN--BCHER-KVA.example", "victim@bücher.example"),
    ])
    func spellingsOfOneMailboxAreOneAddress(address: String, mailbox: String) {
        #expect(EmailAddress.normalized(address) == mailbox)
    }

    @Test func theDomainIsComparedInItsCanonicalForm() {
        #expect(EmailAddress.domain(of: "victim@ｅｘａｍｐｌｅ.ORG") == "example.org")
        #expect(EmailAddress.isValid("victim@ｅｘａｍｐｌｅ.org"))
        #expect(EmailAddress.canonicalDomain("Mail.Example.org.") == "mail.example.org")
        // Not punycode: kept as written.
        #expect(EmailAddress.canonicalDomain("xn--!!.example") == "xn--!!.example")
        #expect(EmailAddress.canonicalDomain("xn--zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz.example") == "xn--zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz.example")
    }

    @Test(arguments: [
        "v\u{0456}ctim@example.org",  // Cyrillic і in a Latin local part
        "vісtim@example.org",  // Cyrillic і and с
        "victim@ex\u{0430}mple.org",  // Cyrillic а in a Latin domain label
        "victim@examp\u{03BF}le.org",  // Greek ο
        "p\u{0430}ypal@example.org",
        "victim@xn--exmple-4nf.org",  // punycode of ex\u{0430}mple, Cyrillic а
    ])
    func lookAlikesMixingScriptsAreRefused(address: String) {
        #expect(!EmailAddress.isValid(address))
    }

    @Test(arguments: ["иван@пример.рф", "иван@пример.com", "ελένη@example.gr", "marie@exemple.fr"])
    func addressesInOneScriptPerPartAreValid(address: String) {
        #expect(EmailAddress.isValid(address))
    }

    @Test func threeSpellingsOfOneMailboxSignOnce() async throws {
        try await withPetitionsService(topology: topology, threshold: 1_000) { publisher, probe in
            // setup
            let petition = try await probe.insertPetition(threshold: 1_000)

            // act
            for email in ["victim+1@example.org", "victim+2@example.org", "victim@ｅｘａｍｐｌｅ.org", "someone.else@example.org"] {
                try await publisher.publish(try signature(petition, email: email, topology: topology))
            }

            // check
            try await eventually("every message handled") { try await probe.int("SELECT count(*)::int8 FROM petitions.inbox") == 4 }
            #expect(try await probe.signatureCount(petition) == 2)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.signatures") == 2)
        }
    }

    @Test func aBlockedDomainBlocksItsSubdomains() async throws {
        try await withService { publisher, probe, fraud in
            // setup: example.org is blocked, written as staff may write it
            let petition = try await probe.insertPetition(threshold: 1_000)
            let blocked = try await fraud.block(AddToBlockList(kind: .domain, value: "ＥＸＡＭＰＬＥ.org", reason: "Robot", staffName: "Claire"))
            #expect(blocked.value == "example.org")

            // act
            for email in ["a@example.org", "b@mail.example.org", "c@deep.mail.EXAMPLE.org", "d@notexample.org", "e@example.org.fr"] {
                try await publisher.publish(try signature(petition, email: email, topology: topology))
            }

            // check: only the domain and its subdomains are refused, not names that merely end alike
            try await eventually("every message handled") { try await probe.int("SELECT count(*)::int8 FROM petitions.inbox") == 5 }
            #expect(try await probe.texts("SELECT email FROM petitions.signatures ORDER BY email") == ["d@notexample.org", "e@example.org.fr"])

            // any spelling of the domain unblocks it
            #expect(try await fraud.unblock(RemoveFromBlockList(kind: .domain, value: "Example.ORG")).removed)
            #expect(try await fraud.blockList().isEmpty)
        }
    }
}
