import DialogueContracts
import Identity
import Hummingbird
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// What every feature's pages and API are built from, made once per application.
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
    let commands: CommandSender

    init(platform: ServicePlatform, rpc: RPCClient, settings: GatewaySettings, notices: NoticeBook) throws {
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
        self.renderer = try PageRenderer(csrfKey: csrfKey, notices: notices)
        self.cookies = CookiePolicy(secure: settings.secureCookies, sessionMaxAge: settings.sessionMaximumAge)
        self.limiter = RateLimiter(database: platform.database, logger: platform.logger)
        self.links = LinkBuilder(baseURL: settings.publicBaseURL)
        self.commands = CommandSender(publisher: platform.publisher, topology: platform.topology)
    }

    /// Renders a page for this request.
    func render(_ page: Page, _ request: Request, _ context: WebContext) -> Response {
        renderer.render(page, for: request, context: context)
    }
}
