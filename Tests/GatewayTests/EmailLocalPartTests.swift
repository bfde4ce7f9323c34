import DialogueContracts
import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import TestSupport
import Testing

/// Addresses that are not dot-atoms are refused where people type them, before any mail.
@Suite struct EmailLocalPartTests {
    @Test func signingAndRegisteringRefuseAddressesOutsideTheDotAtom() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run { client, probe in
            // setup
            let petition = try await client.createPetition()
            try await probe.openThroughModeration(petition.id, topology: stack.topology)
            let addresses = ["a>,<victim@evil.example", "victim\u{202E}gro.elpmaxe@example.org", "\"a b\"@example.org"]

            for address in addresses {
                // act
                let signed = try await client.sign(petition.id, email: address)
                let web = WebSession(client.anonymous)
                let registered = try await web.submit(
                    "/inscription",
                    [("email", address), ("password", testPassword), ("password_confirmation", testPassword), ("terms", "1")],
                    from: "/inscription"
                )

                // check
                #expect(signed.status == .badRequest, "\(address)")
                #expect(signed.apiError?.field == "email", "\(address)")
                #expect(registered.status == .unprocessableContent, "\(address)")
            }
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.signatures") == 0)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.accounts WHERE roles = '{}'") == 0)
        }
    }
}
