public import Foundation

/// Which statement a participant is shown next: Pol.is's priority (issue 13).
///
/// With A agrees, P passes and S the times the statement was shown and answered (agrees,
/// disagrees and passes: a statement is shown until answered), p = (P+1)/(S+2),
/// a = (A+1)/(S+2), importance = (1 − p)(E + 1)·a where E is the statement's extremity on the
/// latest map (0 without one), and priority = (importance · (1 + 8·2^(−S/5)))². The last
/// factor lets new statements be seen early; statements passed by many sink.
public enum StatementPriority {
    public static func priority(agrees: Int, passes: Int, shown: Int, extremity: Double) -> Double {
        let shown = Double(shown)
        let passing = (Double(passes) + 1) / (shown + 2)
        let agreeing = (Double(agrees) + 1) / (shown + 2)
        let importance = (1 - passing) * (extremity + 1) * agreeing
        let novelty = 1 + 8 * pow(2, -shown / 5)
        let root = importance * novelty
        return root * root
    }

    /// A statement that could be shown, with its answers so far.
    public struct Candidate: Sendable, Equatable {
        public let id: UUID
        public let agrees: Int
        public let disagrees: Int
        public let passes: Int
        public let extremity: Double
        public let createdAt: Date

        public init(id: UUID, agrees: Int, disagrees: Int, passes: Int, extremity: Double, createdAt: Date) {
            self.id = id
            self.agrees = agrees
            self.disagrees = disagrees
            self.passes = passes
            self.extremity = extremity
            self.createdAt = createdAt
        }

        public var priority: Double {
            StatementPriority.priority(agrees: agrees, passes: passes, shown: agrees + disagrees + passes, extremity: extremity)
        }
    }

    /// The candidate with the highest priority among those the participant has not answered
    /// (never the same statement twice); equal priorities go to the older statement, then
    /// the smaller id, so the choice does not depend on the order of the rows.
    public static func next(among candidates: [Candidate], answered: Set<UUID>) -> Candidate? {
        candidates.filter { !answered.contains($0.id) }.max { left, right in
            let (leftPriority, rightPriority) = (left.priority, right.priority)
            if leftPriority != rightPriority { return leftPriority < rightPriority }
            if left.createdAt != right.createdAt { return left.createdAt > right.createdAt }
            return left.id.uuidString > right.id.uuidString
        }
    }
}
