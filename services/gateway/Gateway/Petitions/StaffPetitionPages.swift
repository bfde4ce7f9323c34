import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// A petition as staff see it (`/admin/petitions/{id}`, the page threshold alerts link to),
/// where they enter signatures collected on paper.
struct StaffPetitionPages: Sendable {
    let web: WebDependencies

    static let petitionStaff = Access.staff([.administrator, .staff])
    /// The paper batch form's fields, by the contract's names.
    private static let paperFields = FormFieldNames(["names": "noms", "place": "lieu", "collected_on": "date"], otherwise: "nombre")

    func register(on admin: SecuredRoutes) {
        admin.get("petitions/{id}", Self.petitionStaff) { request, context in
            try await petition(request, context, id: try context.requiredID(), form: FormFields(), errors: FormErrors())
        }
        admin.post("petitions/{id}/papier", Self.petitionStaff) { request, context in try await addPaper(request, context) }
        registerLifecycle(on: admin)
        admin.get("reglages-petitions", .staff([.administrator])) { request, context in
            try await settings(request, context, form: nil, errors: FormErrors())
        }
        admin.post("reglages-petitions", .staff([.administrator])) { request, context in try await saveSettings(request, context) }
        // Personal data: administrators only, and every export is in the audit log.
        admin.get("petitions/{id}/signatures.csv", .staff([.administrator])) { _, context in try await exportSignatures(context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    func petition(
        _ request: Request, _ context: WebContext, id: UUID, form: FormFields, errors: FormErrors, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let view = try await call.ask(GetPetitionForStaff(petitionID: id))
        let model = StaffPetitionPage(
            view, errors: errors.summary,
            canControlFraud: context.account.map { !$0.roles.isDisjoint(with: [.administrator, .moderator]) } ?? false,
            countField: FormField(
                name: "nombre", label: "Nombre de signatures", type: "number", value: form["nombre"], error: errors["nombre"], required: true
            ),
            dayField: FormField(
                name: "date", label: "Date de la collecte", type: "date", value: form["date"], error: errors["date"], required: true
            ),
            placeField: FormField(
                name: "lieu", label: "Lieu de la collecte", value: form["lieu"], hint: "Par exemple : marché d'Abbeville, permanence de Lens.",
                error: errors["lieu"], required: true
            ),
            names: form["noms"], namesError: errors["noms"],
            lifecycle: try await lifecycleSection(of: id, form: form, errors: errors)
        )
        let title = Page.title(view.petition.title, hasErrors: !errors.isEmpty)
        return web.render(Page("admin-petition", title: title, status: status, model: model), request, context)
    }

    private func addPaper(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        let form = context.form
        var errors = FormErrors()
        let count = form["nombre"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        if count == nil || !(1...100_000).contains(count!) { errors.add("nombre", "Indiquez un nombre de signatures de 1 à 100 000.") }
        let day = form["date"].flatMap { try? Date("\($0)T12:00:00Z", strategy: .iso8601) }
        if day == nil { errors.add("date", "Indiquez la date de la collecte (jj/mm/aaaa).") }
        let place = (form["lieu"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !(2...200).contains(place.count) { errors.add("lieu", "Indiquez le lieu de la collecte (200 caractères au plus).") }
        let names = (form["noms"] ?? "").components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard errors.isEmpty, let count, let day else {
            return try await petition(request, context, id: id, form: form, errors: errors, status: .unprocessableContent)
        }
        do {
            _ = try await call.ask(AddPaperSignatures(
                petitionID: id, count: count, collectedOn: day, place: place, names: names, staffID: account.id, staffName: account.shownName
            ))
        } catch let error as APIError where [.unprocessableContent, .badRequest, .conflict].contains(error.status) {
            errors.add(error, in: Self.paperFields)
            return try await petition(request, context, id: id, form: form, errors: errors, status: error.status == .conflict ? .conflict : .unprocessableContent)
        }
        return PageRenderer.redirect(to: SitePath.staffPetition(id).path, notice: PetitionNotice.paperAdded)
    }

    /// The signatures as CSV, streamed page by page: a petition with hundreds of thousands
    /// of signatures never sits whole in the gateway's memory nor in one message.
    private func exportSignatures(_ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        let petition = try await call.ask(GetPetitionForStaff(petitionID: id))
        try await AuditLog.record(
            actor: account, action: "petition.signatures_exported", objectType: "petition", objectID: id.uuidString.lowercased(),
            details: ["signatures": String(petition.petition.signatureCount - petition.paperCount)], client: web.database, logger: web.logger
        )
        let call = self.call
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: CSV.byteOrderMark + CSV.line(["nom", "adresse", "code_postal", "departement", "signee_le"])))
            var after: UUID?
            repeat {
                let page = try await call.ask(ListSignaturesForExport(petitionID: id, after: after, limit: 2000))
                var chunk = ""
                for row in page.rows {
                    chunk += CSV.line([row.name, row.email, row.postcode, row.departement ?? "", row.signedAt.ISO8601Format()])
                }
                try await writer.write(ByteBuffer(string: chunk))
                after = page.next
            } while after != nil
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"signatures-\(id.uuidString.lowercased()).csv\"",
            ],
            body: body
        )
    }

    // MARK: Settings

    private func settings(_ request: Request, _ context: WebContext, form: FormFields?, errors: FormErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let current = try await call.ask(GetPetitionSettings())
        let model = PetitionSettingsPage(
            errors: errors.summary,
            thresholdField: FormField(
                name: "seuil", label: "Seuil de saisine (signatures)", type: "number", value: form?["seuil"] ?? String(current.defaultThreshold),
                hint: "Chaque pétition garde le seuil en vigueur le jour de son ouverture.", error: errors["seuil"], required: true
            ),
            daysField: FormField(
                name: "duree", label: "Durée de collecte (jours)", type: "number", value: form?["duree"] ?? String(current.collectionDays),
                hint: "De 7 à 1 095 jours, comptés depuis l'ouverture.", error: errors["duree"], required: true
            ),
            milestonesField: FormField(
                name: "paliers", label: "Paliers annoncés à l'auteur (% du seuil)",
                value: form?["paliers"] ?? current.milestones.map(String.init).joined(separator: ", "),
                hint: "Jusqu'à 5 pourcentages séparés par des virgules, par exemple 25, 50, 75 ; vide pour aucun. Ils valent pour toutes les pétitions ouvertes.",
                error: errors["paliers"]
            )
        )
        let title = Page.title("Réglages des pétitions", hasErrors: !errors.isEmpty)
        return web.render(Page("admin-petition-settings", title: title, status: status, model: model), request, context)
    }

    private func saveSettings(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = context.form
        var errors = FormErrors()
        let threshold = form["seuil"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        if threshold == nil || !(1...10_000_000).contains(threshold!) { errors.add("seuil", "Le seuil de saisine va de 1 à 10 000 000 signatures.") }
        let days = form["duree"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        if days == nil || !(7...1095).contains(days!) { errors.add("duree", "La durée de collecte va de 7 à 1 095 jours.") }
        let milestoneTexts = (form["paliers"] ?? "").split { $0 == "," || $0 == ";" || $0 == " " }.map { $0.replacingOccurrences(of: "%", with: "") }.filter { !$0.isEmpty }
        let milestones = milestoneTexts.compactMap { Int($0) }
        if milestones.count != milestoneTexts.count || milestones.count > 5 || !milestones.allSatisfy({ (1...99).contains($0) }) {
            errors.add("paliers", "Indiquez au plus 5 paliers, chacun de 1 à 99 (% du seuil), séparés par des virgules.")
        }
        guard errors.isEmpty, let threshold, let days else {
            return try await settings(request, context, form: form, errors: errors, status: .unprocessableContent)
        }
        // Audited by the petitions service, in the transaction that saved them.
        _ = try await call.ask(SavePetitionSettings(
            settings: PetitionSettings(defaultThreshold: threshold, collectionDays: days, milestones: milestones), staffName: account.shownName,
            staffID: account.id
        ))
        return PageRenderer.redirect(to: "/admin/reglages-petitions", notice: PetitionNotice.settingsSaved)
    }
}
