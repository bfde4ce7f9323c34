/// Participatory processes: for staff, writing a process (the public policy it prepares, its
/// purpose, its ordered phases with their days, what is open in each and their documents),
/// from seed 001's seven-step model or phase by phase; for everyone, the processes and each
/// one's timeline — past, current and coming phases, and where it stands. The JSON API
/// (`/api/v1/processes`) reads them and lets staff create one through the same rules.
/// Workshops of a phase: staff schedule them and check people in; anyone registers, with a
/// waitlist past capacity, and adds them to a calendar (.ics).
/// The orientation report: staff write recommendations citing the process's contributions,
/// publish them, record the council's decisions and implementation milestones; everyone reads
/// them, from the process down to each contribution and back (`Recommendation*`).
/// The follow-up indicators of a process, public with small numbers hidden and exact for staff
/// (`ProcessIndicators*`).
struct ProcessesFeature: GatewayFeature {
    static let notices: [any PageNotice.Type] = [ProcessNotice.self, WorkshopNotice.self, RecommendationNotice.self]

    let web: WebDependencies

    init(web: WebDependencies) {
        self.web = web
    }

    func register(_ routes: FeatureRoutes) {
        ProcessesAPI(web: web).register(on: routes.api.group("processes"))
        StaffProcessPages(web: web).register(on: routes.admin)
        PublicProcessPages(web: web).register(on: routes.pages)
        // Workshops (« ateliers ») held in the phases of a process.
        WorkshopsAPI(web: web).register(processes: routes.api.group("processes"), workshops: routes.api.group("workshops"))
        StaffWorkshopPages(web: web).register(on: routes.admin)
        WorkshopPages(web: web).register(on: routes.pages)
        // The orientation report: recommendations, decisions and milestones.
        RecommendationsAPI(web: web).register(processes: routes.api.group("processes"), recommendations: routes.api.group("recommendations"))
        StaffRecommendationPages(web: web).register(on: routes.admin)
        RecommendationPages(web: web).register(on: routes.pages)
        // The follow-up indicators (seed 003), public and staff.
        ProcessIndicatorsAPI(web: web).register(on: routes.api.group("processes"))
        ProcessIndicatorsPages(web: web).register(pages: routes.pages, admin: routes.admin)
    }
}
