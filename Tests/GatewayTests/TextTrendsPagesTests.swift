import DialogueContracts
import Foundation
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import PostgresNIO
import ServiceKit
import Testing
import TestSupport
import TextTrends

/// `/admin/synthese`: the trends of published petitions, computed by the synthesis reporter
/// from the events the petitions service and moderation publish; every trend links to
/// petitions that hold its words, a rejected petition never; staff who read reports only.
@Suite struct TextTrendsPagesTests {
    /// One row of a trends table as the page shows it: the trend's words and the texts it links to.
    struct Row {
        let label: String
        let links: [String]
    }

    /// The rows of every trends table of `html`.
    static func rows(in html: String) -> [Row] {
        html.components(separatedBy: #"<tr><th scope="row">"#).dropFirst().map { chunk in
            let row = chunk.components(separatedBy: "</tr>").first ?? ""
            let label = row.components(separatedBy: " <span").first ?? ""
            let links = row.components(separatedBy: #"<a href=""#).dropFirst().compactMap { $0.components(separatedBy: "\"").first }
            return Row(label: unescape(label), links: links)
        }
    }

    static func unescape(_ html: String) -> String {
        html.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test func everyTrendLinksToPublishedPetitionsThatHoldItsWords() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup: petitions deposited through the API, published or rejected by moderation
            let published = [
                "Sauver les urgences de l'hôpital de Cambrai", "Les urgences de l'hôpital de Douai la nuit", "Une piscine ouverte à Laon",
            ]
            var petitions: [UUID: String] = [:]
            for title in published + ["Urgences de l'hôpital : texte rejeté"] {
                let petition = try await client.createPetition(title: title)
                petitions[petition.id] = title
            }
            // what each petition says, from its owner's schema: title, text and reasons
            var texts: [UUID: String] = [:]
            for id in petitions.keys {
                texts[id] = try await probe.texts("SELECT title || E'\\n' || body || E'\\n' || reasons FROM petitions.petitions WHERE id = \(id)").first ?? nil
            }
            let rejected = try #require(petitions.first { $0.value.hasSuffix("rejeté") }?.key)
            for id in petitions.keys {
                try await publishPetitionDecision(id, status: id == rejected ? .rejected : .published, topology: stack.topology)
            }
            try await eventually(timeout: .seconds(30), "the reporter kept the petitions and their decisions") {
                let decisions = try await probe.texts("SELECT count(*)::text FROM synthesis.text_moderation")
                let documents = try await probe.texts("SELECT count(*)::text FROM synthesis.text_documents")
                return decisions == ["4"] && documents == ["4"]
            }
            let (web, _) = try await SurveyBuilderPagesTests.staffSession(stack, client)

            // act
            let page = try await web.get("/admin/synthese")

            // check: the tables, and the phrases the petitions share
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>Tendances des textes</h1>"))
            #expect(page.text.contains("3 textes."))
            for table in ["Mots-clés", "Expressions clés", "En hausse", "En baisse"] { #expect(page.text.contains(">\(table)</h2>")) }
            let rows = Self.rows(in: page.text)
            #expect(rows.contains { $0.label == "urgences de l'hôpital" && $0.links.count == 2 })
            #expect(rows.contains { $0.label == "trains régionaux" && $0.links.count == 3 })
            // every link opens a published petition holding the trend's words after normalisation
            let extractor = TermExtractor()
            #expect(rows.count >= 4)
            for row in rows {
                let key = try #require(extractor.key(of: row.label), "\(row.label)")
                #expect(!row.links.isEmpty, "\(row.label)")
                for link in row.links {
                    let id = try #require(UUID(uuidString: String(link.dropFirst("/petitions/".count))), "\(link)")
                    #expect(link == SitePath.petition(id).path)
                    #expect(id != rejected, "\(row.label) links to the rejected petition")
                    #expect(extractor.contains(key, in: texts[id] ?? ""), "\(row.label) not in \(petitions[id] ?? link)")
                }
            }
            let opened = try await web.get(try #require(rows.first?.links.first))
            #expect(opened.status == .ok)
        }
    }

    @Test func onlyStaffWhoReadReportsSeeThePageAndABadPeriodComesBackNextToItsField() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, _ in
            // setup: a visitor, a citizen, a moderator, an analyst
            func session(_ account: TestAccount) async throws -> WebSession {
                let web = WebSession(client.anonymous)
                web.setCookie(web.sessionCookieName, try await stack.openSession(for: account))
                return web
            }
            let visitor = WebSession(client.anonymous)
            let citizen = try await session(try await stack.makeCitizen())
            let moderator = try await session(try await stack.makeStaff([.moderator]))
            let analyst = try await session(try await stack.makeStaff([.analyst]))

            // act
            let anonymous = try await visitor.get("/admin/synthese")
            let asCitizen = try await citizen.get("/admin/synthese")
            let asModerator = try await moderator.get("/admin/synthese")
            let asAnalyst = try await analyst.get("/admin/synthese?source=petitions&du=2026-01-05&au=2026-03-01")
            let impossibleDay = try await analyst.get("/admin/synthese?du=2026-02-31&au=2026-03-01")
            let reversed = try await analyst.get("/admin/synthese?du=2026-03-01&au=2026-01-05")
            let unknownSource = try await analyst.get("/admin/synthese?source=tracts")
            let tooLong = try await analyst.get("/admin/synthese?du=2020-01-01&au=2026-01-01")

            // check
            #expect(anonymous.redirectsToSignIn)
            #expect(asCitizen.status == .forbidden)
            #expect(asModerator.status == .forbidden)
            #expect(asAnalyst.status == .ok)
            #expect(asAnalyst.text.contains("du 5 janvier 2026 au 1er mars 2026 : 0 textes.") || asAnalyst.text.contains("0 texte"))
            #expect(asAnalyst.text.contains("Aucun texte publié sur cette période"))
            #expect(impossibleDay.status == .unprocessableContent)
            #expect(impossibleDay.text.contains(#"id="du-error""#))
            #expect(impossibleDay.text.contains(#"value="2026-02-31""#))
            #expect(reversed.status == .unprocessableContent)
            #expect(reversed.text.contains(#"id="au-error""#))
            #expect(unknownSource.status == .unprocessableContent)
            #expect(unknownSource.text.contains(#"id="source-error""#))
            #expect(tooLong.status == .unprocessableContent)
            #expect(tooLong.text.contains("un an"))
        }
    }
}
