import DialogueContracts
import Hummingbird
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// What the pages and the API are built from, made once per application.
struct WebDependencies: Sendable {
    let settings: GatewaySettings
    let logger: Logger
    let database: PostgresClient
    let rpc: RPCClient
    let accounts: AccountStore
    let sessions: SessionStore
    let apiTokens: APITokenStore
    let hasher: PasswordHasher
    let renderer: PageRenderer
    let csrfKey: CSRFKey
    let cookies: CookiePolicy
    let limiter: RateLimiter
    let links: LinkBuilder
    /// Petition lists read recently (home page, `/petitions`), so a peak of visits does not reach the petitions service.
    let petitionLists: ShortLivedCache<String, PetitionList>
    /// Petitions read recently (to sign one, or through the API), for the same reason.
    let petitionViews: ShortLivedCache<UUID, PetitionView>
    let commands: CommandSender

    init(platform: ServicePlatform, rpc: RPCClient, settings: GatewaySettings) throws {
        self.settings = settings
        self.logger = platform.logger
        self.database = platform.database
        self.rpc = rpc
        self.accounts = AccountStore(client: platform.database, logger: platform.logger)
        self.sessions = SessionStore(
            client: platform.database, logger: platform.logger,
            idleTimeout: settings.sessionIdleTimeout, maximumAge: settings.sessionMaximumAge
        )
        self.apiTokens = APITokenStore(client: platform.database, logger: platform.logger)
        self.hasher = PasswordHasher(cost: settings.bcryptCost)
        self.csrfKey = CSRFKey(secret: settings.secret)
        self.renderer = try PageRenderer(csrfKey: csrfKey)
        self.cookies = CookiePolicy(secure: settings.secureCookies, sessionMaxAge: settings.sessionMaximumAge)
        self.limiter = RateLimiter()
        self.links = LinkBuilder(baseURL: settings.publicBaseURL)
        self.petitionLists = ShortLivedCache(timeToLive: settings.petitionCacheTTL, capacity: 1_000)
        self.petitionViews = ShortLivedCache(timeToLive: settings.petitionCacheTTL)
        self.commands = CommandSender(publisher: platform.publisher, topology: platform.topology)
    }

    /// Renders a page for this request.
    func render(_ page: Page, _ request: Request, _ context: WebContext) -> Response {
        renderer.render(page, for: request, context: context)
    }
}
