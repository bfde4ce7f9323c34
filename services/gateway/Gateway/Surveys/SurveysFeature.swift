/// Surveys: answering a survey and reading its results, through `/api/v1/surveys` (the pages
/// come with their own slice and register here too).
struct SurveysFeature: GatewayFeature {
    let web: WebDependencies

    init(web: WebDependencies) {
        self.web = web
    }

    func register(_ routes: FeatureRoutes) {
        SurveysAPI(web: web).register(on: routes.api.group("surveys"))
    }
}
