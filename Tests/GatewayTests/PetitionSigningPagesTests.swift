import DialogueContracts
import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// Signing on a petition's page, and the confirmation page that link scanners cannot trigger.
@Suite struct PetitionSigningPagesTests {
    private static func openPetition(_ stack: GatewayStack, _ client: any TestClientProtocol, _ probe: Probe) async throws -> (UUID, String) {
        let petition = try await client.createPetition(title: "Des trains plus tôt vers Lille")
        try await probe.openThroughModeration(petition.id, topology: stack.topology)
        return (petition.id, "/petitions/\(petition.id.uuidString.lowercased())")
    }

    @Test func aVisitorSignsConfirmsWithTheButtonAndTheLinkThenSaysSo() async throws {
        let stack = try await GatewayStack.make(threshold: 10)
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let (petition, path) = try await Self.openPetition(stack, client, probe)
            let visitor = WebSession(client.anonymous)
            let email = uniqueEmail("signataire")

            // the page offers the form
            let page = try await visitor.get(path)
            #expect(page.status == .ok)
            #expect(page.text.contains("action=\"\(path)/signer\""))
            #expect(page.text.contains("name=\"consent\""))

            // act: sign
            let signed = try await visitor.submit("\(path)/signer", [
                ("name", "Léa Fontaine"), ("email", email), ("postcode", "80000"), ("consent", "1"), ("wants_answer", "1"),
            ], from: path)
            #expect(signed.status == .ok)
            #expect(signed.text.contains("Vérifiez votre messagerie"))
            let token = try await probe.signatureToken(to: email)
            #expect(try await probe.int(
                "SELECT count(*)::int8 FROM petitions.signatures WHERE petition_id = \(petition) AND wants_answer AND NOT show_name AND confirmed_at IS NULL"
            ) == 1)
            // the mail holds the link to the page of the button
            try await eventually("the mail sent") { try TestEnvironment.mails(to: email).count == 1 }
            let mail = try #require(try TestEnvironment.mails(to: email).first)
            let text = try #require(decodedParts(of: mail).first)
            #expect(text.contains("Vous avez signé la pétition « Des trains plus tôt vers Lille »"))
            #expect(text.contains("/confirmer-signature?jeton=\(token)"))

            // a scanner opens the link: nothing is confirmed
            let scanned = try await WebSession(client.anonymous).get("/confirmer-signature?jeton=\(token)")
            #expect(scanned.status == .ok)
            #expect(scanned.hiddenField("jeton") == token)
            #expect(scanned.text.contains("Des trains plus tôt vers Lille"))
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.signatures WHERE confirmed_at IS NOT NULL") == 0)

            // the person presses the button
            let confirmed = try await visitor.submit("/confirmer-signature", [("jeton", token)], from: "/confirmer-signature?jeton=\(token)")
            #expect(confirmed.status == .ok)
            #expect(confirmed.text.contains("Signature confirmée"))
            try await eventually("counted") { try await probe.signatureCount(petition) == 1 }
            // not shown: she did not tick the box
            #expect(!(try await visitor.get(path).text.contains("Léa Fontaine")))

            // used again: it says so, without counting again
            try await eventually("the link marked used") {
                try await visitor.get("/confirmer-signature?jeton=\(token)").text.contains("Signature déjà confirmée")
            }
            let again = try await visitor.submit("/confirmer-signature", [("jeton", token)], from: path)
            #expect(again.text.contains("Signature déjà confirmée"))
            #expect(try await probe.signatureCount(petition) == 1)

            // made-up and expired links
            let unknown = try await visitor.get("/confirmer-signature?jeton=\(String(token.reversed()))")
            #expect(unknown.status == .notFound)
            #expect(unknown.text.contains("Lien invalide"))
            #expect(try await visitor.get("/confirmer-signature").status == .notFound)
            #expect(try await visitor.submit("/confirmer-signature", [("jeton", "<script>")], from: path).status == .notFound)
            let other = uniqueEmail("tardif")
            _ = try await client.sign(petition, email: other)
            let late = try await probe.signatureToken(to: other)
            try await probe.execute("UPDATE petitions.signatures SET confirmation_expires_at = now() - interval '1 minute' WHERE email = \(other)")
            let expired = try await visitor.submit("/confirmer-signature", [("jeton", late)], from: path)
            #expect(expired.status == .gone)
            #expect(expired.text.contains("Lien expiré"))
            #expect(try await probe.signatureCount(petition) == 1)
        }
    }

    @Test func aFormWithErrorsComesBackWithItsValuesAndNothingIsStored() async throws {
        let stack = try await GatewayStack.make(threshold: 10)
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let (petition, path) = try await Self.openPetition(stack, client, probe)
            let visitor = WebSession(client.anonymous)
            let refused = try await visitor.submit("\(path)/signer", [
                ("name", "Hugo Petit"), ("email", "hugo.exemple.fr"), ("postcode", "59 00"),
            ], from: path)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Le formulaire contient 3 erreurs"))
            #expect(refused.text.contains("href=\"#email\""))
            #expect(refused.text.contains("href=\"#postcode\""))
            #expect(refused.text.contains("href=\"#consent\""))
            #expect(refused.text.contains("value=\"Hugo Petit\""))
            #expect(refused.text.contains("value=\"hugo.exemple.fr\""))
            #expect(refused.text.contains("<title>Erreur"))
            // a closed petition, then an unknown one
            try await probe.execute("UPDATE petitions.petitions SET status = 'closed' WHERE id = \(petition)")
            let closed = try await visitor.submit("\(path)/signer", [
                ("name", "Hugo Petit"), ("email", "hugo@exemple.fr"), ("postcode", "59000"), ("consent", "1"),
            ])
            #expect(closed.status == .conflict)
            #expect(closed.text.contains("accepte plus de signatures"))
            let unknown = try await visitor.submit("/petitions/\(UUID().uuidString.lowercased())/signer", [
                ("name", "Hugo Petit"), ("email", "hugo@exemple.fr"), ("postcode", "59000"), ("consent", "1"),
            ])
            #expect(unknown.status == .notFound)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.signatures") == 0)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.inbox WHERE message_type = 'petition.sign'") == 0)
        }
    }

    @Test func aSignedInCitizenSignsInOneClickAndIsKindlyToldTheySigned() async throws {
        let stack = try await GatewayStack.make(threshold: 10)
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let (petition, path) = try await Self.openPetition(stack, client, probe)
            let citizen = try await stack.makeCitizen(displayName: "Camille Roux", postcode: "02100")
            let web = WebSession(client.anonymous)
            web.setCookie(web.sessionCookieName, try await stack.openSession(for: citizen))

            // the form is filled from the account, the address is the account's
            let page = try await web.get(path)
            #expect(page.text.contains("value=\"Camille Roux\""))
            #expect(page.text.contains("value=\"02100\""))
            #expect(page.text.contains(citizen.email))
            #expect(!page.text.contains("name=\"email\""))

            // act: one click
            let signed = try await web.submit("\(path)/signer", [
                ("name", "Camille Roux"), ("postcode", "02100"), ("consent", "1"), ("show_name", "1"), ("email", "quelqu.un@ailleurs.example"),
            ], from: path)
            #expect(signed.text.contains("Merci pour votre signature"))
            try await eventually("counted at once, without mail") { try await probe.signatureCount(petition) == 1 }
            #expect(try await probe.texts("SELECT email FROM petitions.signatures") == [citizen.email])
            #expect(try await probe.int(
                "SELECT count(*)::int8 FROM petitions.outbox WHERE message_type = 'petition.signature_confirmation_requested'"
            ) == 0)

            // the page now says so, and signing again says so too
            let after = try await web.get(path)
            #expect(after.text.contains("Vous avez signé cette pétition le"))
            // the name the citizen chose to show
            #expect(after.text.contains("<li>Camille Roux</li>"))
            #expect(!after.text.contains("action=\"\(path)/signer\""))
            let again = try await web.submit("\(path)/signer", [("name", "Camille Roux"), ("postcode", "02100"), ("consent", "1")], from: "/compte")
            #expect(again.text.contains("Vous avez déjà signé"))
            #expect(try await probe.signatureCount(petition) == 1)
        }
    }
}
