import DialogueContracts
import Foundation
import Gateway
import Identity
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// The fraud controls page: moderators and administrators preview, invalidate and block;
/// every action is audited; other staff are refused.
@Suite struct PetitionFraudPagesTests {
    @Test func aModeratorPreviewsInvalidatesAndBlocksAndEachActionIsAudited() async throws {
        let stack = try await GatewayStack.make(threshold: 3)
        var limits = GatewaySettings.RateLimits.generous
        limits.signatureBurst.limit = 10_000
        let settings = GatewaySettings.forSecurityTests(rateLimits: limits, trustedProxies: try #require(TrustedProxies(list: "127.0.0.1")))
        try await stack.run(settings: settings) { client, probe in
            let petition = try await client.createPetition(title: "Une piscine ouverte le dimanche à Lens")
            try await probe.openThroughModeration(petition.id, topology: stack.topology)
            let base = "/admin/petitions/\(petition.id.uuidString.lowercased())/fraude"
            // four signatures from one address (a campaign), one from elsewhere, all confirmed
            for (index, address) in ["198.51.100.7", "198.51.100.7", "198.51.100.7", "198.51.100.7", "203.0.113.9"].enumerated() {
                let email = "votant\(index)-\(UUID().uuidString.prefix(6))@exemple.fr"
                let signed = try await client.anonymous.execute(
                    uri: "/api/v1/petitions/\(petition.id.uuidString.lowercased())/signatures", method: .post,
                    headers: [.contentType: "application/json", .xForwardedFor: address],
                    body: ByteBuffer(string: #"{"name": "Votant", "email": "\#(email)", "postcode": "62300", "consent": true}"#)
                )
                #expect(signed.status == .accepted)
                #expect(try await client.confirmSignature(try await probe.signatureToken(to: email)).status == .accepted)
            }
            try await eventually("all counted") { try await probe.signatureCount(petition.id) == 5 }

            // staff without the moderator or administrator role are refused
            let staffWeb = WebSession(client.anonymous)
            staffWeb.setCookie(staffWeb.sessionCookieName, try await stack.openSession(for: try await stack.makeStaff([.staff])))
            #expect(try await staffWeb.get(base).status == .forbidden)

            let moderator = try await stack.makeStaff([.moderator])
            let web = WebSession(client.anonymous)
            web.setCookie(web.sessionCookieName, try await stack.openSession(for: moderator))
            let page = try await web.get(base)
            #expect(page.status == .ok)
            #expect(page.text.contains("<th scope=\"row\">198.51.100.7</th><td>4</td>"))

            // preview: says how many, changes nothing; bad criteria come back with a message
            let preview = try await web.get("\(base)/apercu?ip=198.51.100.7")
            #expect(preview.status == .ok)
            #expect(preview.text.contains("<strong>4 signatures</strong> seront invalidées, dont 4 comptées"))
            #expect(try await probe.signatureCount(petition.id) == 5)
            let refused = try await web.get("\(base)/apercu?ip=300.0.0.1")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("L&#39;adresse IP doit s&#39;écrire") || refused.text.contains("L&#x27;adresse IP"))
            #expect(try await web.get("\(base)/apercu").status == .unprocessableContent)
            let badDate = try await web.get("\(base)/apercu?du=2026-02-31T10:00")
            #expect(badDate.status == .unprocessableContent)

            // a missing reason keeps the preview; then the invalidation does what it said
            let noReason = try await web.submit("\(base)/invalidation", [("ip", "198.51.100.7"), ("raison", "")], from: base)
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.text.contains("<strong>4 signatures</strong>"))
            #expect(try await probe.signatureCount(petition.id) == 5)
            let done = try await web.submit("\(base)/invalidation", [("ip", "198.51.100.7"), ("raison", "Robot : quatre signatures en une seconde")], from: base)
            #expect(done.status == .seeOther)
            #expect(try await probe.signatureCount(petition.id) == 1)
            #expect(try await probe.texts("SELECT status FROM petitions.petitions WHERE id = \(petition.id)") == ["threshold_reached"])
            let after = try await web.get(done.location ?? base)
            #expect(after.text.contains("Robot : quatre signatures en une seconde"))

            // the block list
            let blocked = try await web.submit("\(base)/blocage", [("type", "ip"), ("valeur", "198.51.100.0/24"), ("motif", "Réseau du robot")], from: base)
            #expect(blocked.status == .seeOther)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.block_list WHERE value = '198.51.100.0/24'") == 1)
            let badBlock = try await web.submit("\(base)/blocage", [("type", "ip"), ("valeur", "pas une adresse"), ("motif", "Réseau du robot")], from: base)
            #expect(badBlock.status == .unprocessableContent)
            #expect(badBlock.text.contains("value=\"pas une adresse\""))
            let unblocked = try await web.submit("\(base)/deblocage", [("type", "ip"), ("valeur", "198.51.100.0/24")], from: base)
            #expect(unblocked.status == .seeOther)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.block_list") == 0)

            // recorded by the petitions service, copied into the gateway's log
            try await eventually("the three actions in the audit log") {
                try await probe.texts(
                    "SELECT action FROM identity.audit_log WHERE actor_account_id = \(moderator.id) AND action LIKE 'petition.%' ORDER BY id"
                ) == ["petition.signatures_invalidated", "petition.block_list_added", "petition.block_list_removed"]
            }
        }
    }

    @Test func heldSignaturesAreListedBySourceThenReleasedOrInvalidatedInBulkAndAudited() async throws {
        let stack = try await GatewayStack.make(threshold: 3)
        var limits = GatewaySettings.RateLimits.generous
        limits.signatureBurst.limit = 1
        let settings = GatewaySettings.forSecurityTests(rateLimits: limits, trustedProxies: try #require(TrustedProxies(list: "127.0.0.1")))
        try await stack.run(settings: settings) { client, probe in
            let petition = try await client.createPetition(title: "Une navette pour le campus de Villeneuve-d'Ascq")
            try await probe.openThroughModeration(petition.id, topology: stack.topology)
            let path = "/petitions/\(petition.id.uuidString.lowercased())"
            let base = "/admin/petitions/\(petition.id.uuidString.lowercased())/fraude"

            // setup: three students sign on the page from the campus's one address, two from a script elsewhere
            var pages: [String] = []
            for index in 0..<3 {
                let visitor = WebSession(client.anonymous)
                let token = try await visitor.csrfToken(from: path)
                let email = "etudiant\(index)-\(UUID().uuidString.prefix(6))@univ.example"
                let signed = try await visitor.post("\(path)/signer", fields: [
                    ("_csrf", token), ("name", "Étudiant \(index)"), ("email", email), ("postcode", "59650"), ("consent", "1"),
                ], headers: [.userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", .xForwardedFor: "198.51.100.7"])
                #expect(signed.status == .ok)
                // what differs between visitors anyway: their address and their form token
                pages.append(signed.text.replacingOccurrences(of: email, with: "…")
                    .replacingOccurrences(of: #"name="_csrf" value="[^"]*""#, with: "", options: .regularExpression))
                #expect(signed.text.contains("Vérifiez votre messagerie"))
                #expect(try await client.confirmSignature(try await probe.signatureToken(to: email)).status == .accepted)
            }
            for index in 0..<2 {
                let email = "robot\(index)-\(UUID().uuidString.prefix(6))@jetable.example"
                let signed = try await client.anonymous.execute(
                    uri: "/api/v1/petitions/\(petition.id.uuidString.lowercased())/signatures", method: .post,
                    headers: [.contentType: "application/json", .xForwardedFor: "203.0.113.9"],
                    body: ByteBuffer(string: #"{"name": "Robot", "email": "\#(email)", "postcode": "62300", "consent": true}"#)
                )
                #expect(signed.status == .accepted)
                #expect(try await client.confirmSignature(try await probe.signatureToken(to: email)).status == .accepted)
            }
            try await eventually("the unheld counted") { try await probe.signatureCount(petition.id) == 2 }
            try await eventually("the held ones' addresses confirmed") {
                try await probe.int("SELECT count(held_confirmed_at)::int8 FROM petitions.signatures") == 3
            }
            // the held students were answered word for word as the first one
            #expect(pages[1] == pages[0])
            #expect(pages[2] == pages[0])

            let moderator = try await stack.makeStaff([.moderator])
            let web = WebSession(client.anonymous)
            web.setCookie(web.sessionCookieName, try await stack.openSession(for: moderator))
            let page = try await web.get(base)
            #expect(page.status == .ok)
            #expect(page.text.contains("<dt>Retenues pour examen</dt><dd>3</dd>"))
            #expect(page.text.contains("<th scope=\"row\">198.51.100.0/24</th><td>Navigateur (formulaire du site)</td><td>2</td><td>2</td>"))
            #expect(page.text.contains("<th scope=\"row\">203.0.113.0/24</th><td>Application (API)</td><td>1</td><td>1</td>"))

            // an invalidation without a reason comes back with the message next to that row's field
            let campus = [("reseau", "198.51.100.0/24"), ("agent", "browser")]
            let noReason = try await web.submit("\(base)/retenues", campus + [("decision", "invalidate"), ("raison", "")], from: base)
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.text.contains("id=\"retenue-198-51-100-0-24-browser-error\""))
            #expect(noReason.text.contains("href=\"#retenue-198-51-100-0-24-browser\""))
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.held_reviews") == 0)

            // act: the campus released, the script invalidated
            let released = try await web.submit("\(base)/retenues", campus + [("decision", "release"), ("raison", "Campus : même adresse")], from: base)
            #expect(released.status == .seeOther)
            #expect(try await probe.signatureCount(petition.id) == 4)
            #expect(try await probe.texts("SELECT status FROM petitions.petitions WHERE id = \(petition.id)") == ["threshold_reached"])
            let invalidated = try await web.submit(
                "\(base)/retenues", [("reseau", "203.0.113.0/24"), ("agent", "api"), ("decision", "invalidate"), ("raison", "Script : adresses jetables")],
                from: base
            )
            #expect(invalidated.status == .seeOther)
            // pressed twice: nothing left to release, said so, nothing recorded
            let again = try await web.submit("\(base)/retenues", campus + [("decision", "release"), ("raison", "")], from: base)
            #expect(again.status == .seeOther)
            #expect(try await web.get(again.location ?? base).text.contains("Plus aucune signature n"))
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.held_reviews") == 2)

            // check: counted once, the rest invalidated, nothing held; both decisions listed and audited
            #expect(try await probe.signatureCount(petition.id) == 4)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.signatures WHERE held_at IS NOT NULL AND invalidated_at IS NULL") == 0)
            let after = try await web.get(invalidated.location ?? base)
            #expect(after.text.contains("Aucune signature retenue."))
            #expect(after.text.contains("Script : adresses jetables"))
            // recorded by the petitions service in the decision's transaction, copied into the gateway's log
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.staff_audit WHERE action LIKE 'petition.held_signatures_%'") == 2)
            try await eventually("both decisions in the audit log") {
                try await probe.texts(
                    """
                    SELECT action || ' ' || (details ->> 'network') || ' ' || (details ->> 'signatures') FROM identity.audit_log
                    WHERE actor_account_id = \(moderator.id) ORDER BY id
                    """
                ) == ["petition.held_signatures_released 198.51.100.0/24 2", "petition.held_signatures_invalidated 203.0.113.0/24 1"]
            }
        }
    }
}
