/// The settings of the opinion map; the defaults are the (and Pol.is's).
public struct OpinionMapConfiguration: Sendable, Hashable {
    /// Below this many qualifying participants the map is not shown (too few to hide anyone).
    public var minimumParticipants = 15
    /// A participant qualifies with at least min(this, number of statements) votes.
    public var minimumVotesPerParticipant = 7
    /// Participants are first gathered into at most this many base clusters on the map.
    public var baseClusterCount = 100
    /// Groups are tried for k = 2…min(this, 2 + ⌊base clusters / 12⌋).
    public var maximumGroupCount = 5
    /// A number of groups other than the current one is adopted once it has had the best
    /// silhouette this many recomputes in a row, so the map does not flicker between k.
    public var groupCountAdoptionRuns = 3
    /// One-sided 90 %: the z a test must exceed.
    public var significanceZ = 1.2816
    /// The level of the Benjamini–Hochberg correction of representative statements.
    public var falseDiscoveryRate = 0.10
    /// Representative statements kept per group.
    public var representativeLimit = 5
    /// k-means++ runs per number of groups (the least inertia kept).
    public var groupRestarts = 10
    /// The seed of every random choice: the same votes give the same map.
    public var seed: UInt64 = 0x0D1A_1091_E0F1_5EED
    /// PCA stops when the plane moves less than this (sum of squared sines of its angles).
    public var componentTolerance = 1e-8
    public var maximumComponentIterations = 1000

    public init() {}
}

/// What a recompute carries to the next: the components (by statement), the base cluster
/// centres, and the number of groups with its challenger. Given to the next recompute it
/// warm-starts it (see `OpinionMap.compute`); the synthesis reporter stores it between runs.
public struct OpinionMapState<Statement: Hashable & Comparable & Sendable>: Sendable, Equatable {
    public let statements: [Statement]
    public let firstComponent: [Double]
    public let secondComponent: [Double]
    public let baseCentres: [MapPoint]
    /// The number of groups shown.
    public let groupCount: Int
    /// The number of groups that had the best silhouette but is not adopted yet, and for how
    /// many recomputes in a row.
    public let challengerGroupCount: Int?
    public let challengerRuns: Int
}

extension OpinionMapState: Codable where Statement: Codable {}

/// One participant on the map.
public struct PlacedParticipant<Participant: Hashable & Comparable & Sendable>: Sendable, Equatable {
    public let participant: Participant
    public let position: MapPoint
    /// Index into `OpinionMap.groups`.
    public let group: Int
}

/// A group of participants who vote alike.
public struct OpinionGroup<Statement: Hashable & Comparable & Sendable>: Sendable, Equatable {
    public let size: Int
    public let centre: MapPoint
    public let representative: [RepresentativeStatement<Statement>]
}

/// A statement every group agrees with (or every group disagrees with), significantly:
/// pa > ½ and pat above the threshold in each group; ranked by the product of pa·pat over groups.
public struct ConsensusStatement<Statement: Hashable & Comparable & Sendable>: Sendable, Equatable {
    public let statement: Statement
    public let direction: StatementVote
    /// One per group, in the order of `OpinionMap.groups`.
    public let figuresByGroup: [StatementFigures]
    public let score: Double
}

/// A statement that splits the groups: some agree with it and some disagree, each
/// significantly (pa > ½ and pat above the threshold in its direction); ranked by the strongest
/// agreeing pa·pat times the strongest disagreeing pd·pdt.
public struct DivisiveStatement<Statement: Hashable & Comparable & Sendable>: Sendable, Equatable {
    public let statement: Statement
    public let agreeingGroups: [Int]
    public let disagreeingGroups: [Int]
    public let score: Double
}

/// The opinion map of a forum's statements (issue 13, after Pol.is).
///
/// Votes are encoded **agree = +1, disagree = −1, pass = 0** (Pol.is uses −1 for agree). The
/// participants with at least min(7, number of statements) votes form a participant ×
/// statement matrix, missing votes filled by the statement's mean; PCA to two components
/// places them on a plane; k-means gathers them into base clusters, whose centres, weighted by
/// their sizes, are grouped for k = 2…min(5, 2 + ⌊base clusters / 12⌋), the k with the best
/// silhouette adopted once it wins several recomputes in a row. Then each group's
/// representative statements, the consensus and divisive statements, and each statement's
/// extremity. Every random choice comes from a fixed seed: the same votes (in any order) and
/// the same previous state give the same map.
public struct OpinionMap<Participant: Hashable & Comparable & Sendable, Statement: Hashable & Comparable & Sendable>: Sendable, Equatable {
    /// Every statement with a vote, sorted.
    public let statements: [Statement]
    /// How far each statement (same order) pulls participants across the map: the length of its
    /// loadings on the two components, each weighted by that component's spread, scaled so the
    /// most extreme statement is 1. The E of the next-statement priority.
    public let extremities: [Double]
    /// The qualifying participants, sorted.
    public let participants: [PlacedParticipant<Participant>]
    /// Largest first.
    public let groups: [OpinionGroup<Statement>]
    public let consensus: [ConsensusStatement<Statement>]
    public let divisive: [DivisiveStatement<Statement>]

    /// A statement's extremity, 0 for a statement the map does not know (no vote yet).
    public func extremity(of statement: Statement) -> Double {
        guard let index = binarySearch(statements, statement) else { return 0 }
        return extremities[index]
    }
}

/// A recompute's outcome: the map, or nothing to show below the minimum of participants.
public struct OpinionMapComputation<Participant: Hashable & Comparable & Sendable, Statement: Hashable & Comparable & Sendable>: Sendable {
    /// `nil`: « not shown », fewer qualifying participants than the minimum.
    public let map: OpinionMap<Participant, Statement>?
    public let qualifyingParticipants: Int
    /// To give to the next recompute (the previous one, unchanged, when the map is not shown).
    public let state: OpinionMapState<Statement>?
    /// Steps the PCA took: few when warm-started.
    public let componentIterations: Int
    /// Lloyd iterations of the base clustering: few when warm-started.
    public let baseClusteringIterations: Int
    /// Every vote so far, by participant in index space, for `recomputed(adding:)`.
    let table: VoteTable<Participant, Statement>
    let configuration: OpinionMapConfiguration

    public var isShown: Bool { map != nil }

    /// The map after `newVotes` (a vote on a statement already voted replaces the earlier one),
    /// incrementally: the old votes are reused as they are indexed here, only the new ones are
    /// hashed, and the iterations are warm-started from this computation's state (see
    /// `OpinionMap.compute`). The same votes give the same map as `compute(votes:previous:)`
    /// with all the votes and this state.
    public func recomputed(adding newVotes: [Vote<Participant, Statement>]) -> OpinionMapComputation {
        OpinionMap.compute(table: VoteTable(adding: newVotes, to: table), previous: state, configuration: configuration)
    }
}

extension OpinionMap {
    /// Computes the map from every vote of the forum (when a participant voted twice on a
    /// statement, the vote given last counts).
    ///
    /// **Incremental recompute**: given the state of the previous map, the PCA starts from the
    /// previous components (statements matched by identifier, new ones at 0, signs kept the
    /// previous way) and the base clusters from the previous centres (Lloyd iterations only,
    /// no k-means++ seeding); after a few new votes both are nearly converged already, so the
    /// recompute costs a few passes over the votes instead of hundreds. The grouping of the
    /// (at most 100) base centres is cheap and redone; the number of groups follows the
    /// previous state's hysteresis. Without a state (or when the base clusters outgrew it),
    /// everything starts from the seed. Kept in memory, the previous computation does better
    /// still: `recomputed(adding:)` takes only the new votes.
    public static func compute(
        votes: [Vote<Participant, Statement>], previous: OpinionMapState<Statement>? = nil, configuration: OpinionMapConfiguration = .init()
    ) -> OpinionMapComputation<Participant, Statement> {
        compute(table: VoteTable(votes), previous: previous, configuration: configuration)
    }

    static func compute(
        table: VoteTable<Participant, Statement>, previous: OpinionMapState<Statement>?, configuration: OpinionMapConfiguration
    ) -> OpinionMapComputation<Participant, Statement> {
        let matrix = VoteMatrix(table, minimumVotes: configuration.minimumVotesPerParticipant)
        guard matrix.rowCount >= max(configuration.minimumParticipants, 2) else {
            return OpinionMapComputation(
                map: nil, qualifyingParticipants: matrix.rowCount, state: previous, componentIterations: 0, baseClusteringIterations: 0,
                table: table, configuration: configuration
            )
        }

        // Components.
        let warmComponents = previous.map { previous in
            var index: [Statement: Int] = [:]
            for (position, statement) in previous.statements.enumerated() { index[statement] = position }
            let positions = matrix.statements.map { index[$0] }
            return (
                positions.map { $0.map { previous.firstComponent[$0] } ?? 0 },
                positions.map { $0.map { previous.secondComponent[$0] } ?? 0 }
            )
        }
        let components = PrincipalComponents.compute(
            matrix, start: warmComponents, reference: warmComponents, seed: configuration.seed,
            tolerance: configuration.componentTolerance, maximumIterations: configuration.maximumComponentIterations
        )

        // Positions: each participant's centred votes projected on the components, scaled by
        // √(statements / votes cast) so that who voted on few statements is not pulled to the
        // centre merely for lack of votes (as Pol.is does).
        let (xs, ys) = matrix.multiply(components.first, components.second)
        let positions = (0..<matrix.rowCount).map { row in
            let scale = (Double(matrix.columnCount) / Double(matrix.votesCast(byRow: row))).squareRoot()
            return MapPoint(x: xs[row] * scale, y: ys[row] * scale)
        }

        // Base clusters.
        let baseCount = min(configuration.baseClusterCount, matrix.rowCount)
        let base: KMeansClustering<MapPoint>
        if let previous, !previous.baseCentres.isEmpty, previous.baseCentres.count <= baseCount {
            base = KMeans.refine(positions, from: previous.baseCentres)
        } else {
            var generator = SeededGenerator(seed: configuration.seed)
            base = KMeans.cluster(positions, count: baseCount, generator: &generator)
        }
        var baseSizes = Array(repeating: 0.0, count: base.centres.count)
        for cluster in base.assignments { baseSizes[cluster] += 1 }

        // Groups: each candidate k clustered from its own seed, scored by silhouette.
        let largestK = min(configuration.maximumGroupCount, 2 + base.centres.count / 12, base.centres.count)
        var candidates: [Int: (clustering: KMeansClustering<MapPoint>, silhouette: Double)] = [:]
        if largestK >= 2 {
            for k in 2...largestK {
                var generator = SeededGenerator(seed: configuration.seed &+ UInt64(k))
                let clustering = KMeans.cluster(base.centres, weights: baseSizes, count: k, generator: &generator, restarts: configuration.groupRestarts)
                guard clustering.centres.count == k else { continue }
                candidates[k] = (clustering, Silhouette.score(base.centres, weights: baseSizes, assignments: clustering.assignments))
            }
        }
        let best = candidates.keys.sorted().max { candidates[$0]!.silhouette < candidates[$1]!.silhouette }
        let choice = GroupCountChoice(previous: previous, best: best, available: Set(candidates.keys), adoptionRuns: configuration.groupCountAdoptionRuns)
        let groupOfBase = choice.groupCount.flatMap { candidates[$0]?.clustering.assignments } ?? Array(repeating: 0, count: base.centres.count)
        let rawGroupOfRow = base.assignments.map { groupOfBase[$0] }

        // Groups numbered largest first (ties: leftmost, then lowest centre).
        let rawGroupCount = (groupOfBase.max() ?? 0) + 1
        var rawSizes = Array(repeating: 0, count: rawGroupCount)
        var rawSums = Array(repeating: (x: 0.0, y: 0.0), count: rawGroupCount)
        for (row, group) in rawGroupOfRow.enumerated() {
            rawSizes[group] += 1
            rawSums[group].x += positions[row].x
            rawSums[group].y += positions[row].y
        }
        let rawCentres = rawGroupCount == 0 ? [] : (0..<rawGroupCount).map {
            MapPoint(x: rawSums[$0].x / Double(max(rawSizes[$0], 1)), y: rawSums[$0].y / Double(max(rawSizes[$0], 1)))
        }
        let order = (0..<rawGroupCount).filter { rawSizes[$0] > 0 }.sorted {
            (rawSizes[$0], -rawCentres[$0].x, -rawCentres[$0].y) > (rawSizes[$1], -rawCentres[$1].x, -rawCentres[$1].y)
        }
        var renumbering = Array(repeating: 0, count: rawGroupCount)
        for (newIndex, raw) in order.enumerated() { renumbering[raw] = newIndex }
        let groupOfRow = rawGroupOfRow.map { renumbering[$0] }

        let counts = GroupCounts(matrix, groupOfRow: groupOfRow, groupCount: order.count)
        let groups = order.enumerated().map { newIndex, raw in
            OpinionGroup(
                size: rawSizes[raw], centre: rawCentres[raw],
                representative: Representativeness.representative(
                    group: newIndex, counts: counts, statements: matrix.statements, z: configuration.significanceZ,
                    falseDiscoveryRate: configuration.falseDiscoveryRate, limit: configuration.representativeLimit
                )
            )
        }

        let map = OpinionMap(
            statements: matrix.statements,
            extremities: extremities(components),
            participants: matrix.participants.indices.map {
                PlacedParticipant(participant: matrix.participants[$0], position: positions[$0], group: groupOfRow[$0])
            },
            groups: groups,
            consensus: consensusStatements(counts: counts, groupCount: groups.count, statements: matrix.statements, z: configuration.significanceZ),
            divisive: divisiveStatements(counts: counts, groupCount: groups.count, statements: matrix.statements, z: configuration.significanceZ)
        )
        let state = OpinionMapState(
            statements: matrix.statements, firstComponent: components.first, secondComponent: components.second,
            baseCentres: base.centres, groupCount: choice.groupCount ?? 1,
            challengerGroupCount: choice.challenger, challengerRuns: choice.challengerRuns
        )
        return OpinionMapComputation(
            map: map, qualifyingParticipants: matrix.rowCount, state: state,
            componentIterations: components.iterations, baseClusteringIterations: base.iterations,
            table: table, configuration: configuration
        )
    }

    private static func extremities(_ components: PrincipalComponents) -> [Double] {
        let (firstSpread, secondSpread) = (max(components.firstVariance, 0).squareRoot(), max(components.secondVariance, 0).squareRoot())
        let lengths = zip(components.first, components.second).map { first, second in
            let (x, y) = (first * firstSpread, second * secondSpread)
            return (x * x + y * y).squareRoot()
        }
        let largest = lengths.max() ?? 0
        return largest > 0 ? lengths.map { $0 / largest } : lengths
    }

    private static func consensusStatements(counts: GroupCounts, groupCount: Int, statements: [Statement], z: Double) -> [ConsensusStatement<Statement>] {
        guard groupCount > 0 else { return [] }
        var found: [(index: Int, consensus: ConsensusStatement<Statement>)] = []
        for direction in [StatementVote.agree, .disagree] {
            for statement in statements.indices {
                let figures = (0..<groupCount).map { counts.figures(group: $0, statement: statement, direction: direction) }
                guard figures.allSatisfy({ $0.probability > 0.5 && $0.probabilityZ > z }) else { continue }
                let score = figures.reduce(1.0) { $0 * $1.probability * $1.probabilityZ }
                found.append((statement, ConsensusStatement(statement: statements[statement], direction: direction, figuresByGroup: figures, score: score)))
            }
        }
        return found.sorted { $0.consensus.score != $1.consensus.score ? $0.consensus.score > $1.consensus.score : $0.index < $1.index }.map(\.consensus)
    }

    private static func divisiveStatements(counts: GroupCounts, groupCount: Int, statements: [Statement], z: Double) -> [DivisiveStatement<Statement>] {
        var found: [(index: Int, divisive: DivisiveStatement<Statement>)] = []
        for statement in statements.indices {
            func leaning(_ direction: StatementVote) -> [(group: Int, strength: Double)] {
                (0..<groupCount).compactMap { group in
                    let figures = counts.figures(group: group, statement: statement, direction: direction)
                    return figures.probability > 0.5 && figures.probabilityZ > z ? (group, figures.probability * figures.probabilityZ) : nil
                }
            }
            let (agreeing, disagreeing) = (leaning(.agree), leaning(.disagree))
            guard let strongestAgreement = agreeing.map(\.strength).max(), let strongestDisagreement = disagreeing.map(\.strength).max() else { continue }
            found.append(
                (statement, DivisiveStatement(
                    statement: statements[statement], agreeingGroups: agreeing.map(\.group), disagreeingGroups: disagreeing.map(\.group),
                    score: strongestAgreement * strongestDisagreement
                ))
            )
        }
        return found.sorted { $0.divisive.score != $1.divisive.score ? $0.divisive.score > $1.divisive.score : $0.index < $1.index }.map(\.divisive)
    }
}

/// The number of groups shown, with hysteresis: the best k is adopted at once on a first map
/// (or when the current k is no longer possible), otherwise only once it has been the best
/// `adoptionRuns` recomputes in a row; the current k winning again clears the challenger.
struct GroupCountChoice: Equatable {
    let groupCount: Int?
    let challenger: Int?
    let challengerRuns: Int

    init<S>(previous: OpinionMapState<S>?, best: Int?, available: Set<Int>, adoptionRuns: Int) {
        guard let best else {
            (groupCount, challenger, challengerRuns) = (nil, nil, 0)
            return
        }
        guard let previous, available.contains(previous.groupCount) else {
            (groupCount, challenger, challengerRuns) = (best, nil, 0)
            return
        }
        if best == previous.groupCount {
            (groupCount, challenger, challengerRuns) = (best, nil, 0)
            return
        }
        let runs = previous.challengerGroupCount == best ? previous.challengerRuns + 1 : 1
        if runs >= adoptionRuns {
            (groupCount, challenger, challengerRuns) = (best, nil, 0)
        } else {
            (groupCount, challenger, challengerRuns) = (previous.groupCount, best, runs)
        }
    }
}
