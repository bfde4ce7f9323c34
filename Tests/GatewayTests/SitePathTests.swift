import DialogueContracts
import Foundation
import Gateway
import HTTPTypes
import ServiceKit
import Testing
import TestSupport

/// The links that mails and services build from `SitePath` open pages the gateway serves.
@Suite struct SitePathTests {
    /// One path of every page of the table, as the mails and services build them.
    static let samples: [SitePath] = [
        .petition(UUID()), .signatureConfirmation(token: "c2lnbmF0dXJl_x-1"), .emailConfirmation(token: "YWRyZXNzZQ"),
        .passwordReset(token: "bW90LWRlLXBhc3Nl"), .unsubscribe(token: "cGF5bG9hZA.c2lnbmF0dXJl"), .notificationPreferences,
        .staffInbox, .staffPetition(UUID()), .moderationQueue, .signIn, .forgottenPassword, .surveyAnswering(UUID(), token: "ZW5xdWV0ZQ"),
        .consultation(UUID()), .contribution(UUID()),
        .process(UUID()), .processRecommendations(UUID()), .recommendation(UUID()),
        .workshop(UUID()), .workshopRegistration(token: "aW5zY3JpcHRpb24"), .workshopInvitation(token: "aW5zY3JpcHRpb24"), .staffWorkshop(UUID()),
    ]

    /// Whether `path` (without its query) is an instance of the catalogue's `route`, read as
    /// the gateway reads a declared path (`RouteCatalog.pattern`).
    static func path(_ path: String, matches route: String) -> Bool {
        let path = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        return RouteCatalog.pattern(route, matches: path.split(separator: "/", omittingEmptySubsequences: true))
    }

    @Test func everySitePathIsAPageTheGatewayServes() async throws {
        // setup: the routes the gateway declares as it builds its application
        let stack = try await GatewayStack.make()
        let catalog = RouteCatalog()
        _ = try Gateway.buildApplication(
            platform: stack.gateway, rpc: stack.rpc, settings: .forSecurityTests(),
            operations: OperationsEndpoints(readiness: stack.gateway.readiness, registry: stack.registry), catalog: catalog
        )
        let pages = catalog.all.filter { $0.method == .get }.map(\.path)
        #expect(pages.contains("/petitions/{id}"))

        // check: every page of the table is a GET route of the gateway ...
        for page in SitePath.Page.allCases {
            #expect(pages.contains(page.route), "the gateway serves no page \(page.route)")
        }
        // ... and every path made from it is an instance of that route
        #expect(Set(Self.samples.map(\.page)) == Set(SitePath.Page.allCases), "a page of the table has no sample here")
        for sample in Self.samples {
            #expect(Self.path(sample.path, matches: sample.page.route), "\(sample.path) is not an instance of \(sample.page.route)")
            #expect(pages.contains { Self.path(sample.path, matches: $0) }, "no route of the gateway serves \(sample.path)")
        }
        #expect(!Self.path("/petitions/x/extra", matches: "/petitions/{id}"))
    }

    @Test func pathsWriteIDsLowercasedAndEncodeTokens() throws {
        let id = try #require(UUID(uuidString: "4F0C2B6A-93D1-4E57-8A2B-0C1D2E3F4A5B"))
        #expect(SitePath.petition(id).path == "/petitions/4f0c2b6a-93d1-4e57-8a2b-0c1d2e3f4a5b")
        #expect(SitePath.staffPetition(id).path == "/admin/petitions/4f0c2b6a-93d1-4e57-8a2b-0c1d2e3f4a5b")
        // A base64url token (and a signed one, with its dot) passes unchanged.
        #expect(SitePath.unsubscribe(token: "cGF5bG9hZA.c2ln-_~").path == "/desabonnement?jeton=cGF5bG9hZA.c2ln-_~")
        // Anything else cannot end the query or add a parameter.
        #expect(SitePath.passwordReset(token: "a&b=c #d/é+").path == "/mot-de-passe/nouveau?jeton=a%26b%3Dc%20%23d%2F%C3%A9%2B")
        #expect(SitePath.signatureConfirmation(token: "x").path == "/confirmer-signature?jeton=x")
        #expect(SitePath.emailConfirmation(token: "x").path == "/confirmation?jeton=x")
        #expect(SitePath.notificationPreferences.path == "/compte/notifications")
        // Absolute links: one slash between the address and the path, whatever the configuration.
        #expect(SiteAddress(baseURL: "https://dialogue.example/").url(.moderationQueue) == "https://dialogue.example/admin/moderation")
        #expect(SiteAddress(baseURL: "https://dialogue.example").url(.staffInbox) == "https://dialogue.example/admin/notifications")
    }
}
