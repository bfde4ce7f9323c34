import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import Wording

/// Citizens contribute to an open consultation (`/consultations/{id}/contribuer`): a testimony
/// (title, text, optional commune) or a proposal (title, what, why), on one of its themes.
/// Signed in with a confirmed address; the form comes back with a French message next to each
/// field at fault and loses nothing.
struct ContributionPages: Sendable {
    let web: WebDependencies

    /// The contribution form takes a file (`uploads`: multipart, larger body).
    func register(on pages: SecuredRoutes, uploads: SecuredRoutes) {
        pages.get("consultations/{id}/contribuer", .signedIn) { request, context in
            let account = try context.requireAccount()
            let view = try await call.ask(GetConsultation(consultationID: try context.requiredID()))
            guard account.isConfirmed else { return unconfirmedPage(request, context, view: view, status: .ok) }
            let kind = Self.kind(request.uri.queryParameters.get("type"), accepted: view.definition.accepted)
            return formPage(request, context, view: view, draft: ContributionDraft(kind: kind, theme: "", title: "", text: ""), errors: FormErrors())
        }
        uploads.post("consultations/{id}/contribuer", .signedIn) { request, context in try await submit(request, context) }
        pages.post("contributions/{id}/soutien", .signedIn) { request, context in try await support(request, context, withdraw: false) }
        pages.post("contributions/{id}/retrait-soutien", .signedIn) { request, context in try await support(request, context, withdraw: true) }
    }

    /// Supports a proposal, or withdraws the support, then back to the proposal on its page;
    /// a refusal (one's own, closed, withdrawn) is said on a page of its own.
    private func support(_ request: Request, _ context: WebContext, withdraw: Bool) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        // From the contribution's own page, back to it; otherwise to the consultation's list.
        let back = context.form["retour"] == "contribution" ? SitePath.contribution(id).path
            : context.form["consultation"].flatMap(UUID.init(uuidString:)).map { SitePath.consultation($0).path } ?? "/consultations"
        do {
            _ = try await ContributionDesk(call: call).support(id, by: account, withdraw: withdraw)
        } catch let error as APIError where [.unprocessableContent, .badRequest, .conflict, .notFound].contains(error.status) {
            let model = SupportRefusedPage(message: error.message, back: back)
            return web.render(Page("contribution-support-refused", title: "Soutien impossible", status: error.status, model: model), request, context)
        }
        let notice: ConsultationNotice = withdraw ? .supportWithdrawn : .supported
        // The notice's code before the fragment, so the browser returns to the proposal itself.
        return PageRenderer.redirect(to: "\(back)?statut=\(notice.rawValue)#c-\(id.uuidString.lowercased())")
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    /// The kind the page asks for (`temoignage`, `proposition`), or the one the consultation accepts.
    static func kind(_ text: String?, accepted: AcceptedContributions) -> ContributionKind {
        switch text ?? "" {
        case "temoignage" where accepted.accepts(.testimony): .testimony
        case "proposition" where accepted.accepts(.proposal): .proposal
        default: accepted.accepts(.proposal) ? .proposal : .testimony
        }
    }

    static let fieldNames = FormFieldNames(
        Dictionary(uniqueKeysWithValues: ["theme", "title", "text", "reasons", "commune", "attachment", "attachment_description"].map { ($0, $0) }),
        otherwise: "title"
    )

    /// The file attached to the form, as the service takes it; nil when none was chosen.
    static func attachment(in form: FormFields) -> ContributionAttachmentUpload? {
        form.file("attachment").map {
            ContributionAttachmentUpload(filename: $0.filename, description: form.raw("attachment_description"), content: Data($0.content))
        }
    }

    private func submit(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let view = try await call.ask(GetConsultation(consultationID: try context.requiredID()))
        guard account.isConfirmed else { return unconfirmedPage(request, context, view: view, status: .forbidden) }
        let form = context.form
        let kind = form["kind"].flatMap(ContributionKind.init(rawValue:)) ?? Self.kind(nil, accepted: view.definition.accepted)
        let draft = ContributionDraft(
            kind: kind, theme: form["theme"] ?? "", title: form.raw("title") ?? "", text: form.raw("text") ?? "", reasons: form.raw("reasons"),
            commune: form.raw("commune")
        )
        // « Vérifier les contributions similaires » shows the closest ones at any time; the first
        // sending of a proposal shows them too when there are some, so its author may support one
        // of them instead. Nothing typed is lost either way.
        let checking = form["action"] == "verifier"
        let alreadyShown = form["similaires_vus"] == "1"
        // A browser cannot put a file back in a form: when the form comes back, it says which
        // file to choose again (and keeps its description).
        let attachment = Self.attachment(in: form)
        let description = form.raw("attachment_description")
        let chosenAgain = attachment.map { AttachmentChoice(filename: $0.filename, description: description) }
            ?? AttachmentChoice(filename: nil, description: description)
        if checking && draft.kind == .proposal {
            let similar = try await similarContributions(to: draft, in: view, for: account)
            return formPage(
                request, context, view: view, draft: draft, errors: FormErrors(), suggestions: similar, similarSeen: true, attachment: chosenAgain
            )
        }
        var errors = FormErrors()
        for problem in draft.problems { errors.add(Self.fieldNames.formField(for: problem.field), problem.message) }
        if form.fileIsTooLarge("attachment") {
            errors.add("attachment", "Le fichier dépasse 5 Mo : choisissez un fichier plus léger.")
        }
        for problem in attachment?.problems ?? [] { errors.add(Self.fieldNames.formField(for: problem.field), problem.message) }
        guard errors.isEmpty else {
            return formPage(
                request, context, view: view, draft: draft, errors: errors, similarSeen: alreadyShown, status: .unprocessableContent,
                attachment: chosenAgain
            )
        }
        if draft.kind == .proposal && !alreadyShown {
            let similar = try await similarContributions(to: draft, in: view, for: account)
            if !similar.isEmpty {
                return formPage(
                    request, context, view: view, draft: draft, errors: FormErrors(), suggestions: similar, similarSeen: true, attachment: chosenAgain
                )
            }
        }
        do {
            _ = try await ContributionDesk(call: call).submit(draft, to: view.id, by: account, attachment: attachment)
        } catch let error as APIError where [.unprocessableContent, .badRequest, .conflict].contains(error.status) {
            // Closed meanwhile, a kind or theme the consultation refuses: said next to its field.
            errors.add(error, in: Self.fieldNames)
            return formPage(
                request, context, view: view, draft: draft, errors: errors, status: error.status == .conflict ? .conflict : .unprocessableContent,
                attachment: chosenAgain
            )
        }
        let notice: ConsultationNotice = view.definition.moderation == .afterPublication ? .contributionReceived : .contributionInModeration
        return PageRenderer.redirect(to: "\(SitePath.consultation(view.id).path)?statut=\(notice.rawValue)#mes-contributions")
    }

    /// The published contributions closest to the draft (its title, what it proposes and why).
    private func similarContributions(to draft: ContributionDraft, in view: ConsultationView, for account: Account) async throws -> [ContributionItem] {
        let similar = try await call.ask(FindSimilarContributions(
            consultationID: view.id, title: draft.title, text: [draft.text, draft.reasons ?? ""].joined(separator: " "), viewerAccountID: account.id
        ))
        return similar.items.map { ContributionItem($0, themes: view.definition.themes, canSupport: view.status == .open) }
    }

    private func formPage(
        _ request: Request, _ context: WebContext, view: ConsultationView, draft: ContributionDraft, errors: FormErrors,
        suggestions: [ContributionItem]? = nil, similarSeen: Bool = false, status: HTTPResponse.Status = .ok,
        attachment: AttachmentChoice = AttachmentChoice(filename: nil, description: nil)
    ) -> Response {
        var model = ContributionFormPage(view: view, draft: draft, errors: errors, attachment: attachment)
        model.showSuggestions(suggestions, seen: similarSeen)
        let title = Page.title("\(draft.kind == .testimony ? "Apporter un témoignage" : "Faire une proposition") – \(view.definition.title)", hasErrors: !errors.isEmpty)
        return web.render(Page("contribution-new", title: title, status: status, model: model), request, context)
    }

    private func unconfirmedPage(_ request: Request, _ context: WebContext, view: ConsultationView, status: HTTPResponse.Status) -> Response {
        let model = ContributionUnconfirmedPage(id: view.id.uuidString.lowercased(), title: view.definition.title)
        return web.render(Page("contribution-unconfirmed", title: "Adresse électronique à confirmer", status: status, model: model), request, context)
    }
}

/// Submits a contribution for an account: the one path of the site and of the API. The
/// author's public name, département and age band go with it, never their address.
struct ContributionDesk: Sendable {
    let call: ServiceCall

    func submit(
        _ draft: ContributionDraft, to consultationID: UUID, by account: Account, attachment: ContributionAttachmentUpload? = nil
    ) async throws -> ContributionView {
        if let problem = draft.problems.first ?? attachment?.problems.first { throw APIError.invalid(problem.field, problem.message) }
        return try await call.ask(SubmitContribution(
            consultationID: consultationID, draft: draft, authorAccountID: account.id, authorName: account.publicName,
            authorDepartement: account.departement, authorAgeBand: account.ageBand, attachment: attachment
        ))
    }

    func support(_ contributionID: UUID, by account: Account, withdraw: Bool) async throws -> SupportOutcome {
        if withdraw {
            return try await call.ask(WithdrawSupport(contributionID: contributionID, accountID: account.id))
        }
        return try await call.ask(SupportContribution(contributionID: contributionID, accountID: account.id))
    }
}

struct SupportRefusedPage {
    let message: String
    let back: String
}

/// The file field of a form that came back: the file to choose again, and the description kept.
struct AttachmentChoice {
    let filename: String?
    let description: String?
}

struct ContributionUnconfirmedPage {
    let id: String
    let title: String
}

struct ContributionFormPage {
    let id: String
    let consultationTitle: String
    let question: String
    let use: String
    let errors: ErrorSummary?
    let kind: String
    let isTestimony: Bool
    let heading: String
    let otherKindLink: String?
    let otherKindLabel: String?
    let themeError: String?
    let themes: [Choice]
    let titleField: FormField
    let textField: FormField
    let reasonsField: FormField?
    let communeField: FormField?
    /// The attachment's fields (a new contribution only: an edit keeps the file as it is).
    let attachmentField: AttachmentField?

    struct AttachmentField {
        let error: String?
        /// « Choisissez de nouveau le fichier … » when the form came back after one was chosen.
        let chooseAgain: String?
        let descriptionField: FormField
        let maximumSize: String
    }

    let action: String
    let submitLabel: String

    /// The « vérifier les contributions similaires » button (a new proposal only).
    let canCheckSimilar: Bool
    /// The closest published contributions, once asked for (or at a proposal's first sending).
    private(set) var suggestions: [ContributionItem]?
    private(set) var hasSuggestions = false
    /// Whether the section of suggestions shows (saying so when there is none).
    private(set) var showsSuggestions = false
    /// The suggestions were shown: the next sending goes through.
    private(set) var similarSeen = false

    mutating func showSuggestions(_ suggestions: [ContributionItem]?, seen: Bool) {
        self.suggestions = suggestions
        hasSuggestions = suggestions?.isEmpty == false
        showsSuggestions = suggestions != nil
        similarSeen = seen
    }

    init(
        view: ConsultationView, draft: ContributionDraft, errors: FormErrors, editing: UUID? = nil,
        attachment: AttachmentChoice = AttachmentChoice(filename: nil, description: nil)
    ) {
        let definition = view.definition
        id = view.id.uuidString.lowercased()
        action = editing.map { "/contributions/\($0.uuidString.lowercased())/modifier" } ?? "/consultations/\(id)/contribuer"
        submitLabel = editing == nil ? "Envoyer ma contribution" : "Enregistrer les changements"
        canCheckSimilar = editing == nil && draft.kind == .proposal
        consultationTitle = definition.title
        question = definition.question
        use = definition.use
        self.errors = errors.summary
        kind = draft.kind.rawValue
        isTestimony = draft.kind == .testimony
        heading = editing != nil ? "Modifier ma contribution" : isTestimony ? "Apporter un témoignage" : "Faire une proposition"
        if definition.accepted == .both && editing == nil {
            otherKindLink = "/consultations/\(id)/contribuer?type=\(isTestimony ? "proposition" : "temoignage")"
            otherKindLabel = isTestimony ? "Faire plutôt une proposition" : "Apporter plutôt un témoignage"
        } else {
            otherKindLink = nil
            otherKindLabel = nil
        }
        themeError = errors["theme"]
        themes = definition.themes.map { Choice(value: $0.code, label: $0.shownLabel, checked: $0.code == draft.theme) }
        titleField = FormField(
            name: "title", label: "Titre", value: draft.title, hint: "Une phrase courte (3 à 150 caractères).", error: errors["title"], required: true
        )
        if isTestimony {
            textField = FormField(
                name: "text", label: "Votre témoignage", value: draft.text, hint: "Ce que vous vivez au quotidien (10 à 5 000 caractères).",
                error: errors["text"], required: true, rows: 8
            )
            reasonsField = nil
            communeField = FormField(
                name: "commune", label: "Votre commune (facultatif)", value: draft.commune, hint: "Là où se passe ce que vous racontez.",
                error: errors["commune"], autocomplete: "address-level2"
            )
        } else {
            textField = FormField(
                name: "text", label: "Ce que vous proposez", value: draft.text, hint: "Votre idée, votre suggestion (10 à 5 000 caractères).",
                error: errors["text"], required: true, rows: 6
            )
            reasonsField = FormField(
                name: "reasons", label: "Pourquoi", value: draft.reasons, hint: "Ce que cela changerait, pour qui (10 à 5 000 caractères).",
                error: errors["reasons"], required: true, rows: 6
            )
            communeField = nil
        }
        attachmentField = editing != nil ? nil : AttachmentField(
            error: errors["attachment"],
            chooseAgain: attachment.filename.map { "Votre fichier « \($0) » n'a pas encore été envoyé : choisissez-le de nouveau avant d'envoyer." },
            descriptionField: FormField(
                name: "attachment_description", label: "Description de la pièce jointe",
                value: attachment.description,
                hint: "Obligatoire pour une image : décrivez ce qu'elle montre, pour les personnes qui ne peuvent pas la voir (3 à 250 caractères).",
                error: errors["attachment_description"]
            ),
            maximumSize: "5 Mo"
        )
    }
}
