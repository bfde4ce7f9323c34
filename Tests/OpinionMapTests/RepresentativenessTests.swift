@testable import OpinionMap
import Testing

/// The representativeness figures, BH correction, consensus and divisive statements against
/// numbers computed by hand (votes encoded agree = +1, disagree = −1, pass = 0).
@Suite struct RepresentativenessTests {
    /// A group where 8 of 10 who saw the statement agree, against 4 of 20 outside:
    ///
    ///     pa  = (8 + 1) / (10 + 2)                         = 0.75
    ///     pat = 2·√11·(9/11 − ½) = 6.633250 × 0.318182      = 2.110579
    ///     ra  = 0.75 ÷ ((4 + 1) / (20 + 2)) = 0.75 ÷ 0.227273 = 3.3
    ///     rat: p₁ = 9/11 = 0.818182, p₂ = 5/21 = 0.238095, p̂ = 14/32 = 0.4375,
    ///          √(0.4375 × 0.5625 × (1/11 + 1/21)) = √(0.246094 × 32/231) = 0.184637,
    ///          (0.818182 − 0.238095) / 0.184637                     = 3.141764
    ///     p   = max(P(Z > 2.110579), P(Z > 3.141764)) = max(0.017404, 0.000840) = 0.017404
    @Test func figuresOfOneStatement() {
        let figures = StatementFigures(votesInGroup: 8, seenInGroup: 10, votesOutside: 4, seenOutside: 20)
        #expect(abs(figures.probability - 0.75) < 1e-12)
        #expect(abs(figures.probabilityZ - 2.110579412) < 1e-8)
        #expect(abs(figures.ratio - 3.3) < 1e-12)
        #expect(abs(figures.ratioZ - 3.141763770) < 1e-8)
        #expect(abs(figures.pValue - 0.017404239) < 1e-8)
        #expect(figures.isSignificant(at: 1.2816))
        // Everyone agreeing inside and outside: p̂ = 1, no difference to test.
        #expect(StatementFigures(votesInGroup: 5, seenInGroup: 5, votesOutside: 3, seenOutside: 3).ratioZ == 0)
    }

    /// Ten participants, group 0 = participants 1–6, group 1 = participants 7–10, three statements:
    /// s1: group 0 all agree, group 1 all disagree; s2: everyone agrees; s3: group 0 three agree
    /// and three disagree, group 1 all agree.
    ///
    /// Group 0, agreeing (the family tested: s1, s2, s3):
    ///     s1: na 6/6, outside 0/4: pa = 7/8 = 0.875, pat = 2·√7·(7/7 − ½) = 2.645751,
    ///         ra = 0.875 ÷ 1/6 = 5.25, p₁ = 1, p₂ = 1/5, p̂ = 8/12,
    ///         rat = 0.8 / √(⅔·⅓·(1/7 + 1/5)) = 0.8 / 0.276026 = 2.898275, p = P(Z > 2.645751) = 0.004075
    ///     s2: outside 4/4 too: p̂ = 1, rat = 0, p = ½
    ///     s3: na 3/6 against 4/4: pat = 0.377964, rat = −1.690309, p = 0.954516
    ///     BH: s1 3 × 0.004075 / 1 = 0.012226 ≤ 0.10, kept; s2 min(3 × 0.5 / 2, 0.954516) = 0.75.
    /// Group 1:
    ///     s1 disagreeing: 4/4 against 0/6: pa = 5/6, pat = 2·√5·½ = 2.236068, ra = (5/6) ÷ (1/8) = 6.666667,
    ///         rat = (1 − 1/7) / √(½·½·(1/5 + 1/7)) = 2.927700, p = 0.012674; BH among the three
    ///         disagreeing tests (s2 and s3 have no disagreement in group 1): 3 × 0.012674 = 0.038021, kept.
    ///     s3 agreeing: 4/4 against 3/6: pat = 2.236068, rat = (1 − 4/7) / √(¾·¼·(1/5 + 1/7)) = 1.690309,
    ///         both above 1.2816, p = P(Z > 1.690309) = 0.045484; but BH among the three agreeing
    ///         tests (s1 and s2 are not smaller) gives 3 × 0.045484 = 0.136453 > 0.10: dropped by the correction.
    /// Consensus: s2 agreed, pa·pat = 0.875 × 2.645751 in group 0 and 5/6 × 2.236068 in group 1.
    /// Divisive: s1 (group 0 agrees, group 1 disagrees); not s3 (group 0's pd = 4/8 is not above ½).
    @Test func representativeConsensusAndDivisiveStatements() throws {
        var votes: [Vote<Int, String>] = []
        for participant in 1...10 {
            let inFirstGroup = participant <= 6
            votes.append(Vote(participant: participant, statement: "s1", value: inFirstGroup ? .agree : .disagree))
            votes.append(Vote(participant: participant, statement: "s2", value: .agree))
            let third: StatementVote = inFirstGroup ? (participant <= 3 ? .agree : .disagree) : .agree
            votes.append(Vote(participant: participant, statement: "s3", value: third))
        }
        let matrix = VoteMatrix(VoteTable(votes), minimumVotes: 7)
        #expect(matrix.rowCount == 10, "with 3 statements, 3 votes qualify: min(7, 3)")
        let counts = GroupCounts(matrix, groupOfRow: (1...10).map { $0 <= 6 ? 0 : 1 }, groupCount: 2)

        let first = Representativeness.representative(group: 0, counts: counts, statements: matrix.statements, z: 1.2816, falseDiscoveryRate: 0.10, limit: 5)
        #expect(first.map(\.statement) == ["s1"])
        let s1 = try #require(first.first)
        #expect(s1.direction == .agree)
        #expect(abs(s1.figures.probability - 0.875) < 1e-12)
        #expect(abs(s1.figures.probabilityZ - 2.645751311) < 1e-8)
        #expect(abs(s1.figures.ratio - 5.25) < 1e-12)
        #expect(abs(s1.figures.ratioZ - 2.898275349) < 1e-8)
        #expect(abs(s1.adjustedPValue - 3 * 0.004075485797) < 1e-9)

        let second = Representativeness.representative(group: 1, counts: counts, statements: matrix.statements, z: 1.2816, falseDiscoveryRate: 0.10, limit: 5)
        #expect(second.map(\.statement) == ["s1"], "s3 passes both z-tests but not the Benjamini–Hochberg correction")
        #expect(second.first?.direction == .disagree)
        #expect(abs((second.first?.figures.ratio ?? 0) - 6.666666667) < 1e-8)
        #expect(abs((second.first?.figures.ratioZ ?? 0) - 2.927700219) < 1e-8)
        #expect(abs((second.first?.adjustedPValue ?? 0) - 3 * 0.012673659339) < 1e-9)
        let s3InSecond = counts.figures(group: 1, statement: 2, direction: .agree)
        #expect(s3InSecond.isSignificant(at: 1.2816))
        #expect(abs(s3InSecond.pValue - 0.045484474) < 1e-8)

        // Without the correction s3 would represent group 1 too.
        let uncorrected = Representativeness.representative(group: 1, counts: counts, statements: matrix.statements, z: 1.2816, falseDiscoveryRate: 1, limit: 5)
        #expect(uncorrected.map(\.statement) == ["s1", "s3"])
    }

    /// The same ten participants through the whole map (minimum lowered to 10): two groups,
    /// s2 the consensus, s1 the divisive statement.
    @Test func consensusAndDivisiveOnTheMap() throws {
        var votes: [Vote<Int, String>] = []
        for participant in 1...10 {
            let inFirstGroup = participant <= 6
            votes.append(Vote(participant: participant, statement: "s1", value: inFirstGroup ? .agree : .disagree))
            votes.append(Vote(participant: participant, statement: "s2", value: .agree))
            let third: StatementVote = inFirstGroup ? (participant <= 3 ? .agree : .disagree) : .agree
            votes.append(Vote(participant: participant, statement: "s3", value: third))
        }
        var configuration = OpinionMapConfiguration()
        configuration.minimumParticipants = 10
        let map = try #require(OpinionMap.compute(votes: votes, configuration: configuration).map)
        let groupOf = Dictionary(uniqueKeysWithValues: map.participants.map { ($0.participant, $0.group) })
        // s1 splits the participants 6 / 4, the most: the two groups follow it.
        #expect(adjustedRandIndex((1...10).map { $0 <= 6 }, (1...10).map { groupOf[$0]! }) == 1)
        #expect(map.consensus.map(\.statement) == ["s2"])
        #expect(map.consensus.first?.direction == .agree)
        #expect(abs((map.consensus.first?.score ?? 0) - 0.875 * 2.645751311 * (5.0 / 6) * 2.236067977) < 1e-6)
        #expect(map.divisive.map(\.statement) == ["s1"])
        // s2 moves nobody: extremity 0; s1, the divide, is the most extreme.
        #expect(map.extremity(of: "s2") < 1e-9)
        #expect(abs(map.extremity(of: "s1") - 1) < 1e-12)
        #expect(map.extremity(of: "unknown") == 0)
    }
}
