import DialogueContracts
import Foundation
import ServiceKit

// What the staff forum templates (`admin-forums`, `admin-forum-new`) show.

/// `/admin/forums`: every forum, the latest opening first.
struct StaffForumListPage {
    struct Row {
        let id: String
        let title: String
        let theme: String
        let status: String
        let dates: String
        let moderation: String
        let threads: Int

        init(_ forum: ForumView) {
            id = forum.id.uuidString.lowercased()
            title = forum.title
            theme = forum.theme
            status = ForumLabels.status(forum)
            dates = ForumLabels.dates(forum)
            moderation = ForumLabels.moderation(forum.moderationMode)
            threads = forum.threadCount
        }
    }

    let rows: [Row]
    let hasRows: Bool
}

/// `/admin/forums/nouveau`: the form, filled again with what was typed when it comes back.
struct ForumForm {
    /// The fields as typed (dates as `yyyy-MM-dd`, a `date` field).
    struct Values {
        var title = ""
        var theme = ""
        var question = ""
        var description = ""
        var opensOn = ""
        var closesOn = ""
        var mode = ForumModerationMode.beforePublication.rawValue

        init() {}

        init(_ form: FormFields) {
            title = form["titre"] ?? ""
            theme = form["theme"] ?? ""
            question = form["question"] ?? ""
            description = form["presentation"] ?? ""
            opensOn = form["ouverture"] ?? ""
            closesOn = form["cloture"] ?? ""
            mode = form["moderation"] ?? ""
        }

        /// The draft, or nil with the errors of the fields the service cannot read (dates, policy).
        func draft(errors: inout FormErrors) -> ForumDraft? {
            let opens = ForumDay.start(of: opensOn)
            let closes = ForumDay.start(of: closesOn).map { $0.addingTimeInterval(86_400) }
            if opens == nil { errors.add("ouverture", "Indiquez la date d'ouverture, par exemple 2026-03-01.") }
            if closes == nil { errors.add("cloture", "Indiquez la date de clôture, par exemple 2026-04-30.") }
            let policy = ForumModerationMode(rawValue: mode)
            if policy == nil { errors.add("moderation", "Choisissez quand la modération relit les messages.") }
            guard let opens, let closes, let policy else { return nil }
            return ForumDraft(title: title, theme: theme, question: question, description: description, opensAt: opens, closesAt: closes, moderationMode: policy)
        }
    }

    let errors: ErrorSummary?
    let titleField: FormField
    let themeField: FormField
    let questionField: FormField
    let descriptionField: FormField
    let opensField: FormField
    let closesField: FormField
    let modeError: String?
    let modes: [Choice]

    init(values: Values, errors: FormErrors) {
        self.errors = errors.summary
        titleField = FormField(name: "titre", label: "Titre", value: values.title, hint: "De 3 à 150 caractères.", error: errors["titre"], required: true)
        themeField = FormField(
            name: "theme", label: "Thème", value: values.theme, hint: "Le thème choisi par l'assemblée, par exemple « Mobilités du quotidien ».",
            error: errors["theme"], required: true
        )
        questionField = FormField(
            name: "question", label: "Question posée aux participants", value: values.question, hint: "De 10 à 500 caractères.",
            error: errors["question"], required: true, rows: 3
        )
        descriptionField = FormField(
            name: "presentation", label: "Présentation (facultatif)", value: values.description,
            hint: "Ce que les participants doivent savoir avant d'écrire (5 000 caractères au plus).", error: errors["presentation"], rows: 6
        )
        opensField = FormField(name: "ouverture", label: "Ouvert à partir du", type: "date", value: values.opensOn, error: errors["ouverture"], required: true)
        closesField = FormField(name: "cloture", label: "Clos après le", type: "date", value: values.closesOn, error: errors["cloture"], required: true)
        modeError = errors["moderation"]
        modes = ForumModerationMode.allCases.map {
            Choice(value: $0.rawValue, label: ForumLabels.moderation($0), checked: $0.rawValue == values.mode)
        }
    }
}

/// Days as a `date` field gives them, in the region's time zone.
enum ForumDay {
    static let zone = TimeZone(identifier: "Europe/Paris") ?? .current

    /// Midnight, in the region, of a `yyyy-MM-dd` day; nil for anything else.
    static func start(of text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }
}

/// The French words of a forum's state and policy.
enum ForumLabels {
    static func moderation(_ mode: ForumModerationMode) -> String {
        switch mode {
        case .beforePublication: "Avant publication : chaque message attend l'accord d'un modérateur"
        case .afterPublication: "Après publication : un message paraît dès les vérifications automatiques, relu ensuite"
        }
    }

    static func status(_ forum: ForumView, at date: Date = Date()) -> String {
        if forum.takesPosts(at: date) { return "Ouvert" }
        if forum.status == .open && date < forum.opensAt { return "À venir" }
        return "Clos"
    }

    /// « du 1 mars 2026 au 30 avril 2026 » (the closing date is the last day it takes posts).
    static func dates(_ forum: ForumView) -> String {
        "du \(FrenchDate.day(forum.opensAt)) au \(FrenchDate.day(forum.closesAt.addingTimeInterval(-1)))"
    }
}
