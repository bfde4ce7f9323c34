import DialogueContracts
import Foundation
import Gateway
import Identity
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Citizens deposit petitions: the form, its preview with similar petitions, the deposit into
/// moderation, "Mes pétitions", and the same through the API, with the real services.
@Suite struct PetitionDepositTests {
    static let reasons = "Les bâtiments datent des années 1970 et sont mal isolés.\nLes élèves ont froid l'hiver."

    /// A full draft as the form posts it, then `action`.
    static func draftFields(
        title: String = "Rénover les lycées de la Somme", text: String = "Nous demandons un plan de rénovation des lycées.",
        reasons: String = PetitionDepositTests.reasons, theme: String = "education-formation-jeunesse", action: String
    ) -> [(String, String)] {
        [("title", title), ("text", text), ("reasons", reasons), ("theme", theme), ("action", action)]
    }

    /// A browser signed in as a new citizen.
    static func citizenBrowser(_ stack: GatewayStack, _ client: any TestClientProtocol, confirmed: Bool = true) async throws -> (WebSession, TestAccount) {
        let citizen = try await stack.makeCitizen(displayName: "Jeanne Dubois", confirmed: confirmed)
        let web = WebSession(client)
        web.setCookie(web.sessionCookieName, try await stack.openSession(for: citizen))
        return (web, citizen)
    }

    static func petitionCount(_ probe: Probe) async throws -> Int {
        try await probe.int("SELECT count(*)::int8 FROM petitions.petitions")
    }

    // MARK: Pages

    @Test func aCitizenPreviewsThenDepositsAPetitionThatWaitsForModeration() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), catalog: RouteCatalog()) { client, probe in
            // setup: a published petition on the same subject, one still in moderation, an unrelated one
            let similar = try await stack.publishedPetition("Un lycée neuf à Abbeville", probe: probe)
            let unrelated = try await stack.publishedPetition("Des bus le dimanche à Lens", probe: probe)
            let waiting = try await stack.rpc.request(CreatePetition(
                title: "Les lycées de l'Aisne", text: "Nous demandons des lycées rénovés.", reasons: Self.reasons
            ))
            let (web, citizen) = try await Self.citizenBrowser(stack, client)
            let form = try await web.get("/petitions/nouvelle")
            #expect(form.status == .ok)
            #expect(form.text.contains("<h1>Déposer une pétition</h1>"))
            #expect(form.text.contains("<option value=\"sante\">Santé</option>"))
            #expect(try await web.get("/petitions").text.contains("href=\"/petitions/nouvelle\""))
            let before = try await Self.petitionCount(probe)

            // act: preview
            let preview = try await web.submit("/petitions/nouvelle", Self.draftFields(action: "apercu"), from: "/petitions/nouvelle")

            // check: the petition as it will look, the similar published petition, nothing stored yet
            #expect(preview.status == .ok)
            #expect(preview.text.contains("<h1 id=\"preview-title\">Rénover les lycées de la Somme</h1>"))
            #expect(preview.text.contains("<p>Les élèves ont froid l&#39;hiver.</p>") || preview.text.contains("<p>Les élèves ont froid l&#x27;hiver.</p>"))
            #expect(preview.text.contains("<dd>Éducation, formation et jeunesse</dd>"))
            #expect(preview.text.contains("<dd>Jeanne Dubois</dd>"))
            #expect(preview.text.contains("href=\"/petitions/\(similar.id.uuidString.lowercased())\">Signer plutôt celle-ci"))
            #expect(!preview.text.contains(unrelated.id.uuidString.lowercased()))
            #expect(!preview.text.contains(waiting.id.uuidString.lowercased()))
            #expect(preview.hiddenField("title") == "Rénover les lycées de la Somme")
            #expect(preview.hiddenField("theme") == "education-formation-jeunesse")
            #expect(try await Self.petitionCount(probe) == before)

            // act: back to the form, values kept
            let edit = try await web.submit("/petitions/nouvelle", Self.draftFields(action: "modifier"), from: "/petitions/nouvelle")
            #expect(edit.status == .ok)
            #expect(edit.text.contains("value=\"Rénover les lycées de la Somme\""))
            #expect(edit.text.contains(">Nous demandons un plan de rénovation des lycées.</textarea>"))
            #expect(edit.text.contains("<option value=\"education-formation-jeunesse\" selected>"))
            #expect(try await Self.petitionCount(probe) == before)

            // act: deposit
            let deposit = try await web.submit("/petitions/nouvelle", Self.draftFields(action: "deposer"), from: "/petitions/nouvelle")

            // check: stored in moderation, hidden, announced to moderation with the reasons
            #expect(deposit.status == .seeOther)
            let location = try #require(deposit.location)
            #expect(location.hasPrefix("/compte/petitions/") && location.hasSuffix("/deposee"))
            let stored = try await probe.texts(
                """
                SELECT id::text || '|' || status || '|' || visible::text || '|' || author_account_id::text || '|' || theme || '|' || author_name
                FROM petitions.petitions WHERE title = 'Rénover les lycées de la Somme'
                """
            )
            #expect(stored.count == 1)
            let parts = (stored.first ?? nil)?.split(separator: "|").map(String.init) ?? []
            #expect(Array(parts.dropFirst()) == ["in_moderation", "false", citizen.id.uuidString.lowercased(), "education-formation-jeunesse", "Jeanne Dubois"])
            let id = try #require(parts.first)
            #expect(location == "/compte/petitions/\(id)/deposee")
            let submitted = try await probe.submittedTexts(try #require(UUID(uuidString: id)))
            #expect(submitted.count == 1)
            #expect(submitted.first?.contains("Pourquoi :\nLes bâtiments datent des années 1970 et sont mal isolés.") == true)
            #expect(try await web.get("/petitions/\(id)").status == .notFound)

            let confirmation = try await web.get(location)
            #expect(confirmation.status == .ok)
            #expect(confirmation.text.contains("en cours de modération"))
            #expect(confirmation.text.contains("courriel"))

            // the author's list shows it in moderation
            let mine = try await web.get("/compte/petitions")
            #expect(mine.status == .ok)
            #expect(mine.text.contains("Rénover les lycées de la Somme"))
            #expect(mine.text.contains("<dd>En cours de modération</dd>"))
            #expect(!mine.text.contains("Un lycée neuf à Abbeville"))
        }
    }

    @Test func badDraftsComeBackWithTheirErrorsAndValuesAndNothingIsStored() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), catalog: RouteCatalog()) { client, probe in
            let (web, _) = try await Self.citizenBrowser(stack, client)
            let cases: [(name: String, fields: [(String, String)], field: String, message: String)] = [
                ("empty title", Self.draftFields(title: "  ", action: "apercu"), "title", "Indiquez le titre de la pétition."),
                ("long title", Self.draftFields(title: String(repeating: "t", count: 201), action: "deposer"), "title", "Le titre doit compter entre 3 et 200 caractères."),
                ("empty text", Self.draftFields(text: "", action: "deposer"), "text", "Indiquez ce que demande la pétition."),
                ("long text", Self.draftFields(text: String(repeating: "x", count: 10_001), action: "apercu"), "text", "Le texte doit compter entre 10 et 10 000 caractères."),
                ("empty reasons", Self.draftFields(reasons: "", action: "deposer"), "reasons", "Expliquez pourquoi vous faites cette demande."),
                ("short reasons", Self.draftFields(reasons: "Parce que", action: "apercu"), "reasons", "Les raisons de la pétition doivent compter entre 10 et 10 000 caractères."),
                ("unknown theme", Self.draftFields(theme: "football", action: "deposer"), "theme", "Choisissez une thématique de la liste, ou aucune."),
            ]
            for (name, fields, field, message) in cases {
                // act
                let response = try await web.submit("/petitions/nouvelle", fields, from: "/petitions/nouvelle")

                // check: the form again, its summary linking to the field, the field marked, the values kept
                #expect(response.status == .unprocessableContent, "\(name)")
                #expect(response.text.contains("<title>Erreur – Déposer une pétition"), "\(name)")
                #expect(response.text.contains("<li><a href=\"#\(field)\">\(message.replacingOccurrences(of: "'", with: "&#39;"))</a></li>")
                    || response.text.contains("<li><a href=\"#\(field)\">\(message.replacingOccurrences(of: "'", with: "&#x27;"))</a></li>"), "\(name)")
                #expect(response.text.contains("id=\"\(field)-error\""), "\(name)")
                #expect(response.text.contains("aria-invalid=\"true\""), "\(name)")
                if field != "reasons" { #expect(response.text.contains("mal isolés"), "\(name)") }
            }
            // Nothing was stored, nothing was sent to moderation.
            #expect(try await Self.petitionCount(probe) == 0)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.outbox") == 0)
        }
    }

    @Test func visitorsSignInFirstAndUnconfirmedAccountsAreToldToConfirm() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), catalog: RouteCatalog()) { client, probe in
            // a visitor is sent to sign in, and back
            let anonymous = WebSession(client)
            let redirected = try await anonymous.get("/petitions/nouvelle")
            #expect(redirected.redirectsToSignIn)
            #expect(redirected.signInReturn == "/petitions/nouvelle")
            #expect(try await anonymous.get("/compte/petitions").redirectsToSignIn)

            // an account whose address is not confirmed gets an explanation and cannot deposit
            let (web, _) = try await Self.citizenBrowser(stack, client, confirmed: false)
            let page = try await web.get("/petitions/nouvelle")
            #expect(page.status == .ok)
            #expect(page.text.contains("confirmez d'abord votre adresse électronique"))
            #expect(!page.text.contains("name=\"reasons\""))
            let deposit = try await web.submit("/petitions/nouvelle", Self.draftFields(action: "deposer"), from: "/petitions/nouvelle")
            #expect(deposit.status == .forbidden)
            #expect(try await Self.petitionCount(probe) == 0)
        }
    }

    @Test func theAuthorSeesModerationsOutcomeAndOnlyTheirOwnPetitions() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), catalog: RouteCatalog()) { client, probe in
            // setup: two deposits by one citizen
            let (web, _) = try await Self.citizenBrowser(stack, client)
            let first = try await web.submit("/petitions/nouvelle", Self.draftFields(action: "deposer"), from: "/petitions/nouvelle")
            let second = try await web.submit(
                "/petitions/nouvelle", Self.draftFields(title: "Ouvrir les cantines le samedi", theme: "", action: "deposer"), from: "/petitions/nouvelle"
            )
            let published = try #require(UUID(uuidString: first.location?.split(separator: "/").dropLast().last.map(String.init) ?? ""))
            let rejected = try #require(UUID(uuidString: second.location?.split(separator: "/").dropLast().last.map(String.init) ?? ""))

            // act: moderation publishes one, refuses the other with a reason
            try await probe.openThroughModeration(published, topology: stack.topology)
            try await publishPetitionDecision(rejected, status: .rejected, reasonLabel: "Hors du champ de compétence du CESER", topology: stack.topology)
            try await eventually("the refusal applied") {
                try await probe.texts("SELECT status FROM petitions.petitions WHERE id = \(rejected)") == ["rejected"]
            }

            // check: each state, the reason, the link to the published one
            let mine = try await web.get("/compte/petitions")
            #expect(mine.text.contains("<dd>Publiée, ouverte aux signatures</dd>"))
            #expect(mine.text.contains("<a href=\"/petitions/\(published.uuidString.lowercased())\">Rénover les lycées de la Somme</a>"))
            #expect(mine.text.contains("<dd>Refusée par la modération</dd>"))
            #expect(mine.text.contains("<dd>Hors du champ de compétence du CESER</dd>"))
            #expect(!mine.text.contains("href=\"/petitions/\(rejected.uuidString.lowercased())\""))

            // the public page shows the reasons and the theme
            let page = try await client.get("/petitions/\(published.uuidString.lowercased())")
            #expect(page.status == .ok)
            #expect(page.text.contains("<h2 id=\"reasons-title\">Pourquoi</h2>"))
            #expect(page.text.contains("<p>Les bâtiments datent des années 1970 et sont mal isolés.</p>"))
            #expect(page.text.contains("<dt>Thématique</dt><dd>Éducation, formation et jeunesse</dd>"))

            // another citizen sees neither in their list nor the confirmation page
            let (other, _) = try await Self.citizenBrowser(stack, client)
            #expect(!(try await other.get("/compte/petitions").text.contains("Rénover les lycées")))
            #expect(try await other.get("/compte/petitions/\(published.uuidString.lowercased())/deposee").status == .notFound)
        }
    }

    @Test func depositsAreRateLimitedPerAccount() async throws {
        let stack = try await GatewayStack.make()
        var limits = GatewaySettings.RateLimits.generous
        limits.petitionDeposit.limit = 1
        try await stack.run(settings: .forSecurityTests(rateLimits: limits), catalog: RouteCatalog()) { client, probe in
            let (web, _) = try await Self.citizenBrowser(stack, client)
            // A refused draft does not count.
            let refused = try await web.submit("/petitions/nouvelle", Self.draftFields(reasons: "", action: "deposer"), from: "/petitions/nouvelle")
            #expect(refused.status == .unprocessableContent)
            #expect(try await web.submit("/petitions/nouvelle", Self.draftFields(action: "deposer"), from: "/petitions/nouvelle").status == .seeOther)

            let again = try await web.submit("/petitions/nouvelle", Self.draftFields(title: "Un autre sujet", action: "deposer"), from: "/petitions/nouvelle")
            #expect(again.status == .tooManyRequests)
            #expect(again.header("Retry-After") != nil)
            #expect(try await Self.petitionCount(probe) == 1)

            // another account is not held back
            let (other, _) = try await Self.citizenBrowser(stack, client)
            #expect(try await other.submit("/petitions/nouvelle", Self.draftFields(action: "deposer"), from: "/petitions/nouvelle").status == .seeOther)
        }
    }

    // MARK: API

    @Test func theAPIDepositsWithReasonsAndThemeAndRefusesBadInputAsJSON() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run { client, probe in
            let valid = ["title": "Rénover les lycées de la Somme", "text": "Nous demandons un plan de rénovation.", "reasons": Self.reasons]

            // bad input, each naming its field, nothing stored
            var unknownTheme = valid
            unknownTheme["theme"] = "football"
            var shortReasons = valid
            shortReasons["reasons"] = "Parce que"
            var longReasons = valid
            longReasons["reasons"] = String(repeating: "r", count: 10_001)
            var emptyTitle = valid
            emptyTitle["title"] = "   "
            var noReasons = valid
            noReasons["reasons"] = nil
            for (body, field) in [(unknownTheme, "theme"), (shortReasons, "reasons"), (longReasons, "reasons"), (emptyTitle, "title"), (noReasons, "reasons")] {
                let response = try await client.post("/api/v1/petitions", body)
                #expect(response.status == .badRequest, "\(field)")
                #expect(response.isJSON, "\(field)")
                #expect(response.apiError?.code == "invalid_request", "\(field)")
                #expect(response.apiError?.field == field, "\(field)")
                #expect(response.apiError?.message.isEmpty == false, "\(field)")
            }
            #expect(try await Self.petitionCount(probe) == 0)

            // act
            var themed = valid
            themed["theme"] = "sante"
            let created = try await client.post("/api/v1/petitions", themed)

            // check
            #expect(created.status == .created)
            let petition = try created.decode(PetitionView.self)
            #expect(petition.reasons == Self.reasons)
            #expect(petition.theme == "sante")
            #expect(petition.status == .inModeration)
            #expect(petition.visible == false)
            let submitted = try await probe.submittedTexts(petition.id)
            #expect(submitted.count == 1)
            #expect(submitted.first?.contains("Les élèves ont froid") == true)
            #expect(try await Self.petitionCount(probe) == 1)
        }
    }

    @Test func theAPIRefusesAnAccountWhoseAddressIsNotConfirmed() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), catalog: RouteCatalog()) { client, probe in
            // setup: an account with an API token, whose address is then unconfirmed
            let account = try await stack.makeStaff([.staff])
            let token = try await stack.issueToken(for: account)
            try await probe.execute("UPDATE identity.accounts SET email_confirmed_at = NULL WHERE id = \(account.id)")
            let body = #"{"title": "Rénover les lycées", "text": "Nous demandons un plan de rénovation.", "reasons": "Les élèves ont froid."}"#

            // act
            let response = try await client.execute(
                uri: "/api/v1/petitions", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: .init(string: body)
            )

            // check
            #expect(response.status == .forbidden)
            #expect(response.isJSON)
            #expect(response.apiError?.code == "email_unconfirmed")
            #expect(try await Self.petitionCount(probe) == 0)
        }
    }

    @Test func theAPIFindsSimilarPublishedPetitionsOpenOnesFirst() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), catalog: RouteCatalog()) { client, probe in
            // setup: « lycée » and « lycées » share their French stem
            let closed = try await stack.publishedPetition("Chauffer les lycées de Picardie l'hiver", probe: probe)
            try await probe.execute("UPDATE petitions.petitions SET status = 'closed' WHERE id = \(closed.id)")
            let open = try await stack.publishedPetition("Un lycée neuf à Abbeville", probe: probe)
            _ = try await stack.publishedPetition("Des bus le dimanche à Lens", probe: probe)
            let rejected = try await stack.publishedPetition("Les lycées de l'Aisne", probe: probe)
            try await probe.execute("UPDATE petitions.petitions SET status = 'rejected', visible = false WHERE id = \(rejected.id)")
            _ = try await stack.rpc.request(CreatePetition(title: "Lycées de l'Oise", text: "Des lycées rénovés.", reasons: Self.reasons))

            // act
            let response = try await client.get("/api/v1/petitions/similaires?titre=\(WebSession.query("Rénover les lycées"))&texte=\(WebSession.query("Un plan pour les lycées du territoire"))")

            // check: the open one first, then the closed one; nothing unpublished or unrelated
            #expect(response.status == .ok)
            #expect(response.isJSON)
            let list = try response.decode(PetitionList.self)
            #expect(list.items.map(\.id) == [open.id, closed.id])

            // a blank title, or a text without title: a JSON error naming the title, as the document says
            for query in ["titre=%20", "texte=\(WebSession.query("Un plan pour les lycées"))"] {
                let refused = try await client.get("/api/v1/petitions/similaires?\(query)")
                #expect(refused.status == .badRequest, "\(query)")
                #expect(refused.apiError?.code == "invalid_parameter")
                #expect(refused.apiError?.field == "titre")
            }
            // only stop words: nothing similar
            let stopWords = try await client.get("/api/v1/petitions/similaires?titre=\(WebSession.query("de la du et"))")
            #expect(try stopWords.decode(PetitionList.self).items.isEmpty)
        }
    }
}

extension GatewayStack {
    /// A petition deposited and published by moderation.
    func publishedPetition(_ title: String, probe: Probe) async throws -> PetitionView {
        let petition = try await rpc.request(CreatePetition(
            title: title, text: "Nous voulons : \(title).", reasons: "Le sujet concerne toute la population."
        ))
        try await probe.openThroughModeration(petition.id, topology: topology)
        return petition
    }
}

extension Probe {
    /// The moderated texts of the `petition.submitted` events announcing a petition.
    func submittedTexts(_ petition: UUID) async throws -> [String] {
        try await texts(
            """
            SELECT convert_from(body, 'UTF8')::jsonb -> 'content' ->> 'text' FROM petitions.outbox
            WHERE message_type = \(PetitionSubmitted.messageType)
              AND (convert_from(body, 'UTF8')::jsonb -> 'content' ->> 'contentID')::uuid = \(petition)
            """
        ).compactMap { $0 }
    }
}
