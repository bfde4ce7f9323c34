public import Foundation

/// The themes a petition may be filed under, fixed by the assembly: stored as the stable
/// `rawValue`, shown with `label`.
public enum PetitionTheme: String, CaseIterable, Codable, Sendable {
    case health = "sante"
    case transport = "transports-mobilites"
    case education = "education-formation-jeunesse"
    case economy = "emploi-economie"
    case environment = "environnement-energie"
    case agriculture = "agriculture-alimentation"
    case culture = "culture-sport-vie-associative"
    case housing = "amenagement-logement"
    case solidarity = "solidarites-cohesion-sociale"
    case digital = "numerique"

    /// The French name shown on the site.
    public var label: String {
        switch self {
        case .health: "Santé"
        case .transport: "Transports et mobilités"
        case .education: "Éducation, formation et jeunesse"
        case .economy: "Emploi et économie"
        case .environment: "Environnement et énergie"
        case .agriculture: "Agriculture, alimentation et ruralité"
        case .culture: "Culture, sport et vie associative"
        case .housing: "Aménagement du territoire et logement"
        case .solidarity: "Solidarités et cohésion sociale"
        case .digital: "Numérique"
        }
    }

    /// The label of a stored code; nil for none (or a code no longer in the list).
    public static func label(of code: String?) -> String? {
        code.flatMap(PetitionTheme.init(rawValue:))?.label
    }
}

/// What an author writes when depositing a petition, and the rules it must follow. The
/// petitions service enforces them; the site checks them too, to show a preview only of a
/// petition that can be deposited.
public struct PetitionDraft: Codable, Sendable, Equatable {
    public static let titleLength = 3...200
    public static let textLength = 10...10_000
    public static let reasonsLength = 10...10_000

    public var title: String
    /// What the petition asks.
    public var text: String
    /// Why it asks it.
    public var reasons: String
    /// A `PetitionTheme` code, or nil.
    public var theme: String?

    /// Trims every field; an empty theme is none.
    public init(title: String, text: String, reasons: String, theme: String?) {
        self.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        self.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        self.reasons = reasons.trimmingCharacters(in: .whitespacesAndNewlines)
        let theme = theme?.trimmingCharacters(in: .whitespacesAndNewlines)
        self.theme = theme?.isEmpty == false ? theme : nil
    }

    /// Every rule the draft breaks, in the order of the form, each naming its field.
    public var problems: [RequestFailure] {
        var problems: [RequestFailure] = []
        func invalid(_ field: String, _ message: String) {
            problems.append(RequestFailure(code: .invalid, message: message, field: field))
        }
        if !Self.titleLength.contains(title.count) {
            invalid("title", title.isEmpty ? "Indiquez le titre de la pétition." : "Le titre doit compter entre 3 et 200 caractères.")
        }
        if !Self.textLength.contains(text.count) {
            invalid("text", text.isEmpty ? "Indiquez ce que demande la pétition." : "Le texte doit compter entre 10 et 10 000 caractères.")
        }
        if !Self.reasonsLength.contains(reasons.count) {
            invalid("reasons", reasons.isEmpty
                ? "Expliquez pourquoi vous faites cette demande."
                : "Les raisons de la pétition doivent compter entre 10 et 10 000 caractères.")
        }
        if let theme, PetitionTheme(rawValue: theme) == nil {
            invalid("theme", "Choisissez une thématique de la liste, ou aucune.")
        }
        return problems
    }

    /// The text moderation reviews: what is asked and why, as the page shows them.
    public var moderatedText: String {
        "\(text)\n\nPourquoi :\n\(reasons)"
    }
}

// MARK: Similar petitions

/// The published petitions closest to a draft (French full-text relevance, open ones first),
/// shown before depositing so the author can sign one of them instead.
public struct FindSimilarPetitions: DialogueRequest {
    public static let messageType = "petition.similar"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = PetitionList

    public static let maximumLimit = 5

    public var title: String
    public var text: String
    public var limit: Int

    public init(title: String, text: String, limit: Int = FindSimilarPetitions.maximumLimit) {
        self.title = title
        self.text = text
        self.limit = limit
    }
}

// MARK: The author's petitions

/// Every petition an account deposited, newest first, in any state ("Mes pétitions").
public struct ListAuthorPetitions: DialogueRequest {
    public static let messageType = "petition.by_author"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = AuthorPetitionList

    public var authorAccountID: UUID

    public init(authorAccountID: UUID) {
        self.authorAccountID = authorAccountID
    }
}

public struct AuthorPetitionList: Codable, Sendable, Equatable {
    public struct Item: Codable, Sendable, Equatable {
        public var petition: PetitionView
        /// Moderation's reason when it refused or hid the petition.
        public var moderationReason: String?

        public init(petition: PetitionView, moderationReason: String?) {
            self.petition = petition
            self.moderationReason = moderationReason
        }
    }

    public var items: [Item]

    public init(items: [Item]) {
        self.items = items
    }
}
