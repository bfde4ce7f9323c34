/// Notifications: a person's mail choices and the unsubscribe page; for staff, their inbox
/// (pages and `/api/v1/staff-notifications`) and the log of mails sent.
struct NotificationsFeature: GatewayFeature {
    static let notices: [any PageNotice.Type] = [NotificationNotice.self]

    let web: WebDependencies

    func register(_ routes: FeatureRoutes) {
        StaffInboxAPI(web: web).register(on: routes.api)
        StaffNotificationPages(web: web).register(on: routes.admin)
        NotificationPreferencePages(web: web).register(on: routes.pages)
    }
}
