import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// The public process pages: the list (`/processus`) and one process with its timeline
/// (`/processus/{id}`), which a signed-in visitor follows (a mail at each new phase).
struct PublicProcessPages: Sendable {
    let web: WebDependencies

    func register(on pages: SecuredRoutes) {
        pages.get("processus", .everyone) { request, context in
            let model = ProcessListPage(try await call.ask(ListProcesses()))
            return web.render(Page("processes", title: "Démarches participatives", model: model), request, context)
        }
        pages.get("processus/{id}", .everyone) { request, context in
            let process = try await call.ask(GetProcess(processID: try context.requiredID(), viewerAccountID: context.account?.id))
            var model = ProcessPageModel(process, signedIn: context.account != nil)
            model.workshops = ProcessWorkshops(processID: process.id, try await call.ask(ListProcessWorkshops(processID: process.id)))
            return web.render(Page("process", title: process.title, model: model), request, context)
        }
        pages.post("processus/{id}/suivre", .signedIn) { _, context in
            let account = try context.requireAccount()
            let follow = context.form["suivre"] != "0"
            let following = try await call.ask(FollowProcess(processID: try context.requiredID(), accountID: account.id, follow: follow))
            let path = "/processus/\(following.processID.uuidString.lowercased())"
            return PageRenderer.redirect(to: path, notice: following.following ? ProcessNotice.followed : ProcessNotice.unfollowed)
        }
    }

    private var call: ServiceCall { ServiceCall(web: web) }
}
