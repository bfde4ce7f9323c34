import DialogueContracts
import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// A person's rights over their data: download it, erase it.
@Suite struct PersonalDataTests {
    @Test func theDownloadIsAJSONAttachmentOfThePersonsData() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, _ in
            // setup
            let citizen = try await stack.makeCitizen(displayName: "Camille M.", postcode: "59000", commune: "Lille")
            let web = WebSession(client)
            try await web.signIn(citizen.email, citizen.password)

            // act
            let response = try await web.get("/compte/donnees")

            // check
            #expect(response.status == .ok)
            #expect(response.isJSON)
            let disposition = try #require(response.header("Content-Disposition"))
            #expect(disposition.hasPrefix("attachment"))
            #expect(disposition.contains("filename="))
            #expect(response.headers[.cacheControl] == "no-store")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
            let profile = try #require(json["compte"] as? [String: Any])
            #expect(profile["adresseElectronique"] as? String == citizen.email)
            #expect(profile["identifiant"] as? String == citizen.id.uuidString.lowercased())
            #expect(profile["nomAffiche"] as? String == "Camille M.")
            #expect(profile["codePostal"] as? String == "59000")
            #expect(profile["commune"] as? String == "Lille")
            #expect((json["sessions"] as? [Any])?.count == 1)
            #expect(json["exporteLe"] != nil)
            // Never the password's hash.
            #expect(!response.text.contains("$2"))
            #expect(!response.text.lowercased().contains("password"))

            // Someone else, signed in or not, gets their own data or none.
            let other = try await stack.makeCitizen()
            let otherWeb = WebSession(client)
            try await otherWeb.signIn(other.email, other.password)
            let theirs = try await otherWeb.get("/compte/donnees")
            #expect(theirs.text.contains(other.email))
            #expect(!theirs.text.contains(citizen.email))
            let anonymous = try await client.get("/compte/donnees")
            #expect(anonymous.redirectsToSignIn)
            #expect(!anonymous.text.contains(citizen.email))
        }
    }

    @Test func deletionWithAWrongPasswordErasesNothing() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup
            let citizen = try await stack.makeCitizen(displayName: "Camille M.")
            let web = WebSession(client)
            try await web.signIn(citizen.email, citizen.password)

            // act
            let response = try await web.submit("/compte/suppression", [("password", "pas le bon mot de passe")], from: "/compte/suppression")

            // check
            #expect(response.status == .unprocessableContent)
            #expect(response.isHTML)
            #expect(response.text.contains("le compte n&#39;a pas été supprimé"))
            #expect(try await probe.int(
                "SELECT count(*)::int8 FROM identity.accounts WHERE id = \(citizen.id) AND email = \(citizen.email) AND erased_at IS NULL AND display_name = 'Camille M.'"
            ) == 1)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.sessions WHERE account_id = \(citizen.id)") == 1)
            #expect(try await probe.identityOutbox(AccountErased.messageType).isEmpty)
            #expect(try await web.get("/compte").status == .ok)
        }
    }

    @Test func deletionWithThePasswordErasesThePersonsData() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: an address the provider reads without its dots and `+suffix`, signed in on two devices
            let local = "camille.martin.\(UUID().uuidString.prefix(6).lowercased())"
            let email = "\(local.capitalized)+dialogue@Gmail.com"
            let citizen = try await stack.makeCitizen(email: email, displayName: "Camille M.", postcode: "59000", commune: "Lille")
            let web = WebSession(client)
            try await web.signIn(citizen.email, citizen.password)
            let phone = WebSession(client)
            try await phone.signIn(citizen.email, citizen.password)
            let token = try #require(web.sessionToken)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.sessions WHERE account_id = \(citizen.id)") == 2)

            // act
            let response = try await web.submit("/compte/suppression", [("password", citizen.password)], from: "/compte/suppression")

            // check: signed out, sent home
            #expect(response.status == .seeOther)
            #expect(response.location == "/?statut=compte-supprime")
            #expect(response.setCookie(named: web.sessionCookieName)?.removesCookie == true)
            // the row stays, without personal data
            #expect(try await probe.int(
                """
                SELECT count(*)::int8 FROM identity.accounts WHERE id = \(citizen.id) AND erased_at IS NOT NULL
                AND email IS NULL AND email_normalized IS NULL AND password_hash IS NULL AND display_name IS NULL
                AND postcode IS NULL AND commune IS NULL AND departement IS NULL AND cardinality(roles) = 0
                """
            ) == 1)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.sessions WHERE account_id = \(citizen.id)") == 0)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.account_tokens WHERE account_id = \(citizen.id)") == 0)
            // the other services are told, with the address as they keyed it
            let events = try await probe.identityOutbox(AccountErased.messageType)
            #expect(events.count == 1)
            let event = try MessageCoding.decode(AccountErased.self, from: Array(try #require(events.first).utf8))
            #expect(event.accountID == citizen.id)
            #expect(event.normalizedEmails == [EmailAddress.normalized(email)])
            #expect(event.normalizedEmails == ["\(local.replacingOccurrences(of: ".", with: ""))@gmail.com"])
            // no device is signed in any more, and the old password opens nothing
            #expect(try await phone.get("/compte").redirectsToSignIn)
            let replay = WebSession(client)
            replay.setCookie(replay.sessionCookieName, token)
            #expect(try await replay.get("/compte/donnees").redirectsToSignIn)
            #expect(try await WebSession(client).signIn(email, citizen.password).status == .unprocessableContent)
            // the address is free again
            let again = try await WebSession(client).submit("/inscription", [
                ("email", email), ("password", testPassword), ("password_confirmation", testPassword), ("terms", "1"),
            ], from: "/inscription")
            #expect(again.status == .seeOther)
            #expect(try await probe.int("SELECT count(*)::int8 FROM identity.accounts WHERE email = \(email) AND erased_at IS NULL") == 1)
        }
    }
}
