/// Moderation: the moderators' queue, items, decisions, log and settings under
/// `/admin/moderation`, and the citizens' flagging form (`/signalement`).
struct ModerationFeature: GatewayFeature {
    static let notices: [any PageNotice.Type] = [ModerationNotice.self]

    let web: WebDependencies

    func register(_ routes: FeatureRoutes) {
        ModerationPages(web: web).register(on: routes.admin)
        ModerationPages(web: web).registerFlagging(on: routes.pages)
    }
}
