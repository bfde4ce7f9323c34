import OpinionMap
import Testing

/// Planted camps recovered, the same votes giving the same map, the minimum of participants,
/// the hysteresis of the number of groups, and the warm-started recompute.
@Suite struct OpinionMapTests {
    /// Votes of `camps.count` camps of the given sizes on `statementCount` statements: statement
    /// 0 is agreed by every camp (the consensus); on the others each camp has a stance, agree or
    /// disagree, alternating between camps so that camps differ; a participant votes their
    /// camp's stance with probability 0.85, otherwise any vote, and skips a statement with
    /// probability `skip`. Returns the votes and each participant's camp.
    static func plantedCamps(sizes: [Int], statementCount: Int = 24, skip: Double = 0.2, seed: UInt64) -> (votes: [Vote<Int, Int>], campOf: [Int: Int]) {
        var generator = SeededGenerator(seed: seed)
        let stances: [[StatementVote]] = sizes.indices.map { camp in (0..<statementCount).map { stance(camp: camp, statement: $0) } }
        var votes: [Vote<Int, Int>] = []
        var campOf: [Int: Int] = [:]
        var participant = 0
        for (camp, size) in sizes.enumerated() {
            for _ in 0..<size {
                participant += 1
                campOf[participant] = camp
                for statement in 0..<statementCount where statement == 0 || generator.nextUnitInterval() >= skip {
                    let value = generator.nextUnitInterval() < 0.85 ? stances[camp][statement] : StatementVote.allCases[generator.nextIndex(below: 3)]
                    votes.append(Vote(participant: participant, statement: statement, value: value))
                }
            }
        }
        return (votes, campOf)
    }

    /// A camp's stance: statement 0 agreed by all; otherwise a bit of the statement's number,
    /// a different bit per camp, so that camps differ on about half the statements.
    static func stance(camp: Int, statement: Int) -> StatementVote {
        if statement == 0 { return .agree }
        return ((statement >> (camp % 3)) + camp) % 2 == 0 ? .agree : .disagree
    }

    static func recovery(_ map: OpinionMap<Int, Int>, campOf: [Int: Int]) -> Double {
        adjustedRandIndex(map.participants.map { campOf[$0.participant]! }, map.participants.map(\.group))
    }

    static func pow2(_ value: Double) -> Double { value * value }

    @Test func votesAreEncodedAgreePlusOneDisagreeMinusOnePassZero() {
        // Pol.is encodes agree as −1; this map encodes it as +1.
        #expect(StatementVote.agree.rawValue == 1)
        #expect(StatementVote.disagree.rawValue == -1)
        #expect(StatementVote.pass.rawValue == 0)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func twoPlantedCampsAreRecoveredWithTheirConsensus(seed: UInt64) throws {
        let (votes, campOf) = Self.plantedCamps(sizes: [30, 22], seed: seed)
        let map = try #require(OpinionMap.compute(votes: votes).map)
        #expect(map.groups.count == 2)
        #expect(Self.recovery(map, campOf: campOf) >= 0.9)
        #expect(map.groups.map(\.size).sorted() == [22, 30])
        #expect(map.consensus.contains { $0.statement == 0 && $0.direction == .agree })
        // Each group is represented by statements its camp votes together.
        #expect(map.groups.allSatisfy { !$0.representative.isEmpty })
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func threePlantedCampsAreRecoveredWithTheirConsensus(seed: UInt64) throws {
        let (votes, campOf) = Self.plantedCamps(sizes: [25, 20, 15], seed: seed)
        let map = try #require(OpinionMap.compute(votes: votes).map)
        #expect(map.groups.count == 3)
        #expect(Self.recovery(map, campOf: campOf) >= 0.9)
        #expect(map.consensus.contains { $0.statement == 0 && $0.direction == .agree })
        // Every consensus found is one the three camps planted (some statements share a stance
        // in all three by the bit pattern).
        #expect(map.consensus.allSatisfy { consensus in (0..<3).allSatisfy { Self.stance(camp: $0, statement: consensus.statement) == consensus.direction } })
        #expect(!map.divisive.isEmpty)
        // The consensus statement moves nobody; a statement dividing the camps does.
        let consensusExtremity = map.extremity(of: 0)
        #expect(map.divisive.allSatisfy { map.extremity(of: $0.statement) > consensusExtremity })
        #expect(map.extremities.max() == 1)
    }

    @Test func theSameVotesInAnyOrderGiveTheSameMap() throws {
        let (votes, _) = Self.plantedCamps(sizes: [25, 20, 15], seed: 7)
        let first = OpinionMap.compute(votes: votes)
        var generator = SeededGenerator(seed: 99)
        let shuffled = votes.shuffled(using: &generator)
        #expect(shuffled != votes)
        let second = OpinionMap.compute(votes: shuffled)
        let firstMap = try #require(first.map)
        #expect(firstMap == second.map)
        #expect(first.state == second.state)
        // Warm-started from the same state, the same votes give the same map again.
        let warmFirst = OpinionMap.compute(votes: votes, previous: first.state)
        let warmSecond = OpinionMap.compute(votes: shuffled, previous: first.state)
        let warmFirstMap = try #require(warmFirst.map)
        #expect(warmFirstMap == warmSecond.map)
    }

    @Test func theLastVoteOnAStatementCounts() throws {
        let (votes, _) = Self.plantedCamps(sizes: [25, 20], seed: 4)
        // Everyone first disagrees with the consensus statement, then changes their mind.
        let changed = votes.filter { $0.statement == 0 }.map { Vote(participant: $0.participant, statement: 0, value: StatementVote.disagree) } + votes
        let changedMap = try #require(OpinionMap.compute(votes: changed).map)
        #expect(changedMap == OpinionMap.compute(votes: votes).map)
    }

    /// Votes added in batches, with new participants, new statements and changed votes, give
    /// the table (hence the map) that all the votes at once give.
    @Test func addingVotesInBatchesEqualsComputingFromAllOfThem() throws {
        let (votes, _) = Self.plantedCamps(sizes: [25, 20, 15], statementCount: 30, seed: 31)
        var generator = SeededGenerator(seed: 32)
        let shuffled = votes.shuffled(using: &generator)
        // Later batches bring new statements (30–33), new participants (101–104) and changes of mind.
        let extra = (101...104).flatMap { participant in (0..<34).map { Vote(participant: participant, statement: $0, value: StatementVote.allCases[($0 + participant) % 3]) } }
        let changes = votes.prefix(40).map { Vote(participant: $0.participant, statement: $0.statement, value: $0.value == .agree ? .disagree : .agree) }
        let all = shuffled + extra + changes
        var computation = OpinionMap.compute(votes: Array(all.prefix(10)))
        #expect(!computation.isShown)
        var position = 10
        var states: [OpinionMapState<Int>?] = []
        while position < all.count {
            let batch = Array(all[position..<min(position + 333, all.count)])
            computation = computation.recomputed(adding: batch)
            states.append(computation.state)
            position += batch.count
        }
        let fromAll = OpinionMap.compute(votes: all, previous: states[states.count - 2])
        let incrementalMap = try #require(computation.map)
        #expect(incrementalMap == fromAll.map)
        #expect(incrementalMap.participants.count == 64)
        #expect(incrementalMap.statements == Array(0..<34))
    }

    @Test func nothingIsShownUnderFifteenQualifyingParticipants() throws {
        // 14 participants vote on all 10 statements; 6 more vote on 6 only: they do not
        // qualify (fewer than min(7, 10) votes), so 14 qualify and nothing is shown.
        var votes: [Vote<Int, Int>] = []
        for participant in 1...20 {
            for statement in 0..<(participant <= 14 ? 10 : 6) {
                votes.append(Vote(participant: participant, statement: statement, value: (participant + statement) % 2 == 0 ? .agree : .disagree))
            }
        }
        let hidden = OpinionMap.compute(votes: votes)
        #expect(hidden.map == nil)
        #expect(!hidden.isShown)
        #expect(hidden.qualifyingParticipants == 14)
        #expect(hidden.state == nil)

        // One of them casts a seventh vote: 15 qualify, the map is shown with 15 participants.
        votes.append(Vote(participant: 15, statement: 6, value: .agree))
        let shown = try #require(OpinionMap.compute(votes: votes).map)
        #expect(shown.participants.count == 15)
        #expect(shown.groups.reduce(0) { $0 + $1.size } == 15)

        // With five statements, five votes are enough: min(7, 5).
        let fewStatements = (1...15).flatMap { participant in
            (0..<5).map { Vote(participant: participant, statement: $0, value: StatementVote.allCases[(participant * $0) % 3]) }
        }
        #expect(OpinionMap.compute(votes: fewStatements).qualifyingParticipants == 15)
    }

    @Test func aNewNumberOfGroupsIsAdoptedOnlyAfterWinningThreeRunsInARow() throws {
        let two = Self.plantedCamps(sizes: [30, 30], seed: 11)
        let three = Self.plantedCamps(sizes: [25, 20, 15], seed: 12)
        let start = OpinionMap.compute(votes: two.votes)
        #expect(start.map?.groups.count == 2)
        #expect(OpinionMap.compute(votes: three.votes).map?.groups.count == 3, "three camps alone make three groups")

        // The votes now show three camps: two groups are kept twice, the third run adopts three.
        let first = OpinionMap.compute(votes: three.votes, previous: start.state)
        #expect(first.map?.groups.count == 2)
        #expect(first.state?.challengerGroupCount == 3 && first.state?.challengerRuns == 1)
        let second = OpinionMap.compute(votes: three.votes, previous: first.state)
        #expect(second.map?.groups.count == 2)
        let third = OpinionMap.compute(votes: three.votes, previous: second.state)
        #expect(third.map?.groups.count == 3)
        #expect(Self.recovery(try #require(third.map), campOf: three.campOf) >= 0.9)
        #expect(third.state?.challengerGroupCount == nil)

        // A challenger interrupted starts counting again.
        let interrupted = OpinionMap.compute(votes: two.votes, previous: first.state)
        #expect(interrupted.map?.groups.count == 2)
        #expect(interrupted.state?.challengerGroupCount == nil)
        let again = OpinionMap.compute(votes: three.votes, previous: interrupted.state)
        #expect(again.map?.groups.count == 2)
        #expect(again.state?.challengerRuns == 1)
    }

    @Test func aWarmStartedRecomputeAfterNewVotesIsCheaperAndFindsTheCamps() throws {
        let (votes, campOf) = Self.plantedCamps(sizes: [40, 35, 30], statementCount: 40, skip: 0.5, seed: 21)
        let before = OpinionMap.compute(votes: votes)
        // New votes: each participant votes once more on a statement they skipped, as their camp would.
        var voted = Set(votes.map { "\($0.participant)-\($0.statement)" })
        var newVotes: [Vote<Int, Int>] = []
        for participant in 1...105 {
            for statement in 0..<40 where voted.insert("\(participant)-\(statement)").inserted {
                newVotes.append(Vote(participant: participant, statement: statement, value: campOf[participant]! % 2 == 0 ? .agree : .disagree))
                break
            }
        }
        let allVotes = votes + newVotes
        let warm = OpinionMap.compute(votes: allVotes, previous: before.state)
        // Adding only the new votes to the previous computation gives the very same map.
        let incremental = before.recomputed(adding: newVotes)
        let warmMap = try #require(warm.map)
        #expect(incremental.map == warmMap)
        #expect(incremental.state == warm.state)
        let cold = OpinionMap.compute(votes: allVotes)
        #expect(Self.recovery(warmMap, campOf: campOf) >= 0.9)
        #expect(adjustedRandIndex(warmMap.participants.map(\.group), try #require(cold.map).participants.map(\.group)) >= 0.9)
        #expect(warm.componentIterations < cold.componentIterations)
        // The warm start keeps the previous plane and orientation: the axes do not flip. (Three
        // camps of similar sizes spread alike along any axis of the plane, so the axes may turn
        // within it.)
        let (previous, next) = (try #require(before.state), try #require(warm.state))
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        #expect(dot(previous.firstComponent, next.firstComponent) > 0)
        #expect(dot(previous.secondComponent, next.secondComponent) > 0)
        let inNewPlane = Self.pow2(dot(previous.firstComponent, next.firstComponent)) + Self.pow2(dot(previous.firstComponent, next.secondComponent))
        #expect(inNewPlane > 0.95)
    }
}
