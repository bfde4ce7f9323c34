import DialogueContracts
import Foundation
import Identity
import ServiceKit
import Wording

// What the workshop templates show: the list on a process's page (`process-workshops`), a
// workshop with its registration form (`workshop`), a registration (`workshop-registration`),
// and for staff the scheduling form (`admin-workshop-new`), a process's workshops
// (`admin-process-workshops`) and a workshop's registrations (`admin-workshop`).

/// The French words of a workshop.
enum WorkshopLabels {
    static func themes(_ workshop: WorkshopView) -> String { workshop.frenchThemes }

    static func title(_ workshop: WorkshopView) -> String { workshop.frenchTitle }

    static func when(_ workshop: WorkshopView) -> String { FrenchDate.span(from: workshop.startsAt, to: workshop.endsAt) }

    static func place(_ workshop: WorkshopView) -> String { workshop.frenchPlace }

    /// « 12 places restantes sur 30 », « Complet : liste d'attente (3 personnes) », « Atelier annulé »…
    static func seats(_ workshop: WorkshopView, at date: Date = Date()) -> String {
        if workshop.status == .cancelled { return "Atelier annulé" }
        if date >= workshop.startsAt { return "Inscriptions closes" }
        let left = workshop.seatsLeft
        if left == 0 {
            let waiting = workshop.waitlistCount
            return "Complet : inscription en liste d'attente (\(waiting) personne\(waiting > 1 ? "s" : "") en attente)"
        }
        return "\(left) place\(left > 1 ? "s" : "") restante\(left > 1 ? "s" : "") sur \(workshop.capacity)"
    }

    static func status(_ status: WorkshopRegistrationStatus) -> String {
        switch status {
        case .confirmed: "Inscription confirmée"
        case .waitlisted: "En liste d'attente"
        case .cancelled: "Inscription annulée"
        }
    }
}

/// One workshop in a list (a process's page, the staff list).
struct WorkshopCard {
    let id: String
    let title: String
    let themes: String
    let arrondissement: String
    let when: String
    let place: String
    let seats: String
    let open: Bool

    init(_ workshop: WorkshopView, at date: Date = Date()) {
        id = workshop.id.uuidString.lowercased()
        title = WorkshopLabels.title(workshop)
        themes = WorkshopLabels.themes(workshop)
        arrondissement = workshop.arrondissement
        when = WorkshopLabels.when(workshop)
        place = WorkshopLabels.place(workshop)
        seats = WorkshopLabels.seats(workshop, at: date)
        open = workshop.takesRegistrations(at: date)
    }
}

/// The workshops section of a process's page.
struct ProcessWorkshops {
    let processID: String
    let items: [WorkshopCard]
    let count: Int

    init(processID: UUID, _ list: WorkshopList, at date: Date = Date()) {
        self.processID = processID.uuidString.lowercased()
        items = list.items.map { WorkshopCard($0, at: date) }
        count = items.count
    }
}

/// `/ateliers/{id}`: the workshop, its seats left and, while it takes registrations, the form.
struct WorkshopPageModel {
    /// The registration form's fields as typed.
    struct Values {
        var name = ""
        var email = ""
        var needs = ""
        var childcare = false

        init() {}

        init(_ form: FormFields) {
            name = form["nom"] ?? ""
            email = form["adresse"] ?? ""
            needs = form["besoins"] ?? ""
            childcare = form["garde"] == "1"
        }

        var draft: WorkshopRegistrationDraft {
            WorkshopRegistrationDraft(name: name, email: email, accessibilityNeeds: needs, childcare: childcare)
        }
    }

    /// Where a refusal naming a contract field shows in the form.
    static let fieldNames = FormFieldNames(["name": "nom", "email": "adresse", "accessibility_needs": "besoins"], otherwise: "nom")

    let workshop: WorkshopCard
    let workshopID: String
    let open: Bool
    let seats: String
    let processID: String
    let processTitle: String
    let accessibility: [String]
    let onlineLink: String?
    let calendarLink: String
    /// Staff called it off.
    let cancelled: Bool
    let errors: ErrorSummary?
    /// A refusal of the whole registration (full day, cancelled workshop…).
    let refusal: String?
    let nameField: FormField
    let emailField: FormField
    let needsField: FormField
    let childcareChecked: Bool

    init(_ view: WorkshopView, values: Values = Values(), errors: FormErrors = FormErrors(), refusal: String? = nil, at date: Date = Date()) {
        workshop = WorkshopCard(view, at: date)
        workshopID = workshop.id
        open = workshop.open
        seats = workshop.seats
        processID = view.processID.uuidString.lowercased()
        processTitle = view.processTitle
        accessibility = TextParagraphs.of(view.accessibility)
        onlineLink = view.onlineLink.isEmpty ? nil : view.onlineLink
        calendarLink = "/processus/\(processID)/ateliers.ics"
        cancelled = view.status == .cancelled
        self.errors = errors.summary
        self.refusal = refusal
        nameField = FormField(name: "nom", label: "Votre nom", value: values.name, error: errors["nom"], autocomplete: "name", required: true)
        emailField = FormField(
            name: "adresse", label: "Votre adresse électronique", type: "email", value: values.email,
            hint: "Vous y recevrez la confirmation, l'invitation pour votre agenda et le lien pour annuler.", error: errors["adresse"],
            autocomplete: "email", required: true
        )
        needsField = FormField(
            name: "besoins", label: "Besoins d'accessibilité (facultatif)", value: values.needs,
            hint: "Fauteuil roulant, interprète en langue des signes, boucle magnétique…", error: errors["besoins"], rows: 3
        )
        childcareChecked = values.childcare
    }
}

/// `/inscription-atelier?jeton=…`: a registration as the person sees it.
struct WorkshopRegistrationPageModel {
    let workshop: WorkshopCard
    let workshopID: String
    let name: String
    let status: String
    let confirmed: Bool
    let waitlisted: Bool
    let cancelled: Bool
    let waitlistPosition: Int?
    let checkInCode: String
    let token: String
    let invitationLink: String
    let onlineLink: String?
    /// A seat given from the waitlist, to confirm before this moment (in words).
    let confirmBy: String?
    /// The seat given from the waitlist went to the next person for want of confirmation.
    let promotionExpired: Bool
    /// Why confirming was refused (the deadline passed…).
    let refusal: String?
    /// Staff called the workshop off: nothing is left to confirm or cancel.
    let workshopCancelled: Bool
    /// The registration can still be cancelled with its button.
    let cancellable: Bool

    init(_ receipt: WorkshopRegistrationReceipt, refusal: String? = nil, at date: Date = Date()) {
        workshop = WorkshopCard(receipt.workshop, at: date)
        workshopID = workshop.id
        name = receipt.name
        status = receipt.promotionExpiredAt == nil ? WorkshopLabels.status(receipt.status) : "Place non confirmée à temps : inscription annulée"
        // A called-off workshop's registrations no longer hold a seat nor wait for one.
        confirmed = receipt.status == .confirmed && receipt.workshop.status == .scheduled
        waitlisted = receipt.status == .waitlisted && receipt.workshop.status == .scheduled
        cancelled = receipt.status == .cancelled
        waitlistPosition = receipt.waitlistPosition
        checkInCode = receipt.checkInCode
        token = receipt.cancelToken
        invitationLink = SitePath.workshopInvitation(token: receipt.cancelToken).path
        onlineLink = receipt.status == .confirmed && !receipt.workshop.onlineLink.isEmpty ? receipt.workshop.onlineLink : nil
        workshopCancelled = receipt.workshop.status == .cancelled
        cancellable = receipt.status != .cancelled && !workshopCancelled
        confirmBy = workshopCancelled ? nil : receipt.confirmBy.map(FrenchDate.dateTime)
        promotionExpired = receipt.promotionExpiredAt != nil
        self.refusal = refusal
    }
}

/// `/admin/processus/{id}/ateliers/nouveau`: the scheduling form; what was typed comes back
/// with each error next to its field.
struct WorkshopForm {
    struct Values {
        var phase = ""
        var themes = ""
        var arrondissement = ""
        var otherArrondissement = ""
        var place = ""
        var onlineLink = ""
        var startsAt = ""
        var endsAt = ""
        var capacity = ""
        var accessibility = ""

        init() {}

        /// The workshop as it stands, for its editing form.
        init(_ workshop: WorkshopView) {
            phase = workshop.phaseID.uuidString.lowercased()
            themes = workshop.themes.joined(separator: "\n")
            if WorkshopArrondissement.nord.contains(workshop.arrondissement) {
                arrondissement = workshop.arrondissement
            } else {
                otherArrondissement = workshop.arrondissement
            }
            place = workshop.place
            onlineLink = workshop.onlineLink
            startsAt = WorkshopTime.local(workshop.startsAt)
            endsAt = WorkshopTime.local(workshop.endsAt)
            capacity = String(workshop.capacity)
            accessibility = workshop.accessibility
        }

        init(_ form: FormFields) {
            phase = form["etape"] ?? ""
            themes = form["themes"] ?? ""
            arrondissement = form["arrondissement"] ?? ""
            otherArrondissement = form["autre-arrondissement"] ?? ""
            place = form["lieu"] ?? ""
            onlineLink = form["lien"] ?? ""
            startsAt = form["debut"] ?? ""
            endsAt = form["fin"] ?? ""
            capacity = form["capacite"] ?? ""
            accessibility = form["accessibilite"] ?? ""
        }

        /// The arrondissement typed by hand wins over the list's choice.
        var chosenArrondissement: String {
            let typed = otherArrondissement.trimmingCharacters(in: .whitespacesAndNewlines)
            return typed.isEmpty ? arrondissement : typed
        }

        /// The phase and draft, or nil with the errors of what cannot be read and the rules broken.
        func draft(in process: ProcessView, errors: inout FormErrors) -> (phase: ProcessPhaseView, draft: WorkshopDraft)? {
            let chosen = self.phase.lowercased()
            let phase = process.phases.first { $0.id.uuidString.lowercased() == chosen }
            if phase == nil { errors.add("etape", "Choisissez l'étape de la démarche où l'atelier se tient.") }
            let starts = WorkshopTime.date(fromLocal: startsAt)
            let ends = WorkshopTime.date(fromLocal: endsAt)
            if starts == nil { errors.add("debut", "Indiquez le début de l'atelier : date et heure, par exemple 2027-03-04T18:00.") }
            if ends == nil { errors.add("fin", "Indiquez la fin de l'atelier : date et heure, par exemple 2027-03-04T20:30.") }
            let seats = Int(capacity.trimmingCharacters(in: .whitespaces))
            if seats == nil { errors.add("capacite", "Indiquez la capacité en nombre de places, par exemple 30.") }
            let draft = WorkshopDraft(
                themes: themes.split(whereSeparator: \.isNewline).map(String.init), arrondissement: chosenArrondissement, place: place,
                onlineLink: onlineLink, startsAt: starts ?? .distantPast, endsAt: ends ?? .distantFuture, capacity: seats ?? 1,
                accessibility: accessibility
            )
            let unreadable: Set<String> = Set([starts == nil ? "starts_at" : nil, ends == nil || starts == nil ? "ends_at" : nil].compactMap { $0 })
            for problem in draft.problems(in: phase) where !unreadable.contains(problem.field ?? "") {
                errors.add(WorkshopForm.fieldNames.formField(for: problem.field), problem.message)
            }
            guard let phase, errors.isEmpty else { return nil }
            return (phase, draft)
        }
    }

    static let fieldNames = FormFieldNames(
        [
            "phase_id": "etape", "themes": "themes", "arrondissement": "arrondissement", "place": "lieu", "online_link": "lien", "starts_at": "debut",
            "ends_at": "fin", "capacity": "capacite", "accessibility": "accessibilite",
        ],
        otherwise: "themes"
    )

    let processID: String
    let processTitle: String
    /// The workshop being changed (its phase stays); nil when scheduling a new one.
    let editedID: String?
    let action: String
    let heading: String
    let submitLabel: String
    let errors: ErrorSummary?
    let phaseError: String?
    let phases: [Choice]
    let arrondissementError: String?
    let arrondissements: [Choice]
    let themesField: FormField
    let otherArrondissementField: FormField
    let placeField: FormField
    let onlineLinkField: FormField
    let startsField: FormField
    let endsField: FormField
    let capacityField: FormField
    let accessibilityField: FormField

    init(_ process: ProcessView, values: Values, errors: FormErrors, editing workshopID: UUID? = nil) {
        processID = process.id.uuidString.lowercased()
        processTitle = process.title
        editedID = workshopID?.uuidString.lowercased()
        if let editedID {
            action = "/admin/ateliers/\(editedID)/modifier"
            heading = "Modifier l'atelier"
            submitLabel = "Enregistrer les modifications"
        } else {
            action = "/admin/processus/\(processID)/ateliers/nouveau"
            heading = "Programmer un atelier"
            submitLabel = "Programmer l'atelier"
        }
        self.errors = errors.summary
        phaseError = errors["etape"]
        let defaultPhase = process.phases.first { $0.kind == .workshops || $0.kind == .publicRestitution }?.id.uuidString.lowercased() ?? ""
        let chosenPhase = values.phase.isEmpty ? defaultPhase : values.phase.lowercased()
        phases = process.phases.map { phase in
            Choice(
                value: phase.id.uuidString.lowercased(), label: "Étape \(phase.position) : \(phase.shownTitle) (\(ProcessLabels.days(phase)))",
                selected: phase.id.uuidString.lowercased() == chosenPhase
            )
        }
        arrondissementError = errors["arrondissement"]
        arrondissements = [Choice(value: "", label: "— Choisir —", selected: values.arrondissement.isEmpty)]
            + WorkshopArrondissement.nord.map { Choice(value: $0, label: $0, selected: $0 == values.arrondissement) }
        themesField = FormField(
            name: "themes", label: "Thèmes", value: values.themes, hint: "Un thème par ligne (de 1 à 8).", error: errors["themes"], required: true, rows: 3
        )
        otherArrondissementField = FormField(
            name: "autre-arrondissement", label: "Ou un autre arrondissement", value: values.otherArrondissement,
            hint: "Celui d'un autre département (par exemple « Arras »), s'il n'est pas dans la liste.", error: errors["autre-arrondissement"]
        )
        placeField = FormField(name: "lieu", label: "Lieu", value: values.place, hint: "Adresse complète ; laissez vide pour un atelier en ligne.", error: errors["lieu"])
        onlineLinkField = FormField(
            name: "lien", label: "Lien de l'atelier en ligne (facultatif)", type: "url", value: values.onlineLink, hint: "Adresse en https://.",
            error: errors["lien"]
        )
        startsField = FormField(
            name: "debut", label: "Début", type: "datetime-local", value: values.startsAt, hint: "Heure de Paris.", error: errors["debut"], required: true
        )
        endsField = FormField(name: "fin", label: "Fin", type: "datetime-local", value: values.endsAt, hint: "Heure de Paris.", error: errors["fin"], required: true)
        capacityField = FormField(
            name: "capacite", label: "Capacité (places)", type: "number", value: values.capacity,
            hint: workshopID == nil ? nil : "Des places ajoutées vont à la liste d'attente, dans l'ordre ; la capacité ne descend pas sous les places prises.",
            error: errors["capacite"], required: true
        )
        accessibilityField = FormField(
            name: "accessibilite", label: "Accessibilité (facultatif)", value: values.accessibility,
            hint: "Accès de plain-pied, boucle magnétique, interprète… tel que le lieu le permet.", error: errors["accessibilite"], rows: 3
        )
    }
}

/// `/admin/processus/{id}/ateliers`: a process's workshops for staff.
struct StaffProcessWorkshopsPage {
    let processID: String
    let processTitle: String
    let items: [WorkshopCard]
    let hasItems: Bool

    init(_ process: ProcessView, _ list: WorkshopList, at date: Date = Date()) {
        processID = process.id.uuidString.lowercased()
        processTitle = process.title
        items = list.items.map { WorkshopCard($0, at: date) }
        hasItems = !items.isEmpty
    }
}

/// `/admin/ateliers/{id}`: the registrations, the check-in form, the export and calling it off.
struct StaffWorkshopPage {
    struct Row {
        let name: String?
        let email: String?
        let status: String
        let position: String
        let code: String
        let needs: String
        let childcare: String
        let checkedIn: String
        /// « à confirmer avant le … » for a seat given from the waitlist, not yet confirmed.
        let confirmBy: String?
    }

    let workshop: WorkshopCard
    let workshopID: String
    let processID: String
    let confirmedCount: Int
    let capacity: Int
    let waitlistCount: Int
    let personalData: Bool
    let rows: [Row]
    let hasRows: Bool
    let cancelled: Bool
    let codeField: FormField

    init(_ list: WorkshopRegistrationList, personalData: Bool, codeError: String? = nil, at date: Date = Date()) {
        workshop = WorkshopCard(list.workshop, at: date)
        workshopID = workshop.id
        processID = list.workshop.processID.uuidString.lowercased()
        confirmedCount = list.workshop.confirmedCount
        capacity = list.workshop.capacity
        waitlistCount = list.workshop.waitlistCount
        self.personalData = personalData
        cancelled = list.workshop.status == .cancelled
        rows = list.entries.map { entry in
            Row(
                name: entry.name, email: entry.email, status: WorkshopLabels.status(entry.status), position: entry.waitlistPosition.map(String.init) ?? "",
                code: entry.checkInCode, needs: entry.accessibilityNeeds, childcare: entry.childcare ? "Oui" : "Non",
                checkedIn: entry.checkedInAt.map { "Présent (\(FrenchDate.time($0)))" } ?? "",
                confirmBy: entry.confirmBy.map { "à confirmer avant le \(FrenchDate.dateTime($0))" }
            )
        }
        hasRows = !rows.isEmpty
        codeField = FormField(name: "code", label: "Code d'inscription", hint: "Six caractères, sur la confirmation de la personne.", error: codeError, required: true)
    }

    /// The registrations as CSV: names and addresses only for the roles allowed to read them.
    static func csv(_ list: WorkshopRegistrationList, personalData: Bool) -> String {
        let header = (personalData ? ["nom", "adresse"] : []) + ["statut", "rang_attente", "code", "besoins_accessibilite", "garde_enfants", "present_le", "inscrit_le"]
        var text = CSV.byteOrderMark + CSV.line(header)
        for entry in list.entries {
            let fields = (personalData ? [entry.name ?? "", entry.email ?? ""] : []) + [
                entry.status.rawValue, entry.waitlistPosition.map(String.init) ?? "", entry.checkInCode, entry.accessibilityNeeds,
                entry.childcare ? "oui" : "non", entry.checkedInAt?.ISO8601Format() ?? "", entry.registeredAt.ISO8601Format(),
            ]
            text += CSV.line(fields)
        }
        return text
    }
}

/// The iCalendar events of workshops: one per workshop, its UID the workshop's, so the
/// process's feed and a registration's invitation describe the same event.
enum WorkshopCalendar {
    static func event(_ workshop: WorkshopView, links: LinkBuilder, checkInCode: String? = nil) -> ICalendar.Event {
        var description = ["Démarche : \(workshop.processTitle)", "Thèmes : \(WorkshopLabels.themes(workshop))"]
        if !workshop.onlineLink.isEmpty { description.append("En ligne : \(workshop.onlineLink)") }
        if !workshop.accessibility.isEmpty { description.append("Accessibilité : \(workshop.accessibility)") }
        if let checkInCode { description.append("Votre code d'inscription : \(checkInCode)") }
        return ICalendar.Event(
            uid: "atelier-\(workshop.id.uuidString.lowercased())@dialogue.ceser-hautsdefrance.fr", start: workshop.startsAt, end: workshop.endsAt,
            summary: WorkshopLabels.title(workshop), location: workshop.place.isEmpty ? workshop.onlineLink : workshop.place,
            description: description.joined(separator: "\n"), url: links.url(.workshop(workshop.id)), cancelled: workshop.status == .cancelled,
            sequence: workshop.sequence ?? 0
        )
    }
}
