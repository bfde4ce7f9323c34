/// Accounts: registration, confirmation, sign-in, password reset, the citizen's account
/// pages, personal data and personal API tokens; for administrators, staff accounts, roles,
/// the audit log and staff API tokens; `/api/v1/me` and `/api/v1/audit-log`.
struct IdentityFeature: GatewayFeature {
    static let notices: [any PageNotice.Type] = [IdentityNotice.self]

    let web: WebDependencies

    func register(_ routes: FeatureRoutes) {
        IdentityAPI(web: web).register(on: routes.api)
        AccountPages(web: web).register(on: routes.pages)
        PersonalTokenPages(web: web).register(on: routes.pages)
        StaffAccountPages(web: web).register(on: routes.admin)
    }
}
