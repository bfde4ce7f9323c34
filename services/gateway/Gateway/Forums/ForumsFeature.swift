/// Forums: for staff, opening a forum on a theme with its question, dates and moderation
/// policy; for everyone, the forums and their threads; for signed-in citizens with a
/// confirmed address, opening a thread, replying (one level of nesting, quoting a post) and
/// changing their post within 15 minutes, reacting to posts; for staff running it, pinning,
/// closing a thread with its conclusion, merging duplicates, concluding the forum; short
/// statements answered one at a time, and the opinion map on the forum's page. Every post and
/// statement goes through moderation with its forum's policy. The JSON API (`/api/v1/forums`) reads,
/// posts and reacts through the same `ForumWriter` as the pages, and lists, proposes and
/// answers statements (`StatementsAPI`).
struct ForumsFeature: GatewayFeature {
    static let notices: [any PageNotice.Type] = [ForumNotice.self]

    let web: WebDependencies

    init(web: WebDependencies) {
        self.web = web
    }

    func register(_ routes: FeatureRoutes) {
        ForumsAPI(web: web).register(on: routes.api.group("forums"))
        StatementsAPI(web: web).register(on: routes.api.group("forums"))
        StaffForumPages(web: web).register(on: routes.admin)
        StaffThreadPages(web: web).register(on: routes.admin)
        PublicForumPages(web: web).register(on: routes.pages)
        ThreadPages(web: web).register(on: routes.pages)
        StatementPages(web: web).register(on: routes.pages)
    }
}
