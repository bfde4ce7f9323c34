/// Surveys: for staff, the builder (list, one form per survey, plain-language hint, preview
/// and trial, publication, duplication, JSON export and import) and the results with their
/// filters and breakdowns, the responses' exports (CSV with its codebook, JSON); for everyone, the surveys
/// open now and the answering form, and the results once they are public; answering and reading results through `/api/v1/surveys`.
/// Pages and API send responses through one use-case, `SurveyResponseDesk`.
struct SurveysFeature: GatewayFeature {
    static let notices: [any PageNotice.Type] = [SurveyNotice.self]

    let web: WebDependencies

    init(web: WebDependencies) {
        self.web = web
    }

    func register(_ routes: FeatureRoutes) {
        SurveysAPI(web: web).register(on: routes.api.group("surveys"))
        StaffSurveyPages(web: web).register(on: routes.admin)
        StaffSurveyResultsPages(web: web).register(on: routes.admin)
        StaffSurveyExports(web: web).register(on: routes.admin)
        StaffSurveyFreeTextPages(web: web).register(on: routes.admin)
        StaffSurveySettingsPages(web: web).register(on: routes.admin)
        PublicSurveyPages(web: web).register(on: routes.pages)
        PublicSurveyResultsPages(web: web).register(on: routes.pages)
    }
}
