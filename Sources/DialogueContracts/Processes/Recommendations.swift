public import Foundation

// The orientation report of a process (seed 001's step 5), recommendation by recommendation,
// each citing the contributions it draws on; what the council made of each (step 6); and the
// implementation milestones of the adopted ones. The chain contribution → recommendation →
// decision → milestone reads both ways.

/// What the council made of a recommendation once the policy was adopted.
public enum RecommendationFate: String, Codable, Sendable, CaseIterable {
    case adopted
    /// Adopted in another form (the reason says how).
    case modified
    /// Set aside (the reason says why).
    case rejected

    /// Whether a reason must be given (always, except for a plain adoption).
    public var needsReason: Bool { self != .adopted }
    /// Whether the recommendation is carried out, so that it has implementation milestones.
    public var isImplemented: Bool { self != .rejected }
}

/// Where an implementation milestone stands.
public enum MilestoneStatus: String, Codable, Sendable, CaseIterable {
    case planned
    case inProgress = "in_progress"
    case delayed
    case done
}

/// A recommendation as staff write it: its number in the report, its title, its text and the
/// contributions it draws on (of the consultations of the process's phases, published).
public struct RecommendationDraft: Codable, Sendable, Equatable {
    public static let numberRange = 1...999
    public static let titleLength = 3...200
    public static let textLength = 10...10_000
    public static let maximumCitations = 100

    public var number: Int
    public var title: String
    public var text: String
    /// In the order staff gave them, each once.
    public var contributionIDs: [UUID]

    /// Trims the texts and keeps each contribution once, in its first place.
    public init(number: Int, title: String, text: String, contributionIDs: [UUID]) {
        self.number = number
        self.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        self.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var seen = Set<UUID>()
        self.contributionIDs = contributionIDs.filter { seen.insert($0).inserted }
    }

    /// Every rule the draft breaks, each naming its field (`number`, `title`, `text`, `contributions`).
    public var problems: [RequestFailure] {
        var problems: [RequestFailure] = []
        func fail(_ field: String, _ message: String) { problems.append(RequestFailure(code: .invalid, message: message, field: field)) }
        if !Self.numberRange.contains(number) { fail("number", "Le numéro de la recommandation va de 1 à 999.") }
        if !Self.titleLength.contains(title.count) { fail("title", "Le titre de la recommandation compte de 3 à 200 caractères.") }
        if !Self.textLength.contains(text.count) { fail("text", "Le texte de la recommandation compte de 10 à 10 000 caractères.") }
        if contributionIDs.count > Self.maximumCitations { fail("contributions", "Une recommandation cite au plus 100 contributions.") }
        return problems
    }
}

/// An implementation milestone as staff write it.
public struct MilestoneDraft: Codable, Sendable, Equatable {
    public static let titleLength = 3...200
    public static let progressRange = 0...100

    public var title: String
    /// When it is due (`yyyy-MM-dd`, in the region).
    public var dueOn: String
    /// In percent.
    public var progress: Int
    public var status: MilestoneStatus

    public init(title: String, dueOn: String, progress: Int, status: MilestoneStatus) {
        self.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        self.dueOn = dueOn.trimmingCharacters(in: .whitespacesAndNewlines)
        self.progress = progress
        self.status = status
    }

    /// Every rule the draft breaks, each naming its field (`title`, `due_on`, `progress`).
    public var problems: [RequestFailure] {
        var problems: [RequestFailure] = []
        func fail(_ field: String, _ message: String) { problems.append(RequestFailure(code: .invalid, message: message, field: field)) }
        if !Self.titleLength.contains(title.count) { fail("title", "Le titre du jalon compte de 3 à 200 caractères.") }
        if ProcessDay.start(of: dueOn) == nil { fail("due_on", "Indiquez l'échéance du jalon, par exemple 2028-06-30.") }
        if !Self.progressRange.contains(progress) {
            fail("progress", "L'avancement est un pourcentage, de 0 à 100.")
        } else if status == .done && progress != 100 {
            fail("progress", "Un jalon atteint est avancé à 100 %.")
        }
        return problems
    }
}

// MARK: Requests

/// Writes a recommendation of a process's orientation report (staff): a new one, or a draft not
/// yet published (`recommendationID`). Each cited contribution must belong to a consultation
/// of one of the process's phases and be published; a refusal names its field and stores
/// nothing. Audited.
public struct WriteRecommendation: DialogueRequest {
    public static let messageType = "recommendation.write"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = RecommendationView

    public var processID: UUID
    /// The draft to rewrite; nil writes a new one.
    public var recommendationID: UUID?
    public var draft: RecommendationDraft
    public var staffID: UUID
    public var staffName: String

    public init(processID: UUID, recommendationID: UUID? = nil, draft: RecommendationDraft, staffID: UUID, staffName: String) {
        self.processID = processID
        self.recommendationID = recommendationID
        self.draft = draft
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// Publishes a recommendation (staff): from then on it and its citations are public, and the
/// authors and supporters of the contributions it cites are told once
/// (`recommendation.published`). Publishing again changes nothing.
public struct PublishRecommendation: DialogueRequest {
    public static let messageType = "recommendation.publish"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = RecommendationView

    public var recommendationID: UUID
    public var staffID: UUID
    public var staffName: String

    public init(recommendationID: UUID, staffID: UUID, staffName: String) {
        self.recommendationID = recommendationID
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// Says what the council made of a published recommendation (staff): adopted, modified or set
/// aside, with a reason for the last two. A change is told once (`recommendation.decided`);
/// the same decision again changes nothing.
public struct DecideRecommendation: DialogueRequest {
    public static let messageType = "recommendation.decide"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = RecommendationView

    public static let reasonLength = 3...2_000

    public var recommendationID: UUID
    public var fate: RecommendationFate
    public var reason: String?
    public var staffID: UUID
    public var staffName: String

    /// Trims the reason; an empty one is none.
    public init(recommendationID: UUID, fate: RecommendationFate, reason: String?, staffID: UUID, staffName: String) {
        let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        self.recommendationID = recommendationID
        self.fate = fate
        self.reason = trimmed?.isEmpty == false ? trimmed : nil
        self.staffID = staffID
        self.staffName = staffName
    }

    /// The reason as given, trimmed; nil when blank. (A decoded message never went through
    /// `init`: the service reads the reason through this.)
    public var givenReason: String? {
        let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed?.isEmpty == false ? trimmed : nil
    }

    /// The rule the decision breaks, naming its field (`reason`), or nil.
    public var problem: RequestFailure? {
        guard let reason = givenReason else {
            guard fate.needsReason else { return nil }
            return RequestFailure(
                code: .invalid,
                message: fate == .modified
                    ? "Dites en quoi la recommandation a été modifiée : c'est obligatoire." : "Dites pourquoi la recommandation est écartée : c'est obligatoire.",
                field: "reason"
            )
        }
        guard Self.reasonLength.contains(reason.count) else {
            return RequestFailure(code: .invalid, message: "La raison compte de 3 à 2 000 caractères.", field: "reason")
        }
        return nil
    }
}

/// Adds an implementation milestone to an adopted (or modified) recommendation, or changes one
/// (`milestoneID`), staff. A milestone that moves is told once (`milestone.updated`); saving it
/// unchanged tells nobody.
public struct SaveMilestone: DialogueRequest {
    public static let messageType = "recommendation.save_milestone"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = RecommendationView

    public static let maximumPerRecommendation = 30

    public var recommendationID: UUID
    /// The milestone to change; nil adds one.
    public var milestoneID: UUID?
    public var draft: MilestoneDraft
    public var staffID: UUID
    public var staffName: String

    public init(recommendationID: UUID, milestoneID: UUID? = nil, draft: MilestoneDraft, staffID: UUID, staffName: String) {
        self.recommendationID = recommendationID
        self.milestoneID = milestoneID
        self.draft = draft
        self.staffID = staffID
        self.staffName = staffName
    }
}

/// A process's recommendations in the order of their numbers: the published ones, or (staff)
/// the drafts too.
public struct ListRecommendations: DialogueRequest {
    public static let messageType = "recommendation.list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = RecommendationList

    public var processID: UUID
    public var includeDrafts: Bool

    public init(processID: UUID, includeDrafts: Bool = false) {
        self.processID = processID
        self.includeDrafts = includeDrafts
    }
}

/// One recommendation with the contributions it draws on, its fate and its milestones; a draft
/// is found only with `includeDraft` (staff).
public struct GetRecommendation: DialogueRequest {
    public static let messageType = "recommendation.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = RecommendationView

    public var recommendationID: UUID
    public var includeDraft: Bool

    public init(recommendationID: UUID, includeDraft: Bool = false) {
        self.recommendationID = recommendationID
        self.includeDraft = includeDraft
    }
}

/// The published recommendations that cite a contribution: the way back from a contribution.
public struct ListContributionRecommendations: DialogueRequest {
    public static let messageType = "recommendation.list_for_contribution"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ContributionRecommendations

    public var contributionID: UUID

    public init(contributionID: UUID) {
        self.contributionID = contributionID
    }
}

// MARK: Views

/// A contribution a recommendation cites, as its page links to it.
public struct CitedContribution: Codable, Sendable, Equatable {
    public var contributionID: UUID
    public var consultationID: UUID
    public var kind: ContributionKind
    public var title: String
    /// The author's public name; nil for an anonymous one.
    public var authorName: String?

    public init(contributionID: UUID, consultationID: UUID, kind: ContributionKind, title: String, authorName: String?) {
        self.contributionID = contributionID
        self.consultationID = consultationID
        self.kind = kind
        self.title = title
        self.authorName = authorName
    }
}

/// What the council made of a recommendation, and when staff said so.
public struct RecommendationDecision: Codable, Sendable, Equatable {
    public var fate: RecommendationFate
    public var reason: String?
    public var decidedAt: Date

    public init(fate: RecommendationFate, reason: String?, decidedAt: Date) {
        self.fate = fate
        self.reason = reason
        self.decidedAt = decidedAt
    }
}

public struct MilestoneView: Codable, Sendable, Equatable {
    public var id: UUID
    public var title: String
    public var dueOn: String
    public var progress: Int
    public var status: MilestoneStatus
    public var updatedAt: Date

    public init(id: UUID, title: String, dueOn: String, progress: Int, status: MilestoneStatus, updatedAt: Date) {
        self.id = id
        self.title = title
        self.dueOn = dueOn
        self.progress = progress
        self.status = status
        self.updatedAt = updatedAt
    }
}

public struct RecommendationView: Codable, Sendable, Equatable {
    public var id: UUID
    public var processID: UUID
    public var processTitle: String
    public var number: Int
    public var title: String
    public var text: String
    /// Nil while it is a draft.
    public var publishedAt: Date?
    /// The published contributions it cites, in staff's order (one withdrawn or hidden since is left out).
    public var contributions: [CitedContribution]
    public var decision: RecommendationDecision?
    /// By due date.
    public var milestones: [MilestoneView]

    public init(
        id: UUID, processID: UUID, processTitle: String, number: Int, title: String, text: String, publishedAt: Date?,
        contributions: [CitedContribution], decision: RecommendationDecision?, milestones: [MilestoneView]
    ) {
        self.id = id
        self.processID = processID
        self.processTitle = processTitle
        self.number = number
        self.title = title
        self.text = text
        self.publishedAt = publishedAt
        self.contributions = contributions
        self.decision = decision
        self.milestones = milestones
    }
}

public struct RecommendationList: Codable, Sendable, Equatable {
    public var processID: UUID
    public var processTitle: String
    public var items: [RecommendationView]

    public init(processID: UUID, processTitle: String, items: [RecommendationView]) {
        self.processID = processID
        self.processTitle = processTitle
        self.items = items
    }
}

/// A published recommendation citing a contribution, as the contribution's page links to it.
public struct RecommendationReference: Codable, Sendable, Equatable {
    public var recommendationID: UUID
    public var processID: UUID
    public var processTitle: String
    public var number: Int
    public var title: String
    public var fate: RecommendationFate?

    public init(recommendationID: UUID, processID: UUID, processTitle: String, number: Int, title: String, fate: RecommendationFate?) {
        self.recommendationID = recommendationID
        self.processID = processID
        self.processTitle = processTitle
        self.number = number
        self.title = title
        self.fate = fate
    }
}

public struct ContributionRecommendations: Codable, Sendable, Equatable {
    public var contributionID: UUID
    public var items: [RecommendationReference]

    public init(contributionID: UUID, items: [RecommendationReference]) {
        self.contributionID = contributionID
        self.items = items
    }
}

// MARK: Events

/// A recommendation was published: the people to tell are the authors and the current
/// supporters of the contributions it cites, each once, by account (never an e-mail).
public struct RecommendationPublished: DialogueEvent {
    public static let messageType = "recommendation.published"
    public static let schemaVersion = 1

    public var recommendationID: UUID
    public var processID: UUID
    public var processTitle: String
    public var number: Int
    public var title: String
    public var contributionIDs: [UUID]
    public var recipientAccountIDs: [UUID]
    public var publishedAt: Date

    public init(
        recommendationID: UUID, processID: UUID, processTitle: String, number: Int, title: String, contributionIDs: [UUID],
        recipientAccountIDs: [UUID], publishedAt: Date
    ) {
        self.recommendationID = recommendationID
        self.processID = processID
        self.processTitle = processTitle
        self.number = number
        self.title = title
        self.contributionIDs = contributionIDs
        self.recipientAccountIDs = recipientAccountIDs
        self.publishedAt = publishedAt
    }
}

/// What the council made of a recommendation, told to the people of the contributions it cites.
public struct RecommendationDecided: DialogueEvent {
    public static let messageType = "recommendation.decided"
    public static let schemaVersion = 1

    public var recommendationID: UUID
    public var processID: UUID
    public var processTitle: String
    public var number: Int
    public var title: String
    public var decision: RecommendationDecision
    public var recipientAccountIDs: [UUID]

    public init(
        recommendationID: UUID, processID: UUID, processTitle: String, number: Int, title: String, decision: RecommendationDecision,
        recipientAccountIDs: [UUID]
    ) {
        self.recommendationID = recommendationID
        self.processID = processID
        self.processTitle = processTitle
        self.number = number
        self.title = title
        self.decision = decision
        self.recipientAccountIDs = recipientAccountIDs
    }
}

/// An implementation milestone was added or moved, told to the people of the contributions its
/// recommendation cites.
public struct MilestoneUpdated: DialogueEvent {
    public static let messageType = "milestone.updated"
    public static let schemaVersion = 1

    public var recommendationID: UUID
    public var processID: UUID
    public var processTitle: String
    public var number: Int
    public var recommendationTitle: String
    public var milestone: MilestoneView
    /// Nil for a new milestone.
    public var previousProgress: Int?
    public var recipientAccountIDs: [UUID]

    public init(
        recommendationID: UUID, processID: UUID, processTitle: String, number: Int, recommendationTitle: String, milestone: MilestoneView,
        previousProgress: Int?, recipientAccountIDs: [UUID]
    ) {
        self.recommendationID = recommendationID
        self.processID = processID
        self.processTitle = processTitle
        self.number = number
        self.recommendationTitle = recommendationTitle
        self.milestone = milestone
        self.previousProgress = previousProgress
        self.recipientAccountIDs = recipientAccountIDs
    }
}
