public import Foundation

// The words of petitions: statuses and the sets built from them, themes, decisions, staff actions, limits, and the values other messages are made of.

/// Where a petition stands, as stored and sent (its raw values), and the sets the services
/// and the gateway reason with: one list, so "still collecting" means the same everywhere.
public enum PetitionStatus: String, Codable, Sendable, CaseIterable {
    /// Deposited, waiting for moderation.
    case inModeration = "in_moderation"
    /// Refused by moderation: never published.
    case rejected
    /// Published and collecting signatures.
    case open
    /// Still collecting, past its threshold: the assembly must take it up.
    case thresholdReached = "threshold_reached"
    /// Referred to the assembly: no longer collecting.
    case referred
    /// The assembly's answer is published.
    case answered
    /// Closed: its course is over, or it was closed early with a reason.
    case closed

    /// Not yet published by moderation (or refused).
    public static let unpublished: [PetitionStatus] = [.inModeration, .rejected]
    /// Still taking signatures.
    public static let collecting: [PetitionStatus] = [.open, .thresholdReached]
    /// No longer collecting: the public "closed" list.
    public static let ended: [PetitionStatus] = [.referred, .answered, .closed]

    public var acceptsSignatures: Bool {
        Self.collecting.contains(self)
    }
}

/// A step staff may take on a petition, and the statuses it may start from: the one table
/// the service enforces and the staff page offers.
public enum PetitionStaffAction: String, Codable, Sendable, CaseIterable {
    /// Refer to the assembly: only once the threshold is reached (it obliges the assembly).
    case refer
    /// Publish the assembly's answer: only for a referred petition.
    case answer
    /// Close: an answered petition (its course is over), or an open one early with a reason
    /// (withdrawn by its author, a duplicate…). A petition past its threshold cannot be
    /// closed: the threshold obliges the assembly to take it up, so it must be referred.
    case close

    public var fromStatuses: [PetitionStatus] {
        switch self {
        case .refer: [.thresholdReached]
        case .answer: [.referred]
        case .close: [.answered, .open]
        }
    }

    public var toStatus: PetitionStatus {
        switch self {
        case .refer: .referred
        case .answer: .answered
        case .close: .closed
        }
    }

    /// The actions a petition in `status` allows, in lifecycle order.
    public static func allowed(from status: PetitionStatus) -> [PetitionStaffAction] {
        allCases.filter { $0.fromStatuses.contains(status) }
    }

    /// Closing an open petition (before its course is over) needs a reason.
    public static func closingNeedsReason(from status: PetitionStatus) -> Bool {
        status == .open
    }
}

/// The limits of what staff type, checked by the service and by the gateway's forms.
public enum PetitionLifecycleLimits {
    public static let answerText = 10...20_000
    /// A note on a referral or a closing; a reason for an early closing is at least 10 characters.
    public static let note = 0...2_000
    public static let closingReason = 10...2_000
    public static let reportURL = 0...2_000

    /// An absolute http(s) link with a host, or nil.
    public static func isReportURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, !text.contains(where: \.isWhitespace)
        else { return false }
        return reportURL.contains(text.count)
    }
}

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

/// What the assembly decided on a petition it was referred.
public enum PetitionDecision: String, Codable, Sendable, CaseIterable {
    /// The assembly took the subject up and adopted a report on it.
    case reportAdopted = "report_adopted"
    /// The assembly adopted an opinion (*avis*) on it.
    case opinionAdopted = "opinion_adopted"
    /// The referral is retained: the subject joins the work of a commission.
    case referralRetained = "referral_retained"
    /// The referral is not retained (the answer text says why).
    case referralNotRetained = "referral_not_retained"
    /// The subject belongs to another authority, to which the assembly forwarded it.
    case forwarded

}

/// The assembly's answer to a petition.
public struct PetitionAnswer: Codable, Sendable, Equatable {
    public var decision: PetitionDecision
    public var text: String
    /// The resulting report or opinion, when published.
    public var reportURL: String?
    public var answeredAt: Date

    public init(decision: PetitionDecision, text: String, reportURL: String?, answeredAt: Date) {
        self.decision = decision
        self.text = text
        self.reportURL = reportURL
        self.answeredAt = answeredAt
    }
}

/// The platform's petition settings; each petition freezes them when it opens.
public struct PetitionSettings: Codable, Sendable, Equatable {
    /// Signatures that oblige the assembly to take the subject up.
    public var defaultThreshold: Int
    /// How long a petition collects signatures once open.
    public var collectionDays: Int
    /// Intermediate milestones told to the author, as percentages of the threshold (1–99).
    public var milestones: [Int]

    public init(defaultThreshold: Int, collectionDays: Int, milestones: [Int] = PetitionSettings.defaultMilestones) {
        self.defaultThreshold = defaultThreshold
        self.collectionDays = collectionDays
        self.milestones = milestones
    }

    public static let defaultMilestones = [50]

    private enum CodingKeys: String, CodingKey {
        case defaultThreshold, collectionDays, milestones
    }

    /// Settings sent before milestones could be edited still read (with the default).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            defaultThreshold: try container.decode(Int.self, forKey: .defaultThreshold),
            collectionDays: try container.decode(Int.self, forKey: .collectionDays),
            milestones: try container.decodeIfPresent([Int].self, forKey: .milestones) ?? Self.defaultMilestones
        )
    }
}

/// The signatures a bulk invalidation targets: on one petition, those matching every
/// criterion given (at least one is required).
public struct SignatureSelection: Codable, Sendable, Equatable {
    public var petitionID: UUID
    /// One address (`203.0.113.7`) or a network (`203.0.113.0/24`).
    public var clientAddress: String?
    /// The domain of the e-mail addresses (`exemple.fr`).
    public var emailDomain: String?
    /// Signatures recorded from this moment…
    public var from: Date?
    /// …until this one (excluded).
    public var until: Date?

    public init(petitionID: UUID, clientAddress: String? = nil, emailDomain: String? = nil, from: Date? = nil, until: Date? = nil) {
        self.petitionID = petitionID
        self.clientAddress = clientAddress
        self.emailDomain = emailDomain
        self.from = from
        self.until = until
    }
}

/// How long a confirmation link stays valid; a pending signature older than that is removed.
public enum SignatureConfirmation {
    public static let validitySeconds: Double = 7 * 24 * 3600
}

/// What kind of program sent a request, as far as its headers tell, for grouping the
/// signatures held for review by source.
public enum UserAgentClass: String, Codable, Sendable, CaseIterable {
    /// A web browser's page (the form of the site).
    case browser
    /// A client of the JSON API.
    case api
    /// A command-line tool or an HTTP library (curl, python-requests…).
    case script
    /// No `User-Agent` at all.
    case unknown
}

/// Why a signature is held for review instead of counted: its source went over a signing
/// rate limit (a campus or a carrier's shared address, or a script). Staff release it (it then
/// counts once its address is confirmed) or invalidate it.
public struct SignatureHold: Codable, Sendable, Equatable {
    /// The name of the rate limit it went over (`signature-burst`, `signature-sustained`, `signature-domain`).
    public var rule: String
    public var agent: UserAgentClass

    public init(rule: String, agent: UserAgentClass) {
        self.rule = rule
        self.agent = agent
    }
}

/// Where held signatures came from: the network of their address (IPv4 /24, IPv6 /48; nil
/// when the address is unknown) and the kind of program that sent them.
public struct HeldSignatureSource: Codable, Sendable, Hashable {
    public var network: String?
    public var agent: UserAgentClass

    public init(network: String?, agent: UserAgentClass) {
        self.network = network
        self.agent = agent
    }
}
