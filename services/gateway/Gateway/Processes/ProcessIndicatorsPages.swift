import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// A process's follow-up indicators (seed 003): the public page (`/processus/{id}/indicateurs`),
/// with small numbers of people hidden, and the back-office's (`/admin/processus/{id}/indicateurs`)
/// with exact figures and draft recommendations; each table also as CSV. The JSON API
/// (`/api/v1/processes/{id}/indicators`) reads the same figures.
struct ProcessIndicatorsPages: Sendable {
    let web: WebDependencies

    func register(pages: SecuredRoutes, admin: SecuredRoutes) {
        pages.get("processus/{id}/indicateurs", .everyone) { request, context in
            try await page(request, context, audience: .public)
        }
        pages.get("processus/{id}/indicateurs.csv", .everyone) { _, context in try await csv(context, audience: .public) }
        admin.get("processus/{id}/indicateurs", StaffProcessPages.processStaff) { request, context in
            try await page(request, context, audience: .staff)
        }
        admin.get("processus/{id}/indicateurs.csv", StaffProcessPages.processStaff) { _, context in try await csv(context, audience: .staff) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    private func page(_ request: Request, _ context: WebContext, audience: IndicatorAudience) async throws -> Response {
        let indicators = try await call.ask(GetProcessIndicators(processID: try context.requiredID(), audience: audience))
        let model = ProcessIndicatorsPage(indicators)
        return web.render(Page("process-indicators", title: "Indicateurs de suivi – \(indicators.processTitle)", model: model), request, context)
    }

    private func csv(_ context: WebContext, audience: IndicatorAudience) async throws -> Response {
        let indicators = try await call.ask(GetProcessIndicators(processID: try context.requiredID(), audience: audience))
        let id = indicators.processID.uuidString.lowercased()
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: audience == .staff ? "no-store" : "public, max-age=60",
                .contentDisposition: "attachment; filename=\"indicateurs-\(audience == .staff ? "interne-" : "")\(id).csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: ProcessIndicatorsPage.csv(indicators)))
        )
    }
}
