public import Foundation

// Accountability (*redevabilité*): what became of each contribution, as staff say it, and the
// balance sheet of a consultation.

/// What became of a contribution, as staff set it. Every contribution starts `received`.
public enum ContributionAnswerStatus: String, Codable, Sendable, CaseIterable {
    /// Received, not looked at yet (every contribution's first status).
    case received
    /// Staff are studying it.
    case underStudy = "under_study"
    /// Retained: it will be carried into the assembly's work.
    case retained
    /// Not retained, with the reason (required).
    case notRetained = "not_retained"
    /// Taken into a report of the assembly, with a link to it (required).
    case inReport = "in_report"

    /// Whether this status counts as retained in the balance sheet (taken into a report is retained too).
    public var countsAsRetained: Bool { self == .retained || self == .inReport }
}

/// Staff's say on a contribution: its status, the reason when it is not retained, the link to
/// the report that took it in, and an optional public answer.
public struct ContributionAnswer: Codable, Sendable, Equatable {
    public static let textLength = 0...3_000
    public static let reasonLength = 3...1_000
    public static let reportURLLength = 10...500

    public var status: ContributionAnswerStatus
    /// The public answer (optional).
    public var text: String?
    /// Why it was not retained (`not_retained` only, required then).
    public var reason: String?
    /// The report that took it in (`in_report` only, required then): an http(s) address.
    public var reportURL: String?
    /// When staff last changed it (set by the service; nil before any change).
    public var answeredAt: Date?

    /// Trims every text; an empty one is none; a reason or link that does not belong to the status is dropped.
    public init(status: ContributionAnswerStatus, text: String? = nil, reason: String? = nil, reportURL: String? = nil, answeredAt: Date? = nil) {
        func optional(_ value: String?) -> String? {
            let value = value?.trimmingCharacters(in: .whitespacesAndNewlines)
            return value?.isEmpty == false ? value : nil
        }
        self.status = status
        self.text = optional(text)
        self.reason = status == .notRetained ? optional(reason) : nil
        self.reportURL = status == .inReport ? optional(reportURL) : nil
        self.answeredAt = answeredAt
    }

    /// Every rule the answer breaks, each naming its field (`reason`, `report_url`, `text`).
    public var problems: [RequestFailure] {
        var problems: [RequestFailure] = []
        func invalid(_ field: String, _ message: String) {
            problems.append(RequestFailure(code: .invalid, message: message, field: field))
        }
        if status == .notRetained {
            let reason = reason ?? ""
            if !Self.reasonLength.contains(reason.count) {
                invalid("reason", reason.isEmpty
                    ? "Dites pourquoi la contribution n'est pas retenue : c'est obligatoire."
                    : "La raison doit compter entre 3 et 1 000 caractères.")
            }
        }
        if status == .inReport {
            let link = reportURL ?? ""
            if link.isEmpty {
                invalid("report_url", "Indiquez le lien du rapport qui reprend la contribution.")
            } else if !Self.reportURLLength.contains(link.count) || !(link.hasPrefix("https://") || link.hasPrefix("http://"))
                || URL(string: link)?.host == nil || link.contains(where: \.isWhitespace) {
                invalid("report_url", "Le lien du rapport doit être une adresse web complète, commençant par https://.")
            }
        }
        if let text, !Self.textLength.contains(text.count) {
            invalid("text", "La réponse publique doit compter au plus 3 000 caractères.")
        }
        return problems
    }

    /// Whether two answers say the same thing (the date aside): setting the same again is no change.
    public func saysTheSame(as other: ContributionAnswer) -> Bool {
        status == other.status && text == other.text && reason == other.reason && reportURL == other.reportURL
    }
}

/// Staff set the status and answer of one or several contributions of a consultation (the
/// same answer for a selection). Each contribution whose answer changes is audited and told to
/// its author and supporters (`contribution.status_changed`), once per change; one whose
/// answer is already this one changes nothing.
public struct AnswerContributions: DialogueRequest {
    public static let messageType = "contribution.answer"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = AnswerOutcome

    public static let selectionSize = 1...200

    public var consultationID: UUID
    public var contributionIDs: [UUID]
    public var answer: ContributionAnswer
    public var staffID: UUID
    public var staffName: String

    public init(consultationID: UUID, contributionIDs: [UUID], answer: ContributionAnswer, staffID: UUID, staffName: String) {
        self.consultationID = consultationID
        self.contributionIDs = contributionIDs
        self.answer = answer
        self.staffID = staffID
        self.staffName = staffName
    }
}

public struct AnswerOutcome: Codable, Sendable, Equatable {
    /// The contributions whose answer changed (each told once).
    public var changed: [UUID]
    /// Those that already had this answer.
    public var unchanged: [UUID]

    public init(changed: [UUID], unchanged: [UUID]) {
        self.changed = changed
        self.unchanged = unchanged
    }
}

/// Staff changed what became of a contribution. Carries who to tell — its author and the
/// people supporting it now, by account (never an e-mail) — and the facts the synthesis reads.
public struct ContributionStatusChanged: DialogueEvent {
    public static let messageType = "contribution.status_changed"
    public static let schemaVersion = 1

    public var contributionID: UUID
    public var consultationID: UUID
    public var kind: ContributionKind
    public var theme: String
    public var title: String
    public var from: ContributionAnswerStatus
    public var answer: ContributionAnswer
    public var authorAccountID: UUID?
    public var supporterAccountIDs: [UUID]
    public var changedAt: Date

    public init(
        contributionID: UUID, consultationID: UUID, kind: ContributionKind, theme: String, title: String, from: ContributionAnswerStatus,
        answer: ContributionAnswer, authorAccountID: UUID?, supporterAccountIDs: [UUID], changedAt: Date
    ) {
        self.contributionID = contributionID
        self.consultationID = consultationID
        self.kind = kind
        self.theme = theme
        self.title = title
        self.from = from
        self.answer = answer
        self.authorAccountID = authorAccountID
        self.supporterAccountIDs = supporterAccountIDs
        self.changedAt = changedAt
    }
}

/// One published contribution, publicly: what a contribution page shows to anyone.
public struct GetContribution: DialogueRequest {
    public static let messageType = "contribution.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ContributionView

    public var contributionID: UUID
    /// The person reading, to say whether they support it.
    public var viewerAccountID: UUID?

    public init(contributionID: UUID, viewerAccountID: UUID? = nil) {
        self.contributionID = contributionID
        self.viewerAccountID = viewerAccountID
    }
}

/// A consultation's public balance sheet.
public struct GetBalanceSheet: DialogueRequest {
    public static let messageType = "consultation.balance_sheet"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ConsultationBalanceSheet

    public var consultationID: UUID

    public init(consultationID: UUID) {
        self.consultationID = consultationID
    }
}

/// What came of a consultation's contributions, counted from the data when asked. Counts cover
/// every contribution gathered and not withdrawn (published or not); only published ones are
/// named in `reports`.
public struct ConsultationBalanceSheet: Codable, Sendable, Equatable {
    public struct Figures: Codable, Sendable, Equatable {
        /// Gathered and not withdrawn.
        public var collected: Int
        /// Shown on the site.
        public var published: Int
        /// Given a status other than « reçue », or a public answer.
        public var answered: Int
        /// Retained (taken into a report included).
        public var retained: Int

        public init(collected: Int, published: Int, answered: Int, retained: Int) {
            self.collected = collected
            self.published = published
            self.answered = answered
            self.retained = retained
        }
    }

    public struct ThemeFigures: Codable, Sendable, Equatable {
        public var theme: String
        public var figures: Figures

        public init(theme: String, figures: Figures) {
            self.theme = theme
            self.figures = figures
        }
    }

    public struct StatusCount: Codable, Sendable, Equatable {
        public var status: ContributionAnswerStatus
        public var count: Int

        public init(status: ContributionAnswerStatus, count: Int) {
            self.status = status
            self.count = count
        }
    }

    /// A published contribution taken into a report, with the report's link.
    public struct Report: Codable, Sendable, Equatable {
        public var contributionID: UUID
        public var title: String
        public var reportURL: String

        public init(contributionID: UUID, title: String, reportURL: String) {
            self.contributionID = contributionID
            self.title = title
            self.reportURL = reportURL
        }
    }

    public var consultationID: UUID
    public var total: Figures
    public var testimonies: Figures
    public var proposals: Figures
    public var online: Figures
    public var inPerson: Figures
    /// Every theme of the consultation, in its order (zeros included).
    public var themes: [ThemeFigures]
    /// Every status, in the order of `ContributionAnswerStatus.allCases`.
    public var statuses: [StatusCount]
    /// The median time from a contribution's arrival to staff's first answer, in days; nil before any answer.
    public var medianDaysToAnswer: Double?
    public var reports: [Report]

    public init(
        consultationID: UUID, total: Figures, testimonies: Figures, proposals: Figures, online: Figures, inPerson: Figures, themes: [ThemeFigures],
        statuses: [StatusCount], medianDaysToAnswer: Double?, reports: [Report]
    ) {
        self.consultationID = consultationID
        self.total = total
        self.testimonies = testimonies
        self.proposals = proposals
        self.online = online
        self.inPerson = inPerson
        self.themes = themes
        self.statuses = statuses
        self.medianDaysToAnswer = medianDaysToAnswer
        self.reports = reports
    }
}
