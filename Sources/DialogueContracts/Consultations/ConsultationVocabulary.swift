public import Foundation

// The words of consultations: what a consultation is, what it accepts, where it stands, and
// the contributions citizens bring to it (testimonies and proposals).

/// What a citizen brings to a consultation.
public enum ContributionKind: String, Codable, Sendable, CaseIterable {
    /// Lived experience (*témoignage*).
    case testimony
    /// An idea, a suggestion, an improvement (*proposition*), which others may support.
    case proposal

    /// The moderation content type of a contribution of this kind.
    public var contentType: ContentType {
        switch self {
        case .testimony: .testimony
        case .proposal: .proposal
        }
    }
}

/// The kinds of contribution a consultation accepts.
public enum AcceptedContributions: String, Codable, Sendable, CaseIterable {
    case testimonies
    case proposals
    case both

    public func accepts(_ kind: ContributionKind) -> Bool {
        switch self {
        case .testimonies: kind == .testimony
        case .proposals: kind == .proposal
        case .both: true
        }
    }
}

/// When moderation reads a consultation's contributions: before they are shown, or after.
public enum ConsultationModerationPolicy: String, Codable, Sendable, CaseIterable {
    case beforePublication = "before_publication"
    case afterPublication = "after_publication"

    /// The moderation mode a submission asks for (`ModerationPolicy.mode`).
    public var moderationMode: String {
        switch self {
        case .beforePublication: "pre"
        case .afterPublication: "post"
        }
    }
}

/// Where a consultation stands, derived from its dates (and from staff publishing its results).
public enum ConsultationStatus: String, Codable, Sendable, CaseIterable {
    /// Before its opening date.
    case upcoming
    /// Between its opening and its closing date (or the extension of it).
    case open
    /// After its closing date.
    case closed
    /// Staff published what came of it.
    case resultsPublished = "results_published"

    /// The order of the public list: open first, then upcoming, then the others.
    public var listRank: Int {
        switch self {
        case .open: 0
        case .upcoming: 1
        case .closed: 2
        case .resultsPublished: 3
        }
    }
}

/// One theme a consultation's contributions are filed under: a stable code and its label.
public struct ConsultationTheme: Codable, Sendable, Equatable, Hashable {
    /// The code of the free theme (*thématique libre*), for what fits no other.
    public static let freeCode = "libre"
    public static let labelLength = 2...120

    public var code: String
    /// As staff wrote it; empty for the free theme (its name is the site's).
    public var label: String

    public init(code: String, label: String) {
        self.code = code
        self.label = label
    }

    public var isFree: Bool { code == Self.freeCode }

    /// A code made from a label: lower-case ASCII letters and digits joined by hyphens.
    public static func code(for label: String) -> String {
        let folded = label.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "fr_FR"))
        var code = ""
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                code.unicodeScalars.append(scalar)
            } else if !code.isEmpty, !code.hasSuffix("-") {
                code += "-"
            }
        }
        while code.hasSuffix("-") { code.removeLast() }
        return String(code.prefix(60))
    }
}

/// A consultation as staff write it, with its rules. The service enforces them; the site
/// checks them too, so a form comes back with every problem at once.
public struct ConsultationDefinition: Codable, Sendable, Equatable {
    public static let titleLength = 3...200
    public static let questionLength = 10...500
    public static let contextLength = 0...2_000
    public static let useLength = 10...2_000
    public static let themeCount = 1...12

    public var title: String
    /// The question the consultation puts to citizens.
    public var question: String
    /// A short, plain context (may be empty).
    public var context: String
    /// What the contributions will be used for, shown before anyone contributes.
    public var use: String
    /// The themes, the free one (if any) last.
    public var themes: [ConsultationTheme]
    public var opensAt: Date
    public var closesAt: Date
    /// A later closing date, announced on the page: contributions are taken until then.
    public var extendedUntil: Date?
    public var accepted: AcceptedContributions
    public var moderation: ConsultationModerationPolicy
    /// Staff published the results: the consultation shows as « résultats publiés ».
    public var resultsPublished: Bool

    public init(
        title: String, question: String, context: String, use: String, themes: [ConsultationTheme], opensAt: Date, closesAt: Date,
        extendedUntil: Date? = nil, accepted: AcceptedContributions = .both, moderation: ConsultationModerationPolicy = .beforePublication,
        resultsPublished: Bool = false
    ) {
        self.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        self.question = question.trimmingCharacters(in: .whitespacesAndNewlines)
        self.context = context.trimmingCharacters(in: .whitespacesAndNewlines)
        self.use = use.trimmingCharacters(in: .whitespacesAndNewlines)
        self.themes = themes.map { ConsultationTheme(code: $0.code, label: $0.label.trimmingCharacters(in: .whitespacesAndNewlines)) }
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.extendedUntil = extendedUntil
        self.accepted = accepted
        self.moderation = moderation
        self.resultsPublished = resultsPublished
    }

    /// When contributions stop: the extension when there is one.
    public var effectiveClosing: Date { extendedUntil ?? closesAt }

    /// Where the consultation stands at `date`.
    public func status(at date: Date) -> ConsultationStatus {
        if resultsPublished { return .resultsPublished }
        if date < opensAt { return .upcoming }
        if date < effectiveClosing { return .open }
        return .closed
    }

    public func theme(_ code: String) -> ConsultationTheme? {
        themes.first { $0.code == code }
    }

    /// Every rule the definition breaks, in the order of the form, each naming its field.
    public var problems: [RequestFailure] {
        var problems: [RequestFailure] = []
        func invalid(_ field: String, _ message: String) {
            problems.append(RequestFailure(code: .invalid, message: message, field: field))
        }
        if !Self.titleLength.contains(title.count) {
            invalid("title", title.isEmpty ? "Indiquez le titre de la consultation." : "Le titre doit compter entre 3 et 200 caractères.")
        }
        if !Self.questionLength.contains(question.count) {
            invalid("question", question.isEmpty ? "Indiquez la question posée." : "La question doit compter entre 10 et 500 caractères.")
        }
        if !Self.contextLength.contains(context.count) {
            invalid("context", "Le contexte doit compter au plus 2 000 caractères : restez bref.")
        }
        if !Self.useLength.contains(use.count) {
            invalid("use", use.isEmpty
                ? "Dites à quoi serviront les contributions : c'est obligatoire."
                : "L'usage des contributions doit compter entre 10 et 2 000 caractères.")
        }
        let named = themes.filter { !$0.isFree }
        if named.isEmpty {
            invalid("themes", "Indiquez au moins une thématique.")
        } else if !Self.themeCount.contains(themes.count) {
            invalid("themes", "Une consultation compte au plus 12 thématiques.")
        } else if let bad = named.first(where: { !ConsultationTheme.labelLength.contains($0.label.count) || $0.code.isEmpty }) {
            invalid("themes", "La thématique « \(bad.label) » doit compter entre 2 et 120 caractères, dont des lettres.")
        } else if Set(themes.map(\.code)).count != themes.count {
            invalid("themes", "Deux thématiques portent le même nom.")
        }
        if closesAt <= opensAt {
            invalid("closes_at", "La date de clôture doit suivre la date d'ouverture.")
        }
        if let extendedUntil, extendedUntil <= closesAt {
            invalid("extended_until", "La prolongation doit aller au-delà de la date de clôture.")
        }
        return problems
    }
}

/// A consultation as pages and the API show it.
public struct ConsultationView: Codable, Sendable, Equatable {
    public var id: UUID
    public var definition: ConsultationDefinition
    /// Where it stands now (when the service read it).
    public var status: ConsultationStatus
    /// Moves by one at each saved change: an update names the revision it started from.
    public var revision: Int
    /// Published contributions, by kind.
    public var testimonyCount: Int
    public var proposalCount: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, definition: ConsultationDefinition, status: ConsultationStatus, revision: Int, testimonyCount: Int, proposalCount: Int,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.definition = definition
        self.status = status
        self.revision = revision
        self.testimonyCount = testimonyCount
        self.proposalCount = proposalCount
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public struct ConsultationList: Codable, Sendable, Equatable {
    public var items: [ConsultationView]
    public var total: Int

    public init(items: [ConsultationView], total: Int) {
        self.items = items
        self.total = total
    }
}

/// What a citizen writes: a testimony (title, text, optional commune) or a proposal (title,
/// what it proposes, why), on one theme.
public struct ContributionDraft: Codable, Sendable, Equatable {
    public static let titleLength = 3...150
    public static let textLength = 10...5_000
    public static let reasonsLength = 10...5_000
    public static let communeLength = 0...100

    public var kind: ContributionKind
    public var theme: String
    public var title: String
    /// The testimony, or what the proposal proposes.
    public var text: String
    /// Why the proposal (proposals only).
    public var reasons: String?
    /// Where the testimony comes from (testimonies only, optional).
    public var commune: String?

    /// Trims every field; an empty optional is none.
    public init(kind: ContributionKind, theme: String, title: String, text: String, reasons: String? = nil, commune: String? = nil) {
        func optional(_ value: String?) -> String? {
            let value = value?.trimmingCharacters(in: .whitespacesAndNewlines)
            return value?.isEmpty == false ? value : nil
        }
        self.kind = kind
        self.theme = theme.trimmingCharacters(in: .whitespacesAndNewlines)
        self.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        self.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        self.reasons = kind == .proposal ? optional(reasons) : nil
        self.commune = kind == .testimony ? optional(commune) : nil
    }

    /// Every rule of the text itself the draft breaks (the consultation's own rules — dates,
    /// kinds, themes — are the service's), each naming its field.
    public var problems: [RequestFailure] {
        var problems: [RequestFailure] = []
        func invalid(_ field: String, _ message: String) {
            problems.append(RequestFailure(code: .invalid, message: message, field: field))
        }
        if theme.isEmpty { invalid("theme", "Choisissez une thématique.") }
        if !Self.titleLength.contains(title.count) {
            invalid("title", title.isEmpty ? "Indiquez un titre." : "Le titre doit compter entre 3 et 150 caractères.")
        }
        switch kind {
        case .testimony:
            if !Self.textLength.contains(text.count) {
                invalid("text", text.isEmpty ? "Racontez votre témoignage." : "Le témoignage doit compter entre 10 et 5 000 caractères.")
            }
            if let commune, !Self.communeLength.contains(commune.count) {
                invalid("commune", "Le nom de la commune doit compter au plus 100 caractères.")
            }
        case .proposal:
            if !Self.textLength.contains(text.count) {
                invalid("text", text.isEmpty ? "Dites ce que vous proposez." : "La proposition doit compter entre 10 et 5 000 caractères.")
            }
            let reasons = reasons ?? ""
            if !Self.reasonsLength.contains(reasons.count) {
                invalid("reasons", reasons.isEmpty ? "Expliquez pourquoi vous le proposez." : "Le « pourquoi » doit compter entre 10 et 5 000 caractères.")
            }
        }
        return problems
    }

    /// The text moderation reviews, as the page shows it.
    public var moderatedText: String {
        switch kind {
        case .testimony: [text, commune.map { "Commune : \($0)" }].compactMap { $0 }.joined(separator: "\n\n")
        case .proposal: "\(text)\n\nPourquoi :\n\(reasons ?? "")"
        }
    }
}

/// Where a contribution stands with moderation, as the site shows it.
public enum ContributionState: String, Codable, Sendable, CaseIterable {
    /// Waiting for moderation, not shown.
    case inModeration = "in_moderation"
    /// Shown on the consultation's page.
    case published
    /// Refused or hidden by moderation.
    case hidden
    /// Withdrawn by its author.
    case withdrawn
}

/// A contribution as pages and the API show it (never the author's e-mail).
public struct ContributionView: Codable, Sendable, Equatable {
    public var id: UUID
    public var consultationID: UUID
    public var kind: ContributionKind
    public var theme: String
    public var title: String
    public var text: String
    public var reasons: String?
    public var commune: String?
    /// The author's public name, nil when they show none.
    public var authorName: String?
    public var state: ContributionState
    /// Moderation's decision when it kept it (`retained`, `not_retained`), or nil.
    public var moderationStatus: ModerationStatus?
    public var createdAt: Date
    public var publishedAt: Date?
    /// People supporting it now (proposals only; 0 for a testimony).
    public var supportCount: Int
    /// Whether the person the list was read for supports it (false without one).
    public var supportedByViewer: Bool
    /// Whether its author may still change it (nobody supported it yet, not withdrawn).
    public var editable: Bool
    public var withdrawalReason: String?
    /// What became of it, as staff said it; nil while it is simply « reçue » with no answer.
    public var answer: ContributionAnswer?
    /// Where it was gathered when staff entered it from an in-person session; nil online.
    public var collected: OfflineOrigin?
    /// Supports gathered on paper, counted apart from `supportCount` (proposals only).
    public var paperSupportCount: Int
    /// The image or PDF attached to it, served at `/contributions/{id}/piece-jointe` once it is published.
    public var attachment: ContributionAttachment?

    public init(
        id: UUID, consultationID: UUID, kind: ContributionKind, theme: String, title: String, text: String, reasons: String?, commune: String?,
        authorName: String?, state: ContributionState, moderationStatus: ModerationStatus?, createdAt: Date, publishedAt: Date?,
        supportCount: Int = 0, supportedByViewer: Bool = false, editable: Bool = false, withdrawalReason: String? = nil,
        answer: ContributionAnswer? = nil, collected: OfflineOrigin? = nil, paperSupportCount: Int = 0, attachment: ContributionAttachment? = nil
    ) {
        self.attachment = attachment
        self.collected = collected
        self.paperSupportCount = paperSupportCount
        self.answer = answer
        self.editable = editable
        self.withdrawalReason = withdrawalReason
        self.supportCount = supportCount
        self.supportedByViewer = supportedByViewer
        self.id = id
        self.consultationID = consultationID
        self.kind = kind
        self.theme = theme
        self.title = title
        self.text = text
        self.reasons = reasons
        self.commune = commune
        self.authorName = authorName
        self.state = state
        self.moderationStatus = moderationStatus
        self.createdAt = createdAt
        self.publishedAt = publishedAt
    }
}

public struct ContributionList: Codable, Sendable, Equatable {
    public var items: [ContributionView]
    public var total: Int

    public init(items: [ContributionView], total: Int) {
        self.items = items
        self.total = total
    }
}

/// Where one person's support of a proposal stands after a request, and how many support it.
public struct SupportOutcome: Codable, Sendable, Equatable {
    public var contributionID: UUID
    /// Whether the person supports it now.
    public var supporting: Bool
    /// False when the request changed nothing (supported twice, withdrawn twice).
    public var changed: Bool
    public var supportCount: Int

    public init(contributionID: UUID, supporting: Bool, changed: Bool, supportCount: Int) {
        self.contributionID = contributionID
        self.supporting = supporting
        self.changed = changed
        self.supportCount = supportCount
    }
}
