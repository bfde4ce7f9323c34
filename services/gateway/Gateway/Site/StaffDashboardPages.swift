import DialogueContracts
import Foundation
import Hummingbird
import Identity

/// The back-office's home (`/admin`): what each role can reach from here.
struct StaffDashboardPages: Sendable {
    let web: WebDependencies

    func register(on admin: SecuredRoutes) {
        admin.get("", .anyStaff) { request, context in try dashboard(request, context) }
    }

    private func dashboard(_ request: Request, _ context: WebContext) throws -> Response {
        let account = try context.requireAccount()
        let model = StaffDashboard(roles: account.roles.sorted().map(\.label))
        return web.render(Page("admin-dashboard", title: "Espace équipe", model: model), request, context)
    }
}

/// The back-office's home: the person's roles (the layout knows whether they administer).
struct StaffDashboard {
    let roles: [String]
}
