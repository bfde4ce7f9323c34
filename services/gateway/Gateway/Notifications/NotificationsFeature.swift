/// Notifications: a person's mail choices and the unsubscribe page; for staff, their inbox
/// (pages and `/api/v1/staff-notifications`), the log of mails sent, and the failed ones with
/// their resend action (`/admin/envois-en-echec`, `/api/v1/deliveries/failed`).
struct NotificationsFeature: GatewayFeature {
    static let notices: [any PageNotice.Type] = [NotificationNotice.self]

    let web: WebDependencies

    func register(_ routes: FeatureRoutes) {
        StaffInboxAPI(web: web).register(on: routes.api)
        StaffNotificationPages(web: web).register(on: routes.admin)
        FailedDeliveryPages(web: web).register(on: routes.admin)
        FailedDeliveriesAPI(web: web).register(on: routes.api)
        NotificationPreferencePages(web: web).register(on: routes.pages)
    }
}
