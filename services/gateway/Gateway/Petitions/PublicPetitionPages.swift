import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// The public petition pages: the list (`/petitions`) and one petition (`/petitions/{id}`)
/// with its progress, its signatures by département and by day. A petition's page is read
/// through a short-lived cache: at a peak, refreshes do not reach the petitions service.
struct PublicPetitionPages: Sendable {
    let web: WebDependencies
    let caches: PetitionCaches

    static let pageSize = 20

    func register(on pages: SecuredRoutes) {
        pages.get("petitions", .everyone) { request, context in try await list(request, context) }
        pages.get("petitions/{id}", .everyone) { request, context in try await petition(request, context, attempt: nil) }
        pages.get("petitions/{id}/chiffres.json", .everyone) { _, context in try await figures(context, as: .json) }
        pages.get("petitions/{id}/departements.csv", .everyone) { _, context in try await figures(context, as: .placesCSV) }
        pages.get("petitions/{id}/jours.csv", .everyone) { _, context in try await figures(context, as: .daysCSV) }
        registerSigning(on: pages)
    }

    var call: ServiceCall { ServiceCall(web: web) }

    // MARK: List

    private func list(_ request: Request, _ context: WebContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let selection: ListPetitions.Selection = parameters.get("etat") == "closes" ? .closed : .open
        let order: ListPetitions.Order = switch parameters.get("tri") {
        case "recentes": .newest
        case "fin": .closingSoon
        default: .mostSigned
        }
        let words = parameters.get("q").map { String($0.trimmingCharacters(in: .whitespaces).prefix(200)) }.flatMap { $0.isEmpty ? nil : $0 }
        let page = max(1, min(parameters.get("page", as: Int.self) ?? 1, 500))
        let listing = ListPetitions(selection: selection, order: order, words: words, offset: (page - 1) * Self.pageSize, limit: Self.pageSize)
        let key = "\(selection.rawValue)|\(order.rawValue)|\(page)|\(words ?? "")"
        let result = try await caches.lists.value(for: key) { try await call.ask(listing) }
        func link(page: Int) -> String {
            var components = URLComponents()
            components.queryItems = [
                URLQueryItem(name: "etat", value: selection == .closed ? "closes" : "ouvertes"),
                URLQueryItem(name: "tri", value: order == .newest ? "recentes" : order == .closingSoon ? "fin" : "signatures"),
            ] + (words.map { [URLQueryItem(name: "q", value: $0)] } ?? []) + [URLQueryItem(name: "page", value: String(page))]
            return "/petitions?" + (components.percentEncodedQuery ?? "")
        }
        let pages = (result.total + Self.pageSize - 1) / Self.pageSize
        let model = PetitionListPage(
            words: words, openSelected: selection == .open, closedSelected: selection == .closed,
            mostSigned: order == .mostSigned, newest: order == .newest, closingSoon: order == .closingSoon,
            total: result.total, plural: result.total > 1, empty: result.items.isEmpty,
            items: result.items.map(PetitionListPage.Item.init),
            previous: page > 1 ? link(page: page - 1) : nil,
            next: page < pages ? link(page: page + 1) : nil,
            pageInfo: pages > 1 ? "Page \(page) sur \(pages)" : nil
        )
        let title = words.map { "Pétitions : « \($0) »" } ?? "Pétitions"
        return web.render(Page("petitions", title: title, model: model), request, context)
    }

    // MARK: One petition

    private func detail(_ context: WebContext) async throws -> PetitionDetail {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw HTTPError(.notFound) }
        return try await caches.details.value(for: id) { try await call.ask(GetPetitionDetail(petitionID: id)) }
    }

    /// The page of a petition; with a signing attempt, the form shows its errors (422).
    func petition(_ request: Request, _ context: WebContext, attempt: SigningAttempt?) async throws -> Response {
        let detail = try await detail(context)
        let id = detail.petition.id
        let petition = detail.petition
        let pageURL = web.links.url(.petition(id))
        let model = PetitionPage(
            detail, signing: await signingSection(petition, context, attempt: attempt), shareLinks: Self.shareLinks(url: pageURL, title: petition.title)
        )
        let title = Page.title(petition.title, hasErrors: !(attempt?.errors.isEmpty ?? true))
        return web.render(Page("petition", title: title, status: attempt == nil ? .ok : .unprocessableContent, model: model), request, context)
    }

    // MARK: Open figures

    enum FigureFormat {
        case json, placesCSV, daysCSV
    }

    /// The counts anyone may reuse (no personal data): by département and by day.
    private func figures(_ context: WebContext, as format: FigureFormat) async throws -> Response {
        let detail = try await detail(context)
        let slug = detail.petition.id.uuidString.lowercased()
        func placeName(_ code: String?) -> String { code.flatMap { Region.departements[$0] } ?? "Hors Hauts-de-France" }
        let body: String
        let type: String
        let file: String
        switch format {
        case .json:
            struct Figures: Encodable {
                struct Place: Encodable { let departement: String?; let name: String; let signatures: Int }
                struct Day: Encodable { let day: String; let signatures: Int }
                let petition: UUID, title: String, signatures: Int, threshold: Int, status: PetitionStatus
                let byDepartement: [Place], byDay: [Day]
            }
            let figures = Figures(
                petition: detail.petition.id, title: detail.petition.title, signatures: detail.petition.signatureCount,
                threshold: detail.petition.threshold, status: detail.petition.status,
                byDepartement: detail.byPlace.map { .init(departement: $0.departement, name: placeName($0.departement), signatures: $0.count) },
                byDay: detail.byDay.map { .init(day: $0.day, signatures: $0.count) }
            )
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            body = String(decoding: try encoder.encode(figures), as: UTF8.self)
            (type, file) = ("application/json; charset=utf-8", "petition-\(slug).json")
        case .placesCSV:
            body = (["departement;nom;signatures"] + detail.byPlace.map { "\($0.departement ?? "");\(placeName($0.departement));\($0.count)" })
                .joined(separator: "\r\n") + "\r\n"
            (type, file) = ("text/csv; charset=utf-8", "petition-\(slug)-departements.csv")
        case .daysCSV:
            body = (["jour;signatures"] + detail.byDay.map { "\($0.day);\($0.count)" }).joined(separator: "\r\n") + "\r\n"
            (type, file) = ("text/csv; charset=utf-8", "petition-\(slug)-jours.csv")
        }
        return Response(
            status: .ok,
            headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(file)\"", .cacheControl: "public, max-age=60"],
            body: .init(byteBuffer: ByteBuffer(string: body))
        )
    }

    /// "2026-11-21" → "21 novembre 2026".
    static func frenchDay(_ day: String) -> String {
        guard let date = try? Date("\(day)T12:00:00Z", strategy: .iso8601) else { return day }
        return FrenchDate.day(date)
    }

    /// Plain links (no script, no tracker): mail, and the share pages of the usual networks.
    static func shareLinks(url: String, title: String) -> [PetitionPage.Link] {
        func encoded(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
        }
        let text = "Pétition : \(title)"
        return [
            .init(label: "Par courriel", url: "mailto:?subject=\(encoded(text))&body=\(encoded(url))"),
            .init(label: "Sur Facebook", url: "https://www.facebook.com/sharer/sharer.php?u=\(encoded(url))"),
            .init(label: "Sur X", url: "https://x.com/intent/post?url=\(encoded(url))&text=\(encoded(text))"),
            .init(label: "Sur LinkedIn", url: "https://www.linkedin.com/sharing/share-offsite/?url=\(encoded(url))"),
            .init(label: "Sur Mastodon", url: "https://mastodonshare.com/?url=\(encoded(url))&text=\(encoded(text))"),
        ]
    }
}

/// Signatures per day as an SVG bar chart drawn on the server (no script), described for
/// screen readers; the same figures are in a table next to it.
struct SignatureChart {
    let days: [PetitionDetail.DayCount]

    static let width = 600
    static let height = 160

    /// What the template draws; nil without any day to show.
    var model: Model? {
        guard !days.isEmpty else { return nil }
        let maximum = max(days.map(\.count).max() ?? 0, 1)
        let slot = Double(Self.width) / Double(days.count)
        let bars = days.enumerated().map { index, day -> Model.Bar in
            let height = Double(day.count) / Double(maximum) * Double(Self.height - 20)
            return Model.Bar(
                x: String(format: "%.1f", Double(index) * slot + slot * 0.1),
                y: String(format: "%.1f", Double(Self.height) - height),
                width: String(format: "%.1f", slot * 0.8),
                height: String(format: "%.1f", height)
            )
        }
        let total = days.map(\.count).reduce(0, +)
        let best = days.max { $0.count < $1.count }
        return Model(
            width: Self.width, height: Self.height, bars: bars,
            description: "Signatures par jour sur \(days.count) jours, \(total) au total"
                + (best.map { $0.count > 0 ? ", au plus \($0.count) le \(PublicPetitionPages.frenchDay($0.day))" : "" } ?? "") + "."
        )
    }

    /// The chart as the `petition` template draws it.
    struct Model {
        struct Bar {
            let x: String
            let y: String
            let width: String
            let height: String
        }

        let width: Int
        let height: Int
        let bars: [Bar]
        let description: String
    }
}
