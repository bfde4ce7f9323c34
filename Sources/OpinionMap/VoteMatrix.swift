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

    /// Builds the matrix; when a participant voted twice on a statement, the vote given last wins.
    init(_ allVotes: [Vote<Participant, Statement>], minimumVotes: Int) {
        // Plain loops rather than lazy maps and key paths: called from another module, this
        // generic code is not specialised, and every abstraction costs metadata lookups.
        var statementIndex: [Statement: Int32] = [:]
        var participantIndex: [Participant: Int] = [:]
        for vote in allVotes {
            if statementIndex[vote.statement] == nil { statementIndex[vote.statement] = 0 }
            if participantIndex[vote.participant] == nil { participantIndex[vote.participant] = 0 }
        }
        statements = statementIndex.keys.sorted()
        let allParticipants = participantIndex.keys.sorted()
        for (index, statement) in statements.enumerated() { statementIndex[statement] = Int32(index) }
        for (index, participant) in allParticipants.enumerated() { participantIndex[participant] = index }

        // Counting sort of the votes by participant; within a row, each cell's key is its
        // statement then its place among the votes, so sorting keys orders by statement and
        // keeps the given order among repeated votes.
        var rowOf = Array(repeating: 0, count: allVotes.count)
        var keys = Array(repeating: Int64(0), count: allVotes.count)
        for (position, vote) in allVotes.enumerated() {
            rowOf[position] = participantIndex[vote.participant]!
            keys[position] = Int64(statementIndex[vote.statement]!) << 32 | Int64(position)
        }
        var offsets = Array(repeating: 0, count: allParticipants.count + 1)
        for row in rowOf { offsets[row + 1] += 1 }
        for row in allParticipants.indices { offsets[row + 1] += offsets[row] }
        var fill = offsets
        var keysByRow = Array(repeating: Int64(0), count: allVotes.count)
        for (position, row) in rowOf.enumerated() {
            keysByRow[fill[row]] = keys[position]
            fill[row] += 1
        }
        let values = allVotes.map(\.value)

        let required = min(minimumVotes, statements.count)
        var participants: [Participant] = []
        var rowStart = [0]
        var columns: [Int32] = []
        var votes: [StatementVote] = []
        columns.reserveCapacity(allVotes.count)
        votes.reserveCapacity(allVotes.count)
        for row in allParticipants.indices {
            keysByRow[offsets[row]..<offsets[row + 1]].sort()
            let start = columns.count
            for key in keysByRow[offsets[row]..<offsets[row + 1]] {
                let (column, position) = (Int32(key >> 32), Int(key & 0xFFFF_FFFF))
                // A later vote on the same statement replaces the earlier one.
                if columns.count > start, columns[columns.count - 1] == column {
                    votes[votes.count - 1] = values[position]
                } else {
                    columns.append(column)
                    votes.append(values[position])
                }
            }
            guard columns.count - start >= required, columns.count > start else {
                columns.removeSubrange(start...)
                votes.removeSubrange(start...)
                continue
            }
            participants.append(allParticipants[row])
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
