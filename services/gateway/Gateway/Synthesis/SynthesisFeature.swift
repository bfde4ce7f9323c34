/// Synthesis: for staff, the trends of the texts citizens wrote (key words, key phrases, what
/// rises and falls week by week) and the groups of similar texts of a consultation or a forum,
/// each linking to the texts it rests on. The synthesis reporter computes them from its own read model.
struct SynthesisFeature: GatewayFeature {
    let web: WebDependencies

    init(web: WebDependencies) {
        self.web = web
    }

    func register(_ routes: FeatureRoutes) {
        TextTrendsPages(web: web).register(on: routes.admin)
        TextGroupsPages(web: web).register(on: routes.admin)
        SynthesisReportPages(web: web).register(on: routes.admin)
    }
}
