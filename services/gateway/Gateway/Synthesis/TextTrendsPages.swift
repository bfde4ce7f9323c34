import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import Wording

/// `/admin/synthese`: one GET form (a source — whole, or one consultation, theme or forum —
/// and a period, works without script) and the trends of that period as tables, every trend
/// linking to the texts behind it.
struct TextTrendsPages: Sendable {
    let web: WebDependencies

    /// Those who read results and reports.
    static let readers = Access.staff([.administrator, .staff, .analyst])

    func register(on admin: SecuredRoutes) {
        admin.get("synthese", Self.readers) { request, context in try await trends(request, context) }
    }

    enum Field {
        static let source = "source"
        static let from = "du"
        static let until = "au"
    }

    /// The period shown when none is asked: the last eight weeks, today included.
    static let defaultDays = 56

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        return calendar
    }()

    /// « 2026-11-02 » as the start of that day in Paris, or nil.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        // Reject 2026-02-31 rather than letting the calendar roll it over to March.
        guard let date = calendar.date(from: components),
            calendar.dateComponents([.year, .month, .day], from: date) == components
        else { return nil }
        return date
    }

    static func dayText(_ date: Date) -> String {
        let components = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", components.year ?? 0, components.month ?? 0, components.day ?? 0)
    }

    private func trends(_ request: Request, _ context: WebContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        var errors = FormErrors()
        let today = Self.calendar.startOfDay(for: Date())

        var selection = TextSelection(source: .petitions)
        if let text = parameters.get(Field.source), !text.isEmpty {
            if let chosen = TextSelection(value: text) { selection = chosen } else {
                errors.add(Field.source, "Choisissez une source dans la liste.")
            }
        }
        let source = selection.source
        let scopes = try await ServiceCall(web: web).ask(ListTextScopes()).scopes
        func date(_ name: String, default fallback: Date) -> Date? {
            guard let text = parameters.get(name), !text.isEmpty else { return fallback }
            guard let date = Self.day(text) else {
                errors.add(name, "Saisissez une date au format AAAA-MM-JJ, par exemple \(Self.dayText(today)).")
                return nil
            }
            return date
        }
        let until = date(Field.until, default: today)
        let from = date(Field.from, default: Self.calendar.date(byAdding: .day, value: 1 - Self.defaultDays, to: until ?? today) ?? today)
        if let from, let until, from > until {
            errors.add(Field.until, "La date de fin doit être le jour de début ou après.")
        }

        var trends: TextTrendsView?
        if errors.isEmpty, let from, let until, let end = Self.calendar.date(byAdding: .day, value: 1, to: until) {
            do {
                trends = try await ServiceCall(web: web).ask(GetTextTrends(
                    source: source, from: from, until: end, scopeID: selection.scopeID, theme: selection.theme
                ))
            } catch let error as APIError where error.status == .unprocessableContent || error.status == .badRequest {
                errors.add(error.field == "from" ? Field.from : Field.until, error.message)
            }
        }

        let model = TextTrendsPage(
            errors: errors.summary,
            sourceSelect: TrendsSelect(
                name: Field.source, label: "Textes analysés",
                choices: TextSelection.choices(scopes: scopes, wholeSources: TextSource.allCases, themes: true, selected: selection),
                error: errors[Field.source]
            ),
            fromField: FormField(
                name: Field.from, label: "Du", type: "date", value: parameters.get(Field.from) ?? from.map(Self.dayText),
                hint: "Format AAAA-MM-JJ.", error: errors[Field.from]
            ),
            untilField: FormField(
                name: Field.until, label: "Au (inclus)", type: "date", value: parameters.get(Field.until) ?? until.map(Self.dayText),
                hint: "Format AAAA-MM-JJ.", error: errors[Field.until]
            ),
            results: trends.map { TrendsResults($0, sourceLabel: selection.frenchName(among: scopes)) }
        )
        let title = Page.title("Tendances des textes", hasErrors: !errors.isEmpty)
        return web.render(Page("admin-synthesis", title: title, status: errors.isEmpty ? .ok : .unprocessableContent, model: model), request, context)
    }
}
