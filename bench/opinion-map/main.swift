// The opinion map at the scale: 10,000 participants, 1,000 statements, 500,000 votes
// from 3 planted camps (a fixed seed, so every run sees the same votes). Prints the time of a
// full recompute, of an incremental one after 1,000 new votes, a bare baseline (one pass
// summing the votes per statement) measured in the same run so ratios can be quoted, and the
// adjusted Rand index of the groups against the planted camps.
import OpinionMap

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let participantCount = 10_000
let statementCount = 1_000
let votesPerParticipant = 50
let campCount = 3
let newVoteCount = 1_000
/// Statements every camp agrees with: the consensus the map should find.
let consensusStatements = 0..<10
/// How often a participant votes their camp's stance (otherwise any of the three at random).
let fidelity = 0.75

var generator = SeededGenerator(seed: 2026_12_07)
let campOf = (0..<participantCount).map { _ in generator.nextIndex(below: campCount) }
let stances: [[StatementVote]] = (0..<campCount).map { _ in
    (0..<statementCount).map { statement in
        if consensusStatements.contains(statement) { return .agree }
        let draw = generator.nextUnitInterval()
        return draw < 0.45 ? .agree : draw < 0.9 ? .disagree : .pass
    }
}

func plantedVote(participant: Int, statement: Int, generator: inout SeededGenerator) -> Vote<Int, Int> {
    let value: StatementVote =
        generator.nextUnitInterval() < fidelity
        ? stances[campOf[participant]][statement] : StatementVote.allCases[generator.nextIndex(below: 3)]
    return Vote(participant: participant, statement: statement, value: value)
}

var votes: [Vote<Int, Int>] = []
votes.reserveCapacity(participantCount * votesPerParticipant + newVoteCount)
var voted = Array(repeating: Set<Int>(), count: participantCount)
var order = Array(0..<statementCount)
for participant in 0..<participantCount {
    // A partial Fisher–Yates shuffle: the first 50 of a random order, no statement twice.
    for position in 0..<votesPerParticipant {
        order.swapAt(position, position + generator.nextIndex(below: statementCount - position))
        votes.append(plantedVote(participant: participant, statement: order[position], generator: &generator))
        voted[participant].insert(order[position])
    }
}
var newVotes: [Vote<Int, Int>] = []
while newVotes.count < newVoteCount {
    let participant = generator.nextIndex(below: participantCount)
    let statement = generator.nextIndex(below: statementCount)
    guard voted[participant].insert(statement).inserted else { continue }
    newVotes.append(plantedVote(participant: participant, statement: statement, generator: &generator))
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// The CPU time of this process: with two cores shared by builds, the wall time says more
/// about the neighbours than about the map, so both are printed.
func processorSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

struct Timing {
    let wall: Double
    let processor: Double

    func ratio(to other: Timing) -> Double { processor / other.processor }

    var description: String { "\(format(processor)) s CPU (\(format(wall)) s wall)" }
}

func timed<Result>(_ work: () -> Result) -> (Result, Timing) {
    let clock = ContinuousClock()
    let start = clock.now
    let startProcessor = processorSeconds()
    let result = work()
    return (result, Timing(wall: seconds(clock.now - start), processor: processorSeconds() - startProcessor))
}

func recovery(_ map: OpinionMap<Int, Int>?) -> String {
    guard let map else { return "map not shown" }
    let ari = adjustedRandIndex(map.participants.map { campOf[$0.participant] }, map.participants.map(\.group))
    let consensusFound = map.consensus.filter { consensusStatements.contains($0.statement) && $0.direction == .agree }.count
    return "groups \(map.groups.map(\.size)), ARI \(format(ari)), planted consensus found \(consensusFound)/\(consensusStatements.count)"
}

func format(_ value: Double, digits: Int = 3) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    return "\(rounded)"
}

// The baseline: one pass over the votes summing them per statement, what any map must at least do.
let (baselineSums, baseline) = timed { () -> [Int] in
    var sums = Array(repeating: 0, count: statementCount)
    for vote in votes { sums[vote.statement] += Int(vote.value.rawValue) }
    return sums
}
precondition(baselineSums.count == statementCount)

print("== Opinion map: \(participantCount) participants, \(statementCount) statements, \(votes.count) votes, \(campCount) planted camps")
let (full, fullTime) = timed { OpinionMap.compute(votes: votes) }
print("full recompute          \(fullTime.description)   (\(format(fullTime.ratio(to: baseline), digits: 0)) × the baseline; PCA \(full.componentIterations) steps, base k-means \(full.baseClusteringIterations) iterations)")
print("                        \(recovery(full.map))")

let allVotes = votes + newVotes
let (incremental, incrementalTime) = timed { full.recomputed(adding: newVotes) }
print("incremental (+\(newVoteCount) votes) \(incrementalTime.description)   (\(format(incrementalTime.ratio(to: baseline), digits: 0)) × the baseline, \(format(fullTime.ratio(to: incrementalTime), digits: 1)) × less CPU than full; PCA \(incremental.componentIterations) steps, base k-means \(incremental.baseClusteringIterations) iterations)")
print("                        \(recovery(incremental.map))")

let (fromScratch, fromScratchTime) = timed { OpinionMap.compute(votes: allVotes) }
let (warm, warmTime) = timed { OpinionMap.compute(votes: allVotes, previous: full.state) }
print("all votes, warm-started \(warmTime.description)   (the previous state only, votes indexed again; PCA \(warm.componentIterations) steps, base k-means \(warm.baseClusteringIterations) iterations)")
print("                        \(recovery(warm.map))")
print("same votes from scratch \(fromScratchTime.description)   \(recovery(fromScratch.map))")
print("baseline (one pass summing the votes per statement) \(format(baseline.processor * 1000, digits: 2)) ms CPU (\(format(baseline.wall * 1000, digits: 2)) ms wall)")
print("machine: \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) cores, load \(loadAverage()) when done; ratios are of CPU times")
print("targets: full < 10 s, incremental < 1 s, ARI ≥ 0.9")

/// The one-minute load average: above the core count, other work shared the cores.
func loadAverage() -> String {
    var loads = [0.0, 0.0, 0.0]
    return getloadavg(&loads, 3) > 0 ? format(loads[0], digits: 1) : "unknown"
}
