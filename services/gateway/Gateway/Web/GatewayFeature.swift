/// Where a feature adds its routes: the site's pages, the back-office under `/admin`, and the
/// JSON API under `/api/v1`. Every route declares who may use it (`Access`).
struct FeatureRoutes {
    /// Pages of the public site (forms carry a CSRF token).
    let pages: SecuredRoutes
    /// Pages of the back-office, under `/admin`.
    let admin: SecuredRoutes
    /// The JSON API, under `/api/v1`, authenticated by bearer token.
    let api: SecuredRoutes
    /// Pages whose forms take a file (`multipart/form-data`, larger body); `uploads.group("admin")` in the back-office.
    let uploads: SecuredRoutes
}

/// One feature of the site: its routes, pages, API handlers, use-cases, page models and
/// templates in one folder. Features never call each other; what two of them share lives in `Web/`.
protocol GatewayFeature: Sendable {
    /// The messages its pages show after a redirect.
    static var notices: [any PageNotice.Type] { get }

    init(web: WebDependencies)

    /// Adds every route of the feature.
    func register(_ routes: FeatureRoutes)
}

extension GatewayFeature {
    static var notices: [any PageNotice.Type] { [] }

    /// Makes the feature and adds its routes (called on the list of feature types).
    static func register(web: WebDependencies, on routes: FeatureRoutes) {
        Self(web: web).register(routes)
    }
}
