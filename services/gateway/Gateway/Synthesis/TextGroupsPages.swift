import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import Wording

/// `/admin/synthese/groupes`: one GET form (a consultation, a forum or the petitions, works
/// without script) and the groups of similar texts the reporter finds there, each with its key
/// phrases and representative texts linked, and the near-duplicates proposed for merging.
struct TextGroupsPages: Sendable {
    let web: WebDependencies

    func register(on admin: SecuredRoutes) {
        admin.get("synthese/groupes", TextTrendsPages.readers) { request, context in try await groups(request, context) }
    }

    static let scopeField = "perimetre"

    private func groups(_ request: Request, _ context: WebContext) async throws -> Response {
        var errors = FormErrors()
        let scopes = try await ServiceCall(web: web).ask(ListTextScopes()).scopes
        let asked = request.uri.queryParameters.get(Self.scopeField) ?? ""
        var selection: TextSelection?
        if !asked.isEmpty {
            selection = TextSelection(value: asked)
            if selection == nil || selection?.theme != nil {
                selection = nil
                errors.add(Self.scopeField, "Choisissez une consultation, un forum ou les pétitions dans la liste.")
            }
        }
        let query = selection.map { GetTextGroups(source: $0.source, scopeID: $0.scopeID) }
        var view: TextGroupsView?
        if let query {
            do {
                view = try await ServiceCall(web: web).ask(query)
            } catch let error as APIError where error.status == .unprocessableContent || error.status == .badRequest {
                errors.add(Self.scopeField, error.message)
            }
        }
        var choices = [TrendsChoice(value: "", label: "— Choisir —", selected: selection == nil)]
        choices += TextSelection.choices(scopes: scopes, wholeSources: [.petitions], themes: false, selected: selection)
        let model = TextGroupsPage(
            errors: errors.summary,
            scopeSelect: TrendsSelect(name: Self.scopeField, label: "Textes à regrouper", choices: choices, error: errors[Self.scopeField]),
            results: view.map { TextGroupsResults($0, name: selection?.frenchName(among: scopes) ?? $0.source.frenchLabel) }
        )
        let title = Page.title("Groupes de textes semblables", hasErrors: !errors.isEmpty)
        return web.render(Page("admin-synthesis-groups", title: title, status: errors.isEmpty ? .ok : .unprocessableContent, model: model), request, context)
    }
}

struct TextGroupsPage {
    let errors: ErrorSummary?
    let scopeSelect: TrendsSelect
    let results: TextGroupsResults?
}

/// What the reporter found: a summary, the groups, the near-duplicates.
struct TextGroupsResults {
    let summary: String
    let isEmpty: Bool
    let groups: [TextGroupSection]
    let duplicates: [NearDuplicateRow]
    let hasDuplicates: Bool

    init(_ view: TextGroupsView, name: String) {
        let references = Dictionary(view.documents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func link(_ id: UUID) -> TrendsDocumentLink { TrendsDocumentLink(id, source: view.source, references: references) }
        let texts = view.documentCount == 1 ? "1 texte publié" : "\(view.documentCount) textes publiés"
        let groupCount = view.groups.count == 1 ? "1 groupe" : "\(view.groups.count) groupes"
        summary = "\(name) : \(texts), \(groupCount)."
        isEmpty = view.documentCount == 0
        groups = view.groups.enumerated().map { index, group in
            TextGroupSection(
                id: "groupe-\(index + 1)", number: index + 1, label: group.label,
                size: group.documentIDs.count == 1 ? "1 texte" : "\(group.documentIDs.count) textes",
                phrases: group.keyPhrases.map { phrase in
                    TextGroupPhraseRow(label: phrase.label, count: String(phrase.documentIDs.count), documents: phrase.documentIDs.map(link))
                },
                representatives: group.representativeIDs.map(link), documents: group.documentIDs.map(link)
            )
        }
        let percent = FloatingPointFormatStyle<Double>.Percent.percent.precision(.fractionLength(0)).locale(Locale(identifier: "fr_FR"))
        duplicates = view.nearDuplicates.map { pair in
            NearDuplicateRow(first: link(pair.first), second: link(pair.second), similarity: pair.similarity.formatted(percent))
        }
        hasDuplicates = !duplicates.isEmpty
    }
}

struct TextGroupSection {
    let id: String
    let number: Int
    let label: String
    let size: String
    let phrases: [TextGroupPhraseRow]
    let representatives: [TrendsDocumentLink]
    let documents: [TrendsDocumentLink]
}

struct TextGroupPhraseRow {
    let label: String
    let count: String
    let documents: [TrendsDocumentLink]
}

struct NearDuplicateRow {
    let first: TrendsDocumentLink
    let second: TrendsDocumentLink
    let similarity: String
}
