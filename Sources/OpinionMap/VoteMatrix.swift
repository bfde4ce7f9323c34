/// A participant's answer to a statement, as the opinion map encodes it: **agree = +1,
/// disagree = −1, pass = 0**. (Pol.is encodes agree as −1 internally; here agreeing is positive,
/// and the tests state it.)
public enum StatementVote: Int8, Sendable, Hashable, Codable, CaseIterable {
    case agree = 1
    case disagree = -1
    case pass = 0
}

/// One vote: who, on which statement, what.
public struct Vote<Participant: Hashable & Comparable & Sendable, Statement: Hashable & Comparable & Sendable>: Sendable, Hashable {
    public let participant: Participant
    public let statement: Statement
    public let value: StatementVote

    public init(participant: Participant, statement: Statement, value: StatementVote) {
        self.participant = participant
        self.statement = statement
        self.value = value
    }
}

/// Every participant's votes (qualifying or not), one per statement, in index space: rows are
/// participants, sorted; columns statements, sorted. Kept by a computation so that the next
/// one adds new votes to it without hashing the old ones again.
struct VoteTable<Participant: Hashable & Comparable & Sendable, Statement: Hashable & Comparable & Sendable>: Sendable {
    let statements: [Statement]
    let participants: [Participant]
    /// Row `i`'s cells are `rowStart[i]..<rowStart[i + 1]`, sorted by column.
    let rowStart: [Int]
    let columns: [Int32]
    let values: [StatementVote]

    /// When a participant voted twice on a statement, the vote given last wins.
    init(_ allVotes: [Vote<Participant, Statement>]) {
        self.init(adding: allVotes, to: nil)
    }

    /// The table with `newVotes` added (replacing earlier votes of the same participant on the
    /// same statement). The old cells are only copied, their columns renumbered when new
    /// statements came in: hashing is limited to the new votes.
    init(adding newVotes: [Vote<Participant, Statement>], to old: VoteTable?) {
        // Plain loops rather than lazy maps and key paths: called from another module, this
        // generic code is not specialised, and every abstraction costs metadata lookups.
        var newStatements: Set<Statement> = []
        var newParticipants: Set<Participant> = []
        for vote in newVotes {
            newStatements.insert(vote.statement)
            newParticipants.insert(vote.participant)
        }
        let (statements, statementOrigin) = merged(old?.statements ?? [], with: newStatements)
        var newColumnOfOld = Array(repeating: Int32(0), count: old?.statements.count ?? 0)
        for (column, origin) in statementOrigin.enumerated() { if let origin { newColumnOfOld[origin] = Int32(column) } }
        let (participants, oldRow) = merged(old?.participants ?? [], with: newParticipants)
        var statementIndex: [Statement: Int32] = [:]
        statementIndex.reserveCapacity(newStatements.count)
        for statement in newStatements { statementIndex[statement] = Int32(binarySearch(statements, statement)!) }
        var participantIndex: [Participant: Int] = [:]
        participantIndex.reserveCapacity(newParticipants.count)
        for participant in newParticipants { participantIndex[participant] = binarySearch(participants, participant)! }

        // The new votes as keys (row, column, place among the votes): sorted, they come by row,
        // by statement, and in the given order among repeated votes.
        precondition(newVotes.count < 1 << 24 && statements.count < 1 << 20, "at most 16 million votes at once, a million statements")
        var keys = Array(repeating: UInt64(0), count: newVotes.count)
        for (position, vote) in newVotes.enumerated() {
            keys[position] = UInt64(participantIndex[vote.participant]!) << 44 | UInt64(statementIndex[vote.statement]!) << 24 | UInt64(position)
        }
        keys.sort()

        var rowStart = [0]
        var columns: [Int32] = []
        var values: [StatementVote] = []
        let capacity = (old?.columns.count ?? 0) + newVotes.count
        rowStart.reserveCapacity(participants.count + 1)
        columns.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
        var nextKey = 0
        let sameColumns = old.map { $0.statements.count == statements.count } ?? true
        for row in participants.indices {
            let start = columns.count
            // The old cells, renumbered (the merge keeps their order).
            if let old, let previous = oldRow[row] {
                let cells = old.rowStart[previous]..<old.rowStart[previous + 1]
                if sameColumns {
                    columns.append(contentsOf: old.columns[cells])
                } else {
                    for cell in cells { columns.append(newColumnOfOld[Int(old.columns[cell])]) }
                }
                values.append(contentsOf: old.values[cells])
            }
            // The new cells of this row, merged in.
            var added: [(column: Int32, value: StatementVote)] = []
            while nextKey < keys.count, Int(keys[nextKey] >> 44) == row {
                let column = Int32((keys[nextKey] >> 24) & 0xF_FFFF)
                let value = newVotes[Int(keys[nextKey] & 0xFF_FFFF)].value
                if added.last?.column == column { added[added.count - 1].value = value } else { added.append((column, value)) }
                nextKey += 1
            }
            if !added.isEmpty {
                var mergedColumns: [Int32] = []
                var mergedValues: [StatementVote] = []
                var (oldCell, newCell) = (start, 0)
                while oldCell < columns.count || newCell < added.count {
                    if newCell == added.count || (oldCell < columns.count && columns[oldCell] < added[newCell].column) {
                        mergedColumns.append(columns[oldCell])
                        mergedValues.append(values[oldCell])
                        oldCell += 1
                    } else {
                        // A new vote on a statement already voted replaces the old one.
                        if oldCell < columns.count, columns[oldCell] == added[newCell].column { oldCell += 1 }
                        mergedColumns.append(added[newCell].column)
                        mergedValues.append(added[newCell].value)
                        newCell += 1
                    }
                }
                columns.replaceSubrange(start..., with: mergedColumns)
                values.replaceSubrange(start..., with: mergedValues)
            }
            rowStart.append(columns.count)
        }
        self.statements = statements
        self.participants = participants
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
    }
}

/// `existing` (sorted) merged with `added`: the sorted union, and for each element of the union
/// its index in `existing`, if it was there.
private func merged<Element: Comparable>(_ existing: [Element], with added: Set<Element>) -> ([Element], [Int?]) {
    let fresh = added.filter { binarySearch(existing, $0) == nil }.sorted()
    guard !fresh.isEmpty else { return (existing, Array(existing.indices)) }
    var union: [Element] = []
    var origin: [Int?] = []
    union.reserveCapacity(existing.count + fresh.count)
    var (i, j) = (0, 0)
    while i < existing.count || j < fresh.count {
        if j == fresh.count || (i < existing.count && existing[i] < fresh[j]) {
            union.append(existing[i])
            origin.append(i)
            i += 1
        } else {
            union.append(fresh[j])
            origin.append(nil)
            j += 1
        }
    }
    return (union, origin)
}

/// The index of `target` in `sorted`, if there.
func binarySearch<Element: Comparable>(_ sorted: [Element], _ target: Element) -> Int? {
    var (low, high) = (0, sorted.count)
    while low < high {
        let middle = (low + high) / 2
        if sorted[middle] < target { low = middle + 1 } else { high = middle }
    }
    return low < sorted.count && sorted[low] == target ? low : nil
}

/// The participant × statement matrix of the qualifying participants, sparse: each row holds
/// the participant's votes, sorted by statement.
///
/// Missing votes are filled by the statement's mean over the qualifying participants, then
/// the matrix is centred by column. As the mean of a filled column is that same mean, a filled
/// cell centres to exactly 0: the centred matrix is as sparse as the votes, and PCA works on
/// the nonzero cells only (500,000 votes rather than 10,000 × 1,000 cells).
struct VoteMatrix<Participant: Hashable & Comparable & Sendable, Statement: Hashable & Comparable & Sendable>: Sendable {
    /// Every statement with at least one vote, sorted.
    let statements: [Statement]
    /// The participants with at least min(minimumVotes, statements.count) votes, sorted.
    let participants: [Participant]
    /// Row `i`'s cells are `rowStart[i]..<rowStart[i + 1]`.
    let rowStart: [Int]
    let columns: [Int32]
    let votes: [StatementVote]
    /// Each cell's vote minus its statement's mean.
    let centred: [Double]

    /// The matrix of `table`'s qualifying participants.
    init(_ table: VoteTable<Participant, Statement>, minimumVotes: Int) {
        statements = table.statements
        let required = max(min(minimumVotes, statements.count), 1)
        var participants: [Participant] = []
        var rowStart = [0]
        var columns: [Int32] = []
        var votes: [StatementVote] = []
        columns.reserveCapacity(table.columns.count)
        votes.reserveCapacity(table.columns.count)
        for row in table.participants.indices {
            let cells = table.rowStart[row]..<table.rowStart[row + 1]
            guard cells.count >= required else { continue }
            participants.append(table.participants[row])
            columns.append(contentsOf: table.columns[cells])
            votes.append(contentsOf: table.values[cells])
            rowStart.append(columns.count)
        }

        var sums = Array(repeating: 0.0, count: statements.count)
        var counts = Array(repeating: 0, count: statements.count)
        for (column, vote) in zip(columns, votes) {
            sums[Int(column)] += Double(vote.rawValue)
            counts[Int(column)] += 1
        }
        let means = zip(sums, counts).map { $1 > 0 ? $0 / Double($1) : 0 }
        self.participants = participants
        self.rowStart = rowStart
        self.columns = columns
        self.votes = votes
        centred = zip(columns, votes).map { Double($1.rawValue) - means[Int($0)] }
    }

    var rowCount: Int { participants.count }
    var columnCount: Int { statements.count }

    func votesCast(byRow row: Int) -> Int { rowStart[row + 1] - rowStart[row] }

    /// (X q₁, X q₂): each participant's centred row against two statement vectors at once.
    func multiply(_ first: [Double], _ second: [Double]) -> ([Double], [Double]) {
        var resultFirst = Array(repeating: 0.0, count: rowCount)
        var resultSecond = Array(repeating: 0.0, count: rowCount)
        for row in 0..<rowCount {
            var sumFirst = 0.0
            var sumSecond = 0.0
            for cell in rowStart[row]..<rowStart[row + 1] {
                let column = Int(columns[cell])
                sumFirst += centred[cell] * first[column]
                sumSecond += centred[cell] * second[column]
            }
            resultFirst[row] = sumFirst
            resultSecond[row] = sumSecond
        }
        return (resultFirst, resultSecond)
    }

    /// (Xᵀ u₁, Xᵀ u₂): back from participant vectors to statement vectors.
    func multiplyTransposed(_ first: [Double], _ second: [Double]) -> ([Double], [Double]) {
        var resultFirst = Array(repeating: 0.0, count: columnCount)
        var resultSecond = Array(repeating: 0.0, count: columnCount)
        for row in 0..<rowCount {
            let weightFirst = first[row]
            let weightSecond = second[row]
            for cell in rowStart[row]..<rowStart[row + 1] {
                let column = Int(columns[cell])
                resultFirst[column] += centred[cell] * weightFirst
                resultSecond[column] += centred[cell] * weightSecond
            }
        }
        return (resultFirst, resultSecond)
    }
}
