import DialogueContracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import ServiceKit

/// The fraud controls of a petition (`/admin/petitions/{id}/fraude`): the signatures held
/// for review over a rate limit (released or invalidated by source), who signed fastest in
/// the last hour, bulk invalidation (previewed, then confirmed with a reason) and the block
/// list. Addresses are personal data: administrators and moderators only; every action is
/// in the audit log.
struct PetitionFraudPages: Sendable {
    let web: WebDependencies

    static let fraudStaff = Access.staff([.administrator, .moderator])

    func register(on admin: SecuredRoutes) {
        admin.get("petitions/{id}/fraude", Self.fraudStaff) { request, context in
            try await page(request, context, id: try context.requiredID(), criteria: Criteria(), errors: FormErrors())
        }
        admin.get("petitions/{id}/fraude/apercu", Self.fraudStaff) { request, context in try await preview(request, context) }
        admin.post("petitions/{id}/fraude/invalidation", Self.fraudStaff) { request, context in try await invalidate(request, context) }
        admin.post("petitions/{id}/fraude/blocage", Self.fraudStaff) { request, context in try await block(request, context) }
        admin.post("petitions/{id}/fraude/deblocage", Self.fraudStaff) { request, context in try await unblock(request, context) }
        admin.post("petitions/{id}/fraude/retenues", Self.fraudStaff) { request, context in try await reviewHeld(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    /// The criteria of a bulk invalidation as typed (dates as `datetime-local`, Paris time).
    struct Criteria {
        var address = ""
        var domain = ""
        var from = ""
        var until = ""
        var reason = ""

        init() {}

        init(_ read: (String) -> String?) {
            address = read("ip") ?? ""
            domain = read("domaine") ?? ""
            from = read("du") ?? ""
            until = read("au") ?? ""
            reason = read("raison") ?? ""
        }

        /// The selection, or the errors of the fields (checked again by the service).
        func selection(of petition: UUID, errors: inout FormErrors) -> SignatureSelection? {
            let from = from.isEmpty ? nil : PetitionFraudPages.parisDateTime(from)
            let until = until.isEmpty ? nil : PetitionFraudPages.parisDateTime(until)
            if !self.from.isEmpty, from == nil { errors.add("du", "Indiquez le début de la période sous la forme jj/mm/aaaa hh:mm.") }
            if !self.until.isEmpty, until == nil { errors.add("au", "Indiquez la fin de la période sous la forme jj/mm/aaaa hh:mm.") }
            if address.isEmpty, domain.isEmpty, self.from.isEmpty, self.until.isEmpty {
                errors.add("ip", "Choisissez au moins un critère : adresse IP, domaine ou période.")
            }
            guard errors.isEmpty else { return nil }
            return SignatureSelection(petitionID: petition, clientAddress: address.nilIfEmpty, emailDomain: domain.nilIfEmpty, from: from, until: until)
        }

        var query: String {
            var components = URLComponents()
            components.queryItems = [("ip", address), ("domaine", domain), ("du", from), ("au", until)]
                .filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) }
            return components.percentEncodedQuery ?? ""
        }
    }

    /// `2026-11-21T14:30` (seconds optional) read as Paris time, as a `datetime-local` field sends it.
    static func parisDateTime(_ text: String) -> Date? {
        let numbers = text.split(omittingEmptySubsequences: false) { "-T:".contains($0) }.map { Int($0) }
        guard (5...6).contains(numbers.count), text.count <= 19 else { return nil }
        let fields = numbers.compactMap { $0 }
        guard fields.count == numbers.count else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        let wanted = DateComponents(year: fields[0], month: fields[1], day: fields[2], hour: fields[3], minute: fields[4], second: fields.count > 5 ? fields[5] : 0)
        guard let date = calendar.date(from: wanted) else { return nil }
        // 2026-02-31 would roll over to March: refuse what does not read back the same.
        let read = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard read.year == wanted.year, read.month == wanted.month, read.day == wanted.day, read.hour == wanted.hour, read.minute == wanted.minute
        else { return nil }
        return date
    }

    /// The service's field names, as this page's form names them.
    /// The fields of the invalidation forms, by the contract's names.
    private static let selectionFields = FormFieldNames(["domain": "domaine", "from": "du", "reason": "raison", "value": "valeur"], otherwise: "ip")
    /// The fields of the block-list form.
    private static let blockFields = FormFieldNames(["reason": "motif"], otherwise: "valeur")

    // MARK: The page

    private func page(
        _ request: Request, _ context: WebContext, id: UUID, criteria: Criteria, errors: FormErrors,
        preview: InvalidationPreview? = nil, blockForm: FormFields = FormFields(), heldForm: PetitionFraudPage.HeldForm? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let petition = try await call.ask(GetPetitionForStaff(petitionID: id)).petition
        let overview = try await call.ask(GetFraudOverview(petitionID: id))
        let model = PetitionFraudPage(
            petition: petition, overview: overview, criteria: criteria, errors: errors, preview: preview, blockForm: blockForm,
            heldForm: heldForm
        )
        let title = Page.title("Contrôle des signatures – \(petition.title)", hasErrors: !errors.isEmpty)
        return web.render(Page("admin-petition-fraud", title: title, status: status, model: model), request, context)
    }

    static func kindLabel(_ kind: BlockListEntry.Kind) -> String {
        switch kind {
        case .clientAddress: "Adresse IP ou réseau"
        case .domain: "Domaine"
        case .email: "Adresse électronique"
        }
    }

    // MARK: Bulk invalidation

    private func preview(_ request: Request, _ context: WebContext) async throws -> Response {
        let id = try context.requiredID()
        let parameters = request.uri.queryParameters
        let criteria = Criteria { parameters.get($0).map { $0.trimmingCharacters(in: .whitespaces) } }
        var errors = FormErrors()
        guard let selection = criteria.selection(of: id, errors: &errors) else {
            return try await page(request, context, id: id, criteria: criteria, errors: errors, status: .unprocessableContent)
        }
        do {
            let preview = try await call.ask(PreviewInvalidation(selection: selection))
            return try await page(request, context, id: id, criteria: criteria, errors: errors, preview: preview)
        } catch let error as APIError where error.status == .badRequest {
            errors.add(error, in: Self.selectionFields)
            return try await page(request, context, id: id, criteria: criteria, errors: errors, status: .unprocessableContent)
        }
    }

    private func invalidate(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        let form = context.form
        let criteria = Criteria { form[$0] }
        var errors = FormErrors()
        let selection = criteria.selection(of: id, errors: &errors)
        let reason = criteria.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(5...1000).contains(reason.count) { errors.add("raison", "Indiquez la raison de l'invalidation (5 à 1 000 caractères).") }
        guard let selection, errors.isEmpty else {
            // The preview is shown again with its figures, and the reason to correct.
            var preview: InvalidationPreview?
            if let selection { preview = try await call.ask(PreviewInvalidation(selection: selection)) }
            return try await page(request, context, id: id, criteria: criteria, errors: errors, preview: preview, status: .unprocessableContent)
        }
        do {
            // Audited by the petitions service, in the transaction that invalidates them.
            _ = try await call.ask(InvalidateSignatures(selection: selection, reason: reason, staffID: account.id, staffName: account.shownName))
        } catch let error as APIError where error.status == .badRequest {
            errors.add(error, in: Self.selectionFields)
            return try await page(request, context, id: id, criteria: criteria, errors: errors, status: .unprocessableContent)
        }
        return PageRenderer.redirect(to: "/admin/petitions/\(id.uuidString.lowercased())/fraude", notice: PetitionNotice.signaturesInvalidated)
    }

    // MARK: Held signatures

    static func agentLabel(_ agent: UserAgentClass) -> String {
        switch agent {
        case .browser: "Navigateur (formulaire du site)"
        case .api: "Application (API)"
        case .script: "Outil ou script automatique"
        case .unknown: "Logiciel non indiqué"
        }
    }

    static func ruleLabel(_ rule: String) -> String {
        switch rule {
        case "signature-burst": "rafale depuis une adresse"
        case "signature-sustained": "volume horaire d'une adresse"
        case "signature-domain": "volume d'un domaine de messagerie"
        default: rule
        }
    }

    /// Releases or invalidates the held signatures of one source: one decision for all of
    /// them, recorded by the petitions service and in the audit log.
    private func reviewHeld(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        let form = context.form
        guard let agent = form["agent"].flatMap(UserAgentClass.init(rawValue:)),
              let decision = form["decision"].flatMap(ReviewHeldSignatures.Decision.init(rawValue:))
        else {
            throw HTTPError(.badRequest, message: "Source ou décision inconnue.")
        }
        let network = form["reseau"]?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        let source = HeldSignatureSource(network: network, agent: agent)
        let reason = (form["raison"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let field = PetitionFraudPage.heldFieldID(source)
        var errors = FormErrors()
        if decision == .invalidate, !(5...1000).contains(reason.count) {
            errors.add(field, "Indiquez la raison de l'invalidation (5 à 1 000 caractères).")
        } else if reason.count > 1000 {
            errors.add(field, "La note ne peut dépasser 1 000 caractères.")
        }
        let heldForm = PetitionFraudPage.HeldForm(source: source, reason: reason)
        guard errors.isEmpty else {
            return try await page(request, context, id: id, criteria: Criteria(), errors: errors, heldForm: heldForm, status: .unprocessableContent)
        }
        let done: HeldSignatureReview
        do {
            done = try await call.ask(ReviewHeldSignatures(
                petitionID: id, source: source, decision: decision, reason: reason, staffID: account.id, staffName: account.shownName
            ))
        } catch let error as APIError where error.status == .badRequest || error.status == .conflict {
            errors.add(field, error.message)
            return try await page(request, context, id: id, criteria: Criteria(), errors: errors, heldForm: heldForm, status: .unprocessableContent)
        }
        let notice: PetitionNotice = done.signatures == 0 ? .heldNone : decision == .release ? .heldReleased : .heldInvalidated
        return PageRenderer.redirect(to: "/admin/petitions/\(id.uuidString.lowercased())/fraude", notice: notice)
    }

    // MARK: Block list

    private func block(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        let form = context.form
        var errors = FormErrors()
        let kind = form["type"].flatMap(BlockListEntry.Kind.init(rawValue:))
        let value = form["valeur"] ?? ""
        let reason = form["motif"] ?? ""
        if value.isEmpty { errors.add("valeur", "Indiquez l'adresse IP, le domaine ou l'adresse électronique à bloquer.") }
        if reason.count < 5 { errors.add("motif", "Indiquez la raison du blocage (5 à 500 caractères).") }
        guard let kind, errors.isEmpty else {
            if kind == nil { errors.add("type", "Choisissez ce que vous bloquez.") }
            return try await page(request, context, id: id, criteria: Criteria(), errors: errors, blockForm: form, status: .unprocessableContent)
        }
        do {
            // Audited by the petitions service, in the transaction that adds it.
            _ = try await call.ask(AddToBlockList(kind: kind, value: value, reason: reason, staffName: account.shownName, staffID: account.id))
        } catch let error as APIError where error.status == .badRequest {
            errors.add(error, in: Self.blockFields)
            return try await page(request, context, id: id, criteria: Criteria(), errors: errors, blockForm: form, status: .unprocessableContent)
        }
        return PageRenderer.redirect(to: "/admin/petitions/\(id.uuidString.lowercased())/fraude", notice: PetitionNotice.blocked)
    }

    private func unblock(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        guard let kind = context.form["type"].flatMap(BlockListEntry.Kind.init(rawValue:)), let value = context.form["valeur"] else {
            throw HTTPError(.badRequest, message: "Entrée de la liste de blocage inconnue.")
        }
        // Audited by the petitions service, in the transaction that removed it.
        _ = try await call.ask(RemoveFromBlockList(kind: kind, value: value, staffID: account.id, staffName: account.shownName))
        return PageRenderer.redirect(to: "/admin/petitions/\(id.uuidString.lowercased())/fraude", notice: PetitionNotice.unblocked)
    }
}
