import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import Wording

/// The lifecycle part of a petition's staff page: its history, the assembly's answer, and
/// a form for each step its status allows (refer, answer, close). Each step is audited by the
/// petitions service, in the transaction of the change.
extension StaffPetitionPages {
    func registerLifecycle(on admin: SecuredRoutes) {
        admin.post("petitions/{id}/transmission", Self.petitionStaff) { request, context in
            try await step(.refer, request, context)
        }
        admin.post("petitions/{id}/reponse", Self.petitionStaff) { request, context in
            try await step(.answer, request, context)
        }
        admin.post("petitions/{id}/cloture", Self.petitionStaff) { request, context in
            try await step(.close, request, context)
        }
    }

    /// The form field each action's errors go to when the service refuses the step as a whole.
    private static func firstField(of action: PetitionStaffAction) -> String {
        switch action {
        case .refer: "precision"
        case .answer: "decision"
        case .close: "motif"
        }
    }

    /// A step's form fields, by the contract's names; a refusal naming none goes to the step's first field.
    private static func formFields(of action: PetitionStaffAction) -> FormFieldNames {
        FormFieldNames(["text": "reponse", "report_url": "rapport", "reason": "motif", "note": "precision"], otherwise: firstField(of: action))
    }

    /// The lifecycle's section of the staff page, with the submitted form kept.
    func lifecycleSection(of petitionID: UUID, form: FormFields, errors: FormErrors) async throws -> PetitionLifecycleSection {
        let lifecycle = try await ServiceCall(web: web).ask(GetPetitionLifecycle(petitionID: petitionID))
        let actions = PetitionStaffAction.allowed(from: lifecycle.status)
        var section = PetitionLifecycleSection(lifecycle, noAction: actions.isEmpty)
        if actions.contains(.refer) {
            section.referForm = .init(field: FormField(
                name: "precision", label: "Précision (facultative)", value: form["precision"],
                hint: "Par exemple : la commission et la séance qui examineront la pétition. Elle est communiquée à l'auteur.",
                error: errors["precision"], rows: 3
            ))
        }
        if actions.contains(.answer) {
            let chosen = form["decision"]
            section.answerForm = .init(
                decisions: PetitionDecision.allCases.map { .init(value: $0.rawValue, label: $0.frenchLabel, checked: $0.rawValue == chosen) },
                text: FormField(
                    name: "reponse", label: "Texte de la réponse officielle", value: form["reponse"],
                    hint: "De 10 à 20 000 caractères ; publié sur la page de la pétition. Une ligne vide sépare les paragraphes.",
                    error: errors["reponse"], required: true, rows: 10
                ),
                report: FormField(
                    name: "rapport", label: "Lien vers le rapport ou l'avis (facultatif)", type: "url", value: form["rapport"],
                    hint: "Une adresse web complète, par exemple https://ceser.hautsdefrance.fr/…", error: errors["rapport"]
                ),
                decisionError: errors["decision"]
            )
        }
        if actions.contains(.close) {
            let early = PetitionStaffAction.closingNeedsReason(from: lifecycle.status)
            section.closeForm = .init(early: early, field: FormField(
                name: "motif", label: early ? "Motif de la clôture anticipée" : "Note (facultative)", value: form["motif"],
                hint: early
                    ? "La pétition cesse de recueillir des signatures. Le motif (10 à 2 000 caractères) est communiqué à l'auteur."
                    : "Le parcours de la pétition est terminé : elle reste consultable.",
                error: errors["motif"], required: early, rows: 3
            ))
        }
        return section
    }

    /// Runs one step: checked here first (so the page answers at once), then by the service,
    /// which alone knows the current status. A refusal re-shows the page with what was typed.
    private func step(_ action: PetitionStaffAction, _ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        let form = context.form
        var errors = FormErrors()
        func trimmed(_ name: String) -> String? {
            form[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        /// An optional note, with an error past the limit both notes share.
        func note(_ name: String, _ what: String) -> String? {
            let text = trimmed(name)
            if (text?.count ?? 0) > PetitionLifecycleLimits.note.upperBound { errors.add(name, "\(what) compte 2 000 caractères au plus.") }
            return text
        }
        let call = ServiceCall(web: web)
        do {
            switch action {
            case .refer:
                let note = note("precision", "La précision")
                guard errors.isEmpty else { break }
                _ = try await call.ask(ReferPetition(petitionID: id, note: note, staffID: account.id, staffName: account.shownName))
            case .answer:
                let decision = form["decision"].flatMap(PetitionDecision.init(rawValue:))
                if decision == nil { errors.add("decision", "Choisissez la décision de l'assemblée.") }
                let text = trimmed("reponse") ?? ""
                if !PetitionLifecycleLimits.answerText.contains(text.count) {
                    errors.add("reponse", "Le texte de la réponse doit compter entre 10 et 20 000 caractères.")
                }
                let link = trimmed("rapport")
                if let link, !PetitionLifecycleLimits.isReportURL(link) {
                    errors.add("rapport", "Le lien vers le rapport doit être une adresse web complète (https://…).")
                }
                guard errors.isEmpty, let decision else { break }
                _ = try await call.ask(AnswerPetition(
                    petitionID: id, decision: decision, text: text, reportURL: link, staffID: account.id, staffName: account.shownName
                ))
            case .close:
                let reason = note("motif", "Le motif")
                guard errors.isEmpty else { break }
                _ = try await call.ask(ClosePetition(petitionID: id, reason: reason, staffID: account.id, staffName: account.shownName))
            }
        } catch let error as APIError where [.unprocessableContent, .badRequest, .conflict].contains(error.status) {
            errors.add(error, in: Self.formFields(of: action))
            return try await petition(request, context, id: id, form: form, errors: errors, status: error.status == .conflict ? .conflict : .unprocessableContent)
        }
        guard errors.isEmpty else {
            return try await petition(request, context, id: id, form: form, errors: errors, status: .unprocessableContent)
        }
        // Audited by the petitions service, in the transaction of the change.
        let notice: PetitionNotice = switch action {
        case .refer: .petitionReferred
        case .answer: .petitionAnswered
        case .close: .petitionClosed
        }
        return PageRenderer.redirect(to: SitePath.staffPetition(id).path, notice: notice)
    }
}
