import Foundation
import Gateway
import Identity
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// Refusals that `AccountStore` throws inside a transaction (`AccountError`) reach the pages
/// as themselves (not wrapped in PostgresNIO's `PostgresTransactionError`), so people get the
/// page that explains the refusal, never the 500 page; and what is refused stays refused.
@Suite struct TransactionErrorTests {
    @Test func aUsedConfirmationLinkGetsTheInvalidLinkPage() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: a link used once
            let citizen = try await stack.makeCitizen(confirmed: false)
            let token = try #require(try await probe.mailedToken(AccountTokenTests.confirmation, to: citizen.id))
            let web = WebSession(client)
            #expect(try await web.submit("/confirmation", [("jeton", token)], from: "/connexion").status == .ok)

            // act
            let again = try await web.submit("/confirmation", [("jeton", token)], from: "/connexion")

            // check
            #expect(again.status.code >= 400)
            #expect(again.status == .gone)
            #expect(again.text.contains(AccountTokenTests.invalidLink))
        }
    }

    @Test func creatingStaffWithATakenAddressShowsTheFormAgain() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup
            let administrator = try await stack.makeStaff([.administrator])
            let citizen = try await stack.makeCitizen()
            let web = WebSession(client)
            try await web.signIn(administrator.email, administrator.password)

            // act
            let response = try await web.submit(
                "/admin/utilisateurs", [("email", citizen.email), ("roles", "moderator")], from: "/admin/utilisateurs/nouveau"
            )

            // check: the citizen did not become staff
            #expect(response.status.code >= 400)
            #expect(try await probe.texts("SELECT array_to_string(roles, ',') FROM identity.accounts WHERE id = \(citizen.id)") == [""])
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("Un compte existe déjà avec cette adresse"))
        }
    }

    @Test func changingAnUnknownAccountIsNotFound() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup
            let administrator = try await stack.makeStaff([.administrator])
            let web = WebSession(client)
            try await web.signIn(administrator.email, administrator.password)
            let unknown = UUID().uuidString.lowercased()
            let entries = try await probe.int("SELECT count(*)::int8 FROM identity.audit_log")

            // act
            let roles = try await web.submit("/admin/utilisateurs/\(unknown)/roles", [("roles", "analyst")], from: "/admin")
            let status = try await web.submit("/admin/utilisateurs/\(unknown)/statut", [("action", "desactiver")], from: "/admin")

            // check
            #expect(try await web.get("/admin/utilisateurs/\(unknown)").status == .notFound)
            #expect(roles.status.code >= 400)
            #expect(status.status.code >= 400)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.audit_log") == entries)
            #expect(roles.status == .notFound)
            #expect(status.status == .notFound)
        }
    }
}
