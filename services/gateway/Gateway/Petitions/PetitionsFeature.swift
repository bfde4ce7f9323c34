/// Petitions: the public list and page, signing and its confirmation, the citizen's deposit,
/// and for staff the lifecycle after the threshold, paper batches, exports, settings and
/// fraud controls; the same use-cases serve the pages and `/api/v1/petitions`.
struct PetitionsFeature: GatewayFeature {
    static let notices: [any PageNotice.Type] = [PetitionNotice.self]

    let web: WebDependencies
    let caches: PetitionCaches

    init(web: WebDependencies) {
        self.web = web
        self.caches = PetitionCaches(timeToLive: web.settings.petitionCacheTTL, staleLimit: web.settings.petitionCacheStaleLimit)
    }

    func register(_ routes: FeatureRoutes) {
        PetitionsAPI(web: web, caches: caches).register(on: routes.api.group("petitions"))
        StaffPetitionPages(web: web).register(on: routes.admin)
        PetitionFraudPages(web: web).register(on: routes.admin)
        PetitionDepositPages(web: web).register(on: routes.pages)
        PublicPetitionPages(web: web, caches: caches).register(on: routes.pages)
    }
}
