import DialogueContracts

/// The site's frame: the home page, the pages the law asks for, the back-office's home, and
/// the layout and navigation templates every page is drawn in.
struct SiteFeature: GatewayFeature {
    let web: WebDependencies
    /// The home page's most signed petitions, kept briefly like the petition pages.
    let homePetitions: ShortLivedCache<String, PetitionList>

    init(web: WebDependencies) {
        self.web = web
        self.homePetitions = ShortLivedCache(timeToLive: web.settings.petitionCacheTTL, serveStaleFor: web.settings.petitionCacheStaleLimit, capacity: 1)
    }

    func register(_ routes: FeatureRoutes) {
        SitePages(web: web, homePetitions: homePetitions).register(on: routes.pages)
        StaffDashboardPages(web: web).register(on: routes.admin)
    }
}
