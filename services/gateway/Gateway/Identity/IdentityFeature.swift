/// Accounts: registration, confirmation, sign-in, password reset, the citizen's account
/// pages and personal data; for administrators, staff accounts, roles, the audit log and API
/// tokens; `/api/v1/me` and `/api/v1/audit-log`.
struct IdentityFeature: GatewayFeature {
    static let notices: [any PageNotice.Type] = [IdentityNotice.self]

    let web: WebDependencies

    func register(_ routes: FeatureRoutes) {
        IdentityAPI(web: web).register(on: routes.api)
        AccountPages(web: web).register(on: routes.pages)
        StaffAccountPages(web: web).register(on: routes.admin)
    }
}
