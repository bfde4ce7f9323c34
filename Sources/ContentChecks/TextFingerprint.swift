/// A MinHash signature of a text, for finding near-duplicates among earlier items.
///
/// The text is normalised (`normalized(_:)`), cut into overlapping 3-word shingles, and
/// each of 128 seeded hash functions keeps its smallest value over the shingles. The
/// share of positions where two signatures agree estimates the Jaccard similarity of the
/// two shingle sets. Every hash is fixed (FNV-1a, a MurmurHash3 finaliser, seeds from
/// SplitMix64), so a fingerprint stored today matches one computed by another process,
/// machine or release tomorrow.
///
/// To find candidates without comparing against every earlier item, store `bandKeys` (32
/// `Int64`s) in an indexed column and look up items sharing at least one key: texts with a
/// Jaccard similarity of 0.5 share a key with probability 0.87, at 0.8 practically always,
/// at 0.2 with probability 0.05. Then confirm with `similarity(to:)`, or
/// `shingleSimilarity(_:_:)` on the texts themselves for short ones.
public struct TextFingerprint: Sendable, Equatable, Hashable, Codable {
    public static let hashCount = 128
    public static let bandCount = 32
    public static let rowsPerBand = 4
    /// Words per shingle.
    public static let shingleSize = 3

    /// The smallest value of each hash function over the shingles; `UInt64.max` everywhere
    /// for a text without words. Store as `bigint` with `Int64(bitPattern:)` when needed.
    public let minHash: [UInt64]
    /// How many shingles the text has: near-duplicate checks should skip texts too short to
    /// tell a copy from a common phrase ("Je suis d'accord").
    public let shingleCount: Int

    public init(text: String) {
        let shingles = Self.shingles(of: Self.normalizedBytes(text))
        var minHash = [UInt64](repeating: .max, count: Self.hashCount)
        let seeds = Self.seeds
        minHash.withUnsafeMutableBufferPointer { minimums in
            for shingle in shingles {
                for function in 0..<Self.hashCount {
                    let value = StableHash.mix(shingle ^ seeds[function])
                    if value < minimums[function] { minimums[function] = value }
                }
            }
        }
        self.minHash = minHash
        self.shingleCount = shingles.count
    }

    /// A fingerprint read back from storage; nil when `minHash` does not have `hashCount` values.
    public init?(minHash: [UInt64], shingleCount: Int) {
        guard minHash.count == Self.hashCount, shingleCount >= 0 else { return nil }
        self.minHash = minHash
        self.shingleCount = shingleCount
    }

    /// Estimated Jaccard similarity of the two texts' shingle sets, from 0 to 1. Texts
    /// without words are similar to nothing.
    public func similarity(to other: TextFingerprint) -> Double {
        guard shingleCount > 0, other.shingleCount > 0, minHash.count == other.minHash.count, !minHash.isEmpty else { return 0 }
        var equal = 0
        for (first, second) in zip(minHash, other.minHash) where first == second {
            equal += 1
        }
        return Double(equal) / Double(minHash.count)
    }

    /// One key per band of `rowsPerBand` signature values, band number included, so keys
    /// from different bands never collide and one indexed column holds them all. Empty for
    /// a text without words, which must not collide with every other empty text.
    public var bandKeys: [Int64] {
        guard shingleCount > 0 else { return [] }
        return (0..<Self.bandCount).map { band in
            var hash = StableHash.fnv1a(UInt64(band), from: StableHash.offsetBasis)
            for row in 0..<Self.rowsPerBand {
                hash = StableHash.fnv1a(minHash[band * Self.rowsPerBand + row], from: hash)
            }
            return Int64(bitPattern: StableHash.mix(hash))
        }
    }

    /// Exact Jaccard similarity of two texts' shingle sets, to confirm a candidate where the
    /// estimate is too coarse (short texts). 0 when either text has no words.
    public static func shingleSimilarity(_ first: String, _ second: String) -> Double {
        let firstSet = Set(shingles(of: normalizedBytes(first)))
        let secondSet = Set(shingles(of: normalizedBytes(second)))
        guard !firstSet.isEmpty, !secondSet.isEmpty else { return 0 }
        let common = firstSet.intersection(secondSet).count
        return Double(common) / Double(firstSet.count + secondSet.count - common)
    }

    /// The text as compared: lower case, accents removed, every run of punctuation and
    /// spacing made one space, no space at either end. "L'Économie, ça compte !" → "l economie ca compte".
    public static func normalized(_ text: String) -> String {
        String(decoding: normalizedBytes(text), as: UTF8.self)
    }

    // MARK: - Internals

    /// Seeds of the hash functions: the first `hashCount` outputs of SplitMix64 from a
    /// fixed start. Changing them invalidates every stored fingerprint.
    private static let seeds: [UInt64] = {
        var state: UInt64 = 0x4449_414C_4F47_5545  // "DIALOGUE"
        return (0..<hashCount).map { _ in StableHash.splitMix(&state) }
    }()

    static func normalizedBytes(_ text: String) -> [UInt8] {
        let folder = ScalarFolder.shared
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let folded = folder.fold(scalar)
            switch folded.kind {
            case .letter, .digit:
                if pendingSpace && !bytes.isEmpty { bytes.append(0x20) }
                pendingSpace = false
                if folded.first == FoldedScalar.nonLatinLetter {
                    // Other scripts keep their letters, in lower case, so an Arabic or
                    // Ukrainian text is compared on its own words.
                    bytes.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
                } else {
                    bytes.append(folded.first)
                    if folded.second != 0 { bytes.append(folded.second) }
                }
            case .ignorable:
                break
            case .separator, .leet, .wildcard:
                pendingSpace = true
            }
        }
        return bytes
    }

    /// Hashes of the `shingleSize`-word windows of normalised text; one shingle of all the
    /// words when there are fewer.
    static func shingles(of normalized: [UInt8]) -> [UInt64] {
        guard !normalized.isEmpty else { return [] }
        var wordStarts = [0]
        var wordEnds: [Int] = []
        for (index, byte) in normalized.enumerated() where byte == 0x20 {
            wordEnds.append(index)
            wordStarts.append(index + 1)
        }
        wordEnds.append(normalized.count)
        let windows = max(1, wordStarts.count - shingleSize + 1)
        return (0..<windows).map { first in
            let last = min(first + shingleSize, wordStarts.count) - 1
            return StableHash.fnv1a(normalized[wordStarts[first]..<wordEnds[last]])
        }
    }
}
