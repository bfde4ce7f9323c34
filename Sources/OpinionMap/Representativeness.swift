import Foundation
import MultipleTesting

/// How one group stands on one statement in one direction (agreeing, or disagreeing), against
/// everyone outside the group. With n votes in that direction among s votes seen (agree,
/// disagree and pass all count as seen), in the group (nₐ, nₛ) and outside it (oₐ, oₛ):
///
/// - `probability` pa = (nₐ + 1) / (nₛ + 2), the share voting that way, smoothed so that a
///   handful of votes is not read as certainty;
/// - `probabilityZ` pat = 2·√(nₛ + 1)·((nₐ + 1)/(nₛ + 1) − ½), a z-score of that share against
///   one half (more than half the group votes that way);
/// - `ratio` ra = pa ÷ (oₐ + 1)/(oₛ + 2), how much more the group votes that way than the rest;
/// - `ratioZ` rat, the two-proportion z-test of p₁ = (nₐ + 1)/(nₛ + 1) against
///   p₂ = (oₐ + 1)/(oₛ + 1), pooled p̂ = (nₐ + oₐ + 2)/(nₛ + oₛ + 2):
///   (p₁ − p₂) / √(p̂(1 − p̂)(1/(nₛ + 1) + 1/(oₛ + 1))), 0 when p̂ is 1.
///
/// The statement is significant for the group when both z exceed 1.2816 (one-sided 90 %); its
/// p-value is the larger of the two one-sided p-values (both tests must pass).
public struct StatementFigures: Sendable, Hashable, Codable {
    public let votesInGroup: Int
    public let seenInGroup: Int
    public let votesOutside: Int
    public let seenOutside: Int
    public let probability: Double
    public let probabilityZ: Double
    public let ratio: Double
    public let ratioZ: Double

    public init(votesInGroup: Int, seenInGroup: Int, votesOutside: Int, seenOutside: Int) {
        self.votesInGroup = votesInGroup
        self.seenInGroup = seenInGroup
        self.votesOutside = votesOutside
        self.seenOutside = seenOutside
        let (na, ns, oa, os) = (Double(votesInGroup), Double(seenInGroup), Double(votesOutside), Double(seenOutside))
        probability = (na + 1) / (ns + 2)
        probabilityZ = 2 * (ns + 1).squareRoot() * ((na + 1) / (ns + 1) - 0.5)
        ratio = probability / ((oa + 1) / (os + 2))
        let inside = (na + 1) / (ns + 1)
        let outside = (oa + 1) / (os + 1)
        let pooled = (na + oa + 2) / (ns + os + 2)
        let spread = (pooled * (1 - pooled) * (1 / (ns + 1) + 1 / (os + 1))).squareRoot()
        ratioZ = pooled >= 1 || spread == 0 ? 0 : (inside - outside) / spread
    }

    /// The one-sided p-value of the weaker of the two tests.
    public var pValue: Double { max(upperTail(probabilityZ), upperTail(ratioZ)) }

    /// How Pol.is ranks representative statements: ra · rat · pa · pat.
    public var representativenessScore: Double { ratio * ratioZ * probability * probabilityZ }

    func isSignificant(at z: Double) -> Bool { probabilityZ > z && ratioZ > z }
}

/// P(Z > z) for a standard normal Z.
func upperTail(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }

/// A statement that sets a group apart: the group agrees (or disagrees) with it more than the
/// others, significantly, after the Benjamini–Hochberg correction.
public struct RepresentativeStatement<Statement: Hashable & Comparable & Sendable>: Sendable, Equatable {
    public let statement: Statement
    /// `.agree` or `.disagree`: the way the group votes on it.
    public let direction: StatementVote
    public let figures: StatementFigures
    /// The Benjamini–Hochberg adjusted p-value among the statements tested for this group in
    /// this direction.
    public let adjustedPValue: Double
}

/// Vote counts per group and statement, from the matrix and each row's group.
struct GroupCounts {
    /// [group][statement]
    var agree: [[Int]]
    var disagree: [[Int]]
    var seen: [[Int]]
    var totalAgree: [Int]
    var totalDisagree: [Int]
    var totalSeen: [Int]

    init<P, S>(_ matrix: VoteMatrix<P, S>, groupOfRow: [Int], groupCount: Int) {
        let empty = Array(repeating: Array(repeating: 0, count: matrix.columnCount), count: groupCount)
        (agree, disagree, seen) = (empty, empty, empty)
        for row in 0..<matrix.rowCount {
            let group = groupOfRow[row]
            for cell in matrix.rowStart[row]..<matrix.rowStart[row + 1] {
                let column = Int(matrix.columns[cell])
                seen[group][column] += 1
                switch matrix.votes[cell] {
                case .agree: agree[group][column] += 1
                case .disagree: disagree[group][column] += 1
                case .pass: break
                }
            }
        }
        func total(_ counts: [[Int]]) -> [Int] { (0..<matrix.columnCount).map { column in counts.reduce(0) { $0 + $1[column] } } }
        (totalAgree, totalDisagree, totalSeen) = (total(agree), total(disagree), total(seen))
    }

    func figures(group: Int, statement: Int, direction: StatementVote) -> StatementFigures {
        let (inGroup, total) = direction == .agree ? (agree, totalAgree) : (disagree, totalDisagree)
        return StatementFigures(
            votesInGroup: inGroup[group][statement], seenInGroup: seen[group][statement],
            votesOutside: total[statement] - inGroup[group][statement], seenOutside: totalSeen[statement] - seen[group][statement]
        )
    }
}

enum Representativeness {
    /// A group's representative statements: among the statements seen by someone in the group,
    /// those significant in one direction (both z above `z`) whose Benjamini–Hochberg adjusted
    /// p-value, among the statements tested for the group in that direction, is at most
    /// `falseDiscoveryRate`; ranked by ra·rat·pa·pat (ties in statement order), at most `limit`.
    static func representative<S>(
        group: Int, counts: GroupCounts, statements: [S], z: Double, falseDiscoveryRate: Double, limit: Int
    ) -> [RepresentativeStatement<S>] {
        let tested = statements.indices.filter { counts.seen[group][$0] > 0 }
        var candidates: [(index: Int, statement: RepresentativeStatement<S>)] = []
        for direction in [StatementVote.agree, .disagree] {
            let figures = tested.map { counts.figures(group: group, statement: $0, direction: direction) }
            let adjusted = BenjaminiHochberg.adjusted(figures.map(\.pValue))
            for (position, statement) in tested.enumerated()
            where figures[position].isSignificant(at: z) && adjusted[position] <= falseDiscoveryRate {
                candidates.append(
                    (statement, RepresentativeStatement(
                        statement: statements[statement], direction: direction, figures: figures[position], adjustedPValue: adjusted[position]
                    ))
                )
            }
        }
        return candidates
            .sorted {
                let (left, right) = ($0.statement.figures.representativenessScore, $1.statement.figures.representativenessScore)
                return left != right ? left > right : $0.index < $1.index
            }
            .prefix(limit).map(\.statement)
    }
}
