import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// A survey's responses for staff, as CSV with its codebook or as JSON, streamed: the survey
/// service answers one page of responses at a time (keyset on the response id) and each page
/// is written to the response body as it arrives, so the gateway holds one page, never the
/// whole survey. The export holds no personal field (no account, no address); the survey
/// service puts each export in its staff audit.
struct StaffSurveyExports: Sendable {
    let web: WebDependencies
    /// Responses per page the service is asked for: a few megabytes of messages.
    var pageSize = 2_000

    func register(on admin: SecuredRoutes) {
        admin.get("enquetes/{id}/reponses.csv", StaffSurveyPages.surveyStaff) { _, context in try await export(context, as: .csv) }
        admin.get("enquetes/{id}/reponses.json", StaffSurveyPages.surveyStaff) { _, context in try await export(context, as: .json) }
        admin.get("enquetes/{id}/dictionnaire.csv", StaffSurveyPages.surveyStaff) { _, context in try await codebook(context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    enum Format: String {
        case csv, json
    }

    private func codebook(_ context: WebContext) async throws -> Response {
        let survey = try await call.ask(GetSurvey(surveyID: try context.requiredID()))
        return Response(
            status: .ok, headers: Self.headers(type: "text/csv; charset=utf-8", file: "enquete-\(survey.id.uuidString.lowercased())-dictionnaire.csv"),
            body: ResponseBody(byteBuffer: ByteBuffer(string: SurveyExportLayout(survey.definition).codebook))
        )
    }

    private func export(_ context: WebContext, as format: Format) async throws -> Response {
        let account = try context.requireAccount()
        let survey = try await call.ask(GetSurvey(surveyID: try context.requiredID()))
        let request = ListSurveyResponsesForExport(
            surveyID: survey.id, limit: pageSize, format: format.rawValue, staffID: account.id, staffName: account.shownName
        )
        // The first page is asked for before answering: it records the export in the audit,
        // and a failure still gets a proper error page rather than a cut file.
        let first = try await call.ask(request)
        let call = self.call
        let layout = SurveyExportLayout(survey.definition)

        let body = ResponseBody { writer in
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            try await writer.write(ByteBuffer(string: format == .csv ? CSV.byteOrderMark + layout.header : "["))
            var current = first
            var isFirstResponse = true
            while true {
                var chunk = ByteBuffer()
                for response in current.responses {
                    switch format {
                    case .csv:
                        chunk.writeString(layout.line(response))
                    case .json:
                        chunk.writeString(isFirstResponse ? "\n" : ",\n")
                        chunk.writeBytes(try encoder.encode(response))
                    }
                    isFirstResponse = false
                }
                try await writer.write(chunk)
                guard let next = current.next else { break }
                var following = request
                following.after = next
                current = try await call.ask(following)
            }
            if format == .json { try await writer.write(ByteBuffer(string: "\n]\n")) }
            try await writer.finish(nil)
        }
        let file = "enquete-\(survey.id.uuidString.lowercased())-reponses.\(format.rawValue)"
        let type = format == .csv ? "text/csv; charset=utf-8" : "application/json"
        return Response(status: .ok, headers: Self.headers(type: type, file: file), body: body)
    }

    private static func headers(type: String, file: String) -> HTTPFields {
        [.contentType: type, .cacheControl: "no-store", .contentDisposition: "attachment; filename=\"\(file)\""]
    }
}
