public import Foundation

// Short statements of a forum (issue 13, after Pol.is): participants submit them (moderated
// like posts), every participant answers them one at a time — d'accord, pas d'accord, je
// passe — and the synthesis reporter draws the opinion map from the votes.

/// The rules of statements, shared by the site (which checks first) and the service (which decides).
public enum StatementRules {
    /// A statement is short: one idea, read at a glance.
    public static let maximumLength = 140

    /// The statement's problem, if any: empty, or longer than 140 characters.
    public static func problem(_ text: String) -> RequestFailure? {
        if text.isEmpty { return RequestFailure(code: .invalid, message: "Écrivez votre affirmation.", field: "text") }
        if text.count > maximumLength {
            return RequestFailure(
                code: .invalid,
                message: "Une affirmation compte au plus 140 caractères : la vôtre en compte \(text.count), raccourcissez-la.",
                field: "text"
            )
        }
        return nil
    }
}

/// A statement for moderation (`statement.submitted`): shown to voters once moderation's decision says so.
public struct StatementSubmitted: ContentSubmission {
    public static let contentType = ContentType.statement
    public var content: SubmittedContent
    public init(content: SubmittedContent) { self.content = content }
}

/// One statement as the voting page and the map show it.
public struct StatementView: Codable, Sendable, Equatable {
    public var id: UUID
    public var forumID: UUID
    public var text: String
    public var authorAccountID: UUID?
    /// Shown to voters; a hidden statement is seen by its author only.
    public var visible: Bool
    public var moderationStatus: String
    public var createdAt: Date

    public init(id: UUID, forumID: UUID, text: String, authorAccountID: UUID?, visible: Bool, moderationStatus: String, createdAt: Date) {
        self.id = id
        self.forumID = forumID
        self.text = text
        self.authorAccountID = authorAccountID
        self.visible = visible
        self.moderationStatus = moderationStatus
        self.createdAt = createdAt
    }
}

/// A participant submits a statement in a forum that takes posts; it goes to moderation with
/// the forum's policy. Refused, storing nothing, when empty or longer than 140 characters.
public struct SubmitStatement: DialogueRequest {
    public static let messageType = "forum.statement.submit"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = StatementView

    public var forumID: UUID
    public var text: String
    public var author: ForumAuthor

    public init(forumID: UUID, text: String, author: ForumAuthor) {
        self.forumID = forumID
        self.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        self.author = author
    }
}

/// The statement to show a participant next: the shown statement they have not answered with
/// the highest priority (`StatementPriority` in the consultation service); none once they
/// answered them all.
public struct GetNextStatement: DialogueRequest {
    public static let messageType = "forum.statement.next"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = NextStatement

    public var forumID: UUID
    public var accountID: UUID

    public init(forumID: UUID, accountID: UUID) {
        self.forumID = forumID
        self.accountID = accountID
    }
}

public struct NextStatement: Codable, Sendable, Equatable {
    public var forum: ForumView
    /// Nil: nothing left to answer (or no statement shown yet).
    public var statement: StatementView?
    /// Statements the participant answered in this forum.
    public var answered: Int
    /// Shown statements they have not answered yet, the one proposed included.
    public var remaining: Int

    public init(forum: ForumView, statement: StatementView?, answered: Int, remaining: Int) {
        self.forum = forum
        self.statement = statement
        self.answered = answered
        self.remaining = remaining
    }
}

/// A participant answers a shown statement. Each person has one answer per statement, which
/// another answer replaces; the same answer again (the form sent twice) changes nothing and
/// is not announced. Refused on a hidden statement and in a forum that does not take posts.
public struct VoteOnStatement: DialogueRequest {
    public static let messageType = "forum.statement.vote"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = StatementVoteReceipt

    public var statementID: UUID
    public var accountID: UUID
    public var vote: ForumReaction

    public init(statementID: UUID, accountID: UUID, vote: ForumReaction) {
        self.statementID = statementID
        self.accountID = accountID
        self.vote = vote
    }
}

public struct StatementVoteReceipt: Codable, Sendable, Equatable {
    public var forumID: UUID
    /// False when the person had already given this very answer (nothing changed).
    public var recorded: Bool

    public init(forumID: UUID, recorded: Bool) {
        self.forumID = forumID
        self.recorded = recorded
    }
}

/// The shown statements of a forum, oldest first, with their answers so far (the map names
/// statements by id: the site reads their texts here). Not found for a forum that does not
/// exist or is not open yet.
public struct ListForumStatements: DialogueRequest {
    public static let messageType = "forum.statement.list"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ForumStatementList

    public var forumID: UUID
    /// Whose answers come back as `mine` (nobody's when nil).
    public var viewerAccountID: UUID?

    public init(forumID: UUID, viewerAccountID: UUID? = nil) {
        self.forumID = forumID
        self.viewerAccountID = viewerAccountID
    }
}

public struct ForumStatementList: Codable, Sendable, Equatable {
    public var items: [CountedStatement]

    public init(items: [CountedStatement]) {
        self.items = items
    }
}

/// A shown statement and its answers: d'accord, pas d'accord, je passe, and the viewer's.
public struct CountedStatement: Codable, Sendable, Equatable {
    public var statement: StatementView
    public var votes: ForumReactionCounts

    public init(statement: StatementView, votes: ForumReactionCounts) {
        self.statement = statement
        self.votes = votes
    }
}

/// A participant answered a statement (`statement.voted`), or changed their answer: the
/// latest `votedAt` of a participant and statement is their answer. The participant is a
/// pseudonym: a random id per person and forum, never the account (and after the person
/// erased their account, linked to nobody).
public struct StatementVoted: DialogueEvent {
    public static let messageType = "statement.voted"
    public static let schemaVersion = 1

    public var forumID: UUID
    public var statementID: UUID
    public var participantID: UUID
    public var vote: ForumReaction
    public var votedAt: Date

    public init(forumID: UUID, statementID: UUID, participantID: UUID, vote: ForumReaction, votedAt: Date) {
        self.forumID = forumID
        self.statementID = statementID
        self.participantID = participantID
        self.vote = vote
        self.votedAt = votedAt
    }
}
