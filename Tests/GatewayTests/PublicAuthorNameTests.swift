import DialogueContracts
import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import PostgresNIO
import TestSupport
import Testing

/// The public never reads a citizen's address: an author without a display name is named
/// neutrally, not by the part of their address before `@`.
@Suite struct PublicAuthorNameTests {
    @Test func anAuthorWithoutDisplayNameIsNotNamedByTheirAddress() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: two confirmed citizens, one without a display name
            let local = "jeanne.secrete-\(UUID().uuidString.prefix(6).lowercased())"
            let nameless = try await stack.makeCitizen(email: "\(local)@exemple.fr")
            let named = try await stack.makeCitizen(displayName: "Jeanne D.")

            // act: each previews and deposits a petition through the site, moderation publishes both
            var pages: [(UUID, String)] = []
            for (author, title) in [(nameless, "Des bancs dans le parc de Lens"), (named, "Un préau pour l'école de Liévin")] {
                let browser = WebSession(client)
                try await browser.signIn(author.email, author.password)
                let preview = try await browser.submit(
                    "/petitions/nouvelle", PetitionDepositTests.draftFields(title: title, action: "apercu"), from: "/petitions/nouvelle"
                )
                #expect(preview.status == .ok)
                #expect(!preview.text.contains(local))
                let deposit = try await browser.submit(
                    "/petitions/nouvelle", PetitionDepositTests.draftFields(title: title, action: "deposer"), from: "/petitions/nouvelle"
                )
                #expect(deposit.status == .seeOther)
                let id = try #require(try await probe.texts("SELECT id::text FROM petitions.petitions WHERE title = \(title)").first?.flatMap(UUID.init(uuidString:)))
                try await probe.openThroughModeration(id, topology: stack.topology)
                let page = try await client.get(SitePath.petition(id).path)
                #expect(page.status == .ok)
                pages.append((id, page.text))
            }

            // check: no trace of the address, stored or shown; a chosen name is shown
            #expect(try await probe.texts("SELECT author_name FROM petitions.petitions WHERE id = \(pages[0].0)") == [nil])
            #expect(!pages[0].1.contains(local))
            #expect(pages[0].1.contains("Participant anonyme"))
            #expect(pages[1].1.contains("Jeanne D."))
        }
    }
}
