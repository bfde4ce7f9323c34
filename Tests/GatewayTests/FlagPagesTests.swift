import DialogueContracts
import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import Messaging
import PostgresNIO
import ServiceKit
import TestSupport
import Testing

/// Flags through the site (issue 10, High 2): the flag form tells moderation who flags and
/// how many people signed; the moderator's item page shows who flagged and sanctions an
/// abuser. The gateway, the petitions service and the moderation worker run for real.
@Suite struct FlagPagesTests {
    /// An open petition published by a moderator, with one confirmed signature; returns it and its moderation item.
    private func openPetition(_ stack: GatewayStack, _ client: any TestClientProtocol, _ probe: Probe) async throws -> (petition: UUID, item: UUID) {
        let petition = try await stack.rpc.request(CreatePetition(
            title: "Rouvrir la gare de Feuquières", text: "Nous demandons la réouverture de la gare.",
            reasons: "Les habitants vont travailler à Amiens chaque jour."
        ))
        try await eventually("the petition's moderation item") {
            try await probe.int("SELECT count(*)::int8 FROM moderation.items WHERE content_id = \(petition.id)") == 1
        }
        let itemID = try #require(
            try await probe.texts("SELECT id::text FROM moderation.items WHERE content_id = \(petition.id)").first?.flatMap(UUID.init(uuidString:))
        )
        let item = try await stack.rpc.request(GetModerationItem(itemID: itemID), timeout: .seconds(30)).summary
        _ = try await stack.rpc.request(DecideModeration(
            items: [ModerationItemRevision(itemID: itemID, revision: item.revision)], status: .published, reasonCode: nil, comment: nil,
            moderatorID: UUID(), moderatorName: "Claire Moreau"
        ), timeout: .seconds(30))
        try await eventually("the petition opened") {
            try await probe.texts("SELECT status FROM petitions.petitions WHERE id = \(petition.id)") == ["open"]
        }
        try await client.signAndConfirm(petition.id, email: uniqueEmail("signataire"), probe: probe)
        try await eventually("the signature counted") { try await probe.signatureCount(petition.id) == 1 }
        return (petition.id, itemID)
    }

    /// Flags `petition` through the form, as `web`'s visitor or account.
    private func flag(_ web: WebSession, _ petition: UUID) async throws -> TestResponse {
        let form = "/signalement?type=petition&id=\(petition.uuidString.lowercased())"
        return try await web.submit(
            "/signalement", [("type", "petition"), ("id", petition.uuidString.lowercased()), ("motif", "autre"), ("precision", "À retirer.")],
            from: form
        )
    }

    @Test func theFlagFormSaysWhoFlagsAndNoneOfThemHidesThePetition() async throws {
        let stack = try await GatewayStack.make(withModerationWorker: true)
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: a visitor, an account made a moment ago and unconfirmed, and a confirmed one
            let (petition, itemID) = try await openPetition(stack, client, probe)
            let unconfirmed = try await stack.makeCitizen(confirmed: false)
            let confirmed = try await stack.makeCitizen()
            let visitor = WebSession(client)
            let throwaway = WebSession(client)
            throwaway.setCookie(throwaway.sessionCookieName, try await stack.openSession(for: unconfirmed))
            let young = WebSession(client)
            young.setCookie(young.sessionCookieName, try await stack.openSession(for: confirmed))

            // act
            let responses = [try await flag(visitor, petition), try await flag(throwaway, petition), try await flag(young, petition)]

            // check: each recorded, with who flagged and the petition's audience
            #expect(responses.map(\.status) == [.ok, .ok, .ok])
            #expect(responses.allSatisfy { $0.text.contains("votre signalement a été transmis") })
            let item = try await stack.rpc.request(GetModerationItem(itemID: itemID), timeout: .seconds(30))
            #expect(item.flags.map(\.reporterKind) == [.visitor, .unconfirmedAccount, .confirmedAccount])
            #expect(item.flags.map(\.accountID) == [nil, unconfirmed.id, confirmed.id])
            #expect(item.flags[0].reporterKey.hasPrefix("address:"))
            let created = try #require(item.flags[2].accountCreatedAt)
            #expect(abs(created.timeIntervalSinceNow) < 600)
            #expect(item.flagTally == ModerationFlagTally(counting: 0, required: 5, audience: 1))
            // the petition stays on the site and signable
            #expect(item.summary.visible)
            #expect(try await client.petition(petition).visible)
            try await client.signAndConfirm(petition, email: uniqueEmail("seconde"), probe: probe)
            try await eventually("the second signature counted") { try await probe.signatureCount(petition) == 2 }
        }
    }

    @Test func aModeratorSeesWhoFlaggedAndIgnoresAnAccountsFlags() async throws {
        let stack = try await GatewayStack.make(withModerationWorker: true)
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: a visitor and an unconfirmed account flag the petition; a moderator's browser
            let (petition, itemID) = try await openPetition(stack, client, probe)
            let unconfirmed = try await stack.makeCitizen(confirmed: false)
            let throwaway = WebSession(client)
            throwaway.setCookie(throwaway.sessionCookieName, try await stack.openSession(for: unconfirmed))
            _ = try await flag(WebSession(client), petition)
            _ = try await flag(throwaway, petition)
            let moderator = WebSession(client)
            moderator.setCookie(moderator.sessionCookieName, try await stack.openSession(for: try await stack.makeStaff([.moderator])))
            let path = "/admin/moderation/elements/\(itemID.uuidString.lowercased())"

            // act
            let page = try await moderator.get(path)

            // check: who flagged, and whether it counts
            #expect(page.status == .ok)
            #expect(page.text.contains("Signalé par : Visiteur sans compte."))
            #expect(page.text.contains("Signalé par : Compte non confirmé, créé le"))
            #expect(page.text.contains("(compte \(unconfirmed.id.uuidString.lowercased()))"))
            #expect(page.text.contains("0 signalement compte pour le masquage automatique sur 5 requis (public : 1 personne)."))
            #expect(page.text.contains("Ignorer les signalements de ce compte"))
            #expect(page.text.contains("Ignorer les signalements de ce signaleur"))

            // act: a sanction without a reason comes back with the error next to its field
            let key = "account:" + unconfirmed.id.uuidString.lowercased()
            let fields: [(String, String)] = [("element", itemID.uuidString.lowercased()), ("ligne", "1"), ("signaleur", key), ("sanction", "ignore")]
            let refused = try await moderator.submit("/admin/moderation/signaleurs/sanction", fields + [("raison-sanction", "")], from: path)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("id=\"sanction-1-error\""))
            #expect(refused.text.contains("Indiquez la raison de la sanction"))
            #expect(try await probe.int("SELECT count(*)::int8 FROM moderation.flag_sanctions") == 0)

            // act
            let ignored = try await moderator.submit(
                "/admin/moderation/signaleurs/sanction", fields + [("raison-sanction", "Compte créé pour signaler cette pétition.")], from: path
            )

            // check: ignored, in the page and in moderation's audit trail
            #expect(ignored.status == .seeOther)
            #expect(ignored.location == path + "?statut=signalements-ignores")
            let after = try await moderator.get(ignored.location ?? path)
            #expect(after.text.contains("Signaleur sanctionné : ce signalement est ignoré."))
            #expect(after.text.contains("Signalements ignorés — « Compte créé pour signaler cette pétition. »"))
            #expect(after.text.contains("Rétablir les signalements de ce compte"))
            #expect(try await probe.texts("SELECT reporter_key || '|' || action FROM moderation.flag_sanctions") == [key + "|ignore"])
        }
    }

    @Test func anAdministratorSetsTheFlagRulesOfAContentType() async throws {
        let stack = try await GatewayStack.make(withModerationWorker: true)
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, _ in
            // setup
            let administrator = WebSession(client)
            administrator.setCookie(administrator.sessionCookieName, try await stack.openSession(for: try await stack.makeStaff([.administrator])))
            let page = "/admin/moderation/reglages"
            let fields: [(String, String)] = [("type", "petition"), ("mode", "pre"), ("seuil", "60"), ("signalements", "8")]

            // act: an age past the limit, then a valid rule
            let refused = try await administrator.submit(
                "/admin/moderation/reglages/politiques", fields + [("anciennete", "5000"), ("public", "50")], from: page
            )
            let saved = try await administrator.submit(
                "/admin/moderation/reglages/politiques", fields + [("anciennete", "30"), ("public", "50")], from: page
            )

            // check: the refusal names the field; the rule is stored and shown
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("href=\"#anciennete-petition\""))
            #expect(refused.text.contains("ancienneté des comptes va de 0 à 3 650 jours"))
            #expect(saved.status == .seeOther)
            let policy = try await stack.rpc.request(GetModerationSettings(), timeout: .seconds(30)).policies.first { $0.contentType == .petition }
            #expect(policy == ModerationPolicy(
                contentType: .petition, mode: "pre", holdScore: 60, flagsToHold: 8, flagAccountMinimumDays: 30, audiencePerExtraFlag: 50
            ))
            let shown = try await administrator.get(page)
            #expect(shown.text.contains("id=\"anciennete-petition\" name=\"anciennete\" type=\"number\" min=\"0\" max=\"3650\" value=\"30\""))
        }
    }
}
