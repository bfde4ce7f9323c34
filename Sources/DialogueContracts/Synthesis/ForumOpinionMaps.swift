public import Foundation

// The opinion map of a forum's statements, drawn by the synthesis reporter from
// `statement.voted` (library `OpinionMap`). Participants appear only as anonymous dots.

/// How far a statement pulls participants across the map, 0…1 (the most extreme is 1): the
/// E of the next-statement priority.
public struct StatementExtremity: Codable, Sendable, Equatable {
    public var statementID: UUID
    public var extremity: Double

    public init(statementID: UUID, extremity: Double) {
        self.statementID = statementID
        self.extremity = extremity
    }
}

/// The synthesis reporter recomputed a forum's map (`forum.opinion_map_updated`), after every
/// N new votes. Carries each statement's extremity, which the consultation service keeps for
/// the next-statement priority (empty while the map is not shown).
public struct ForumOpinionMapUpdated: DialogueEvent {
    public static let messageType = "forum.opinion_map_updated"
    public static let schemaVersion = 1

    public var forumID: UUID
    /// Whether enough participants qualify for the map to be shown (15).
    public var shown: Bool
    public var qualifyingParticipants: Int
    public var groupCount: Int
    public var extremities: [StatementExtremity]
    public var computedAt: Date

    public init(forumID: UUID, shown: Bool, qualifyingParticipants: Int, groupCount: Int, extremities: [StatementExtremity], computedAt: Date) {
        self.forumID = forumID
        self.shown = shown
        self.qualifyingParticipants = qualifyingParticipants
        self.groupCount = groupCount
        self.extremities = extremities
        self.computedAt = computedAt
    }
}

/// Reads a forum's latest map.
public struct GetForumOpinionMap: DialogueRequest {
    public static let messageType = "synthesis.opinion_map.get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.synthesis
    public typealias Response = ForumOpinionMapView

    public var forumID: UUID

    public init(forumID: UUID) {
        self.forumID = forumID
    }
}

/// A forum's map as last computed. `shown` false (and every list empty) while fewer than 15
/// participants qualify, or before any recompute.
public struct ForumOpinionMapView: Codable, Sendable, Equatable {
    public var forumID: UUID
    public var shown: Bool
    public var qualifyingParticipants: Int
    public var computedAt: Date?
    /// Every qualifying participant as a dot, without any identifier, in no meaningful order.
    public var points: [OpinionMapPoint]
    /// Largest first; a group's number is its place here plus one.
    public var groups: [OpinionMapGroup]
    public var consensus: [OpinionMapConsensus]
    public var divisive: [OpinionMapDivisive]

    public init(
        forumID: UUID, shown: Bool, qualifyingParticipants: Int, computedAt: Date?, points: [OpinionMapPoint] = [], groups: [OpinionMapGroup] = [],
        consensus: [OpinionMapConsensus] = [], divisive: [OpinionMapDivisive] = []
    ) {
        self.forumID = forumID
        self.shown = shown
        self.qualifyingParticipants = qualifyingParticipants
        self.computedAt = computedAt
        self.points = points
        self.groups = groups
        self.consensus = consensus
        self.divisive = divisive
    }
}

public struct OpinionMapPoint: Codable, Sendable, Equatable {
    public var x: Double
    public var y: Double
    /// Index into `ForumOpinionMapView.groups`.
    public var group: Int

    public init(x: Double, y: Double, group: Int) {
        self.x = x
        self.y = y
        self.group = group
    }
}

/// A group of participants who vote alike, and what sets it apart.
public struct OpinionMapGroup: Codable, Sendable, Equatable {
    public var size: Int
    public var centreX: Double
    public var centreY: Double
    /// Its representative statements, the most distinctive first.
    public var representative: [OpinionMapStatementLeaning]

    public init(size: Int, centreX: Double, centreY: Double, representative: [OpinionMapStatementLeaning]) {
        self.size = size
        self.centreX = centreX
        self.centreY = centreY
        self.representative = representative
    }
}

/// How a group leans on a statement: the direction (agree or disagree) and the share of its
/// members who voted it that voted that way.
public struct OpinionMapStatementLeaning: Codable, Sendable, Equatable {
    public var statementID: UUID
    public var direction: ForumReaction
    /// Of the group's members who voted on it, how many went `direction`.
    public var votes: Int
    public var voters: Int

    public init(statementID: UUID, direction: ForumReaction, votes: Int, voters: Int) {
        self.statementID = statementID
        self.direction = direction
        self.votes = votes
        self.voters = voters
    }
}

/// A statement every group agrees with (or every group rejects), significantly.
public struct OpinionMapConsensus: Codable, Sendable, Equatable {
    public var statementID: UUID
    public var direction: ForumReaction
    /// One per group, in the order of the groups.
    public var byGroup: [OpinionMapStatementLeaning]

    public init(statementID: UUID, direction: ForumReaction, byGroup: [OpinionMapStatementLeaning]) {
        self.statementID = statementID
        self.direction = direction
        self.byGroup = byGroup
    }
}

/// A statement some groups agree with and others reject, each significantly.
public struct OpinionMapDivisive: Codable, Sendable, Equatable {
    public var statementID: UUID
    public var agreeingGroups: [Int]
    public var disagreeingGroups: [Int]

    public init(statementID: UUID, agreeingGroups: [Int], disagreeingGroups: [Int]) {
        self.statementID = statementID
        self.agreeingGroups = agreeingGroups
        self.disagreeingGroups = disagreeingGroups
    }
}
