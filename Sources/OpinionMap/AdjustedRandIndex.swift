/// The adjusted Rand index of two partitions of the same items (Hubert and Arabie 1985): 1 when
/// they agree exactly (whatever the labels), about 0 for a random relabelling, negative when
/// worse than chance. How the benchmark and the tests say planted camps were recovered.
public func adjustedRandIndex<First: Hashable, Second: Hashable>(_ first: [First], _ second: [Second]) -> Double {
    precondition(first.count == second.count, "two partitions of the same items")
    func pairs(_ count: Int) -> Int { count * (count - 1) / 2 }
    // Labels numbered in order of appearance, a cell of the contingency table keyed by both numbers.
    func numbered<Label: Hashable>(_ labels: [Label]) -> (numbers: [Int], count: Int) {
        var numbers: [Label: Int] = [:]
        let result = labels.map { label in
            if let number = numbers[label] { return number }
            numbers[label] = numbers.count
            return numbers.count - 1
        }
        return (result, numbers.count)
    }
    let (firstNumbers, firstCount) = numbered(first)
    let (secondNumbers, secondCount) = numbered(second)
    var cells: [Int: Int] = [:]
    var firstSizes = Array(repeating: 0, count: firstCount)
    var secondSizes = Array(repeating: 0, count: secondCount)
    for (a, b) in zip(firstNumbers, secondNumbers) {
        cells[a * secondCount + b, default: 0] += 1
        firstSizes[a] += 1
        secondSizes[b] += 1
    }
    // Sums of integers: the order of the dictionaries cannot change them.
    let together = cells.values.reduce(0) { $0 + pairs($1) }
    let firstPairs = firstSizes.reduce(0) { $0 + pairs($1) }
    let secondPairs = secondSizes.reduce(0) { $0 + pairs($1) }
    let allPairs = pairs(first.count)
    guard allPairs > 0 else { return 1 }
    let expected = Double(firstPairs) * Double(secondPairs) / Double(allPairs)
    let maximum = Double(firstPairs + secondPairs) / 2
    // Both partitions all in one cluster, or both all singletons: they agree.
    guard maximum != expected else { return 1 }
    return (Double(together) - expected) / (maximum - expected)
}
