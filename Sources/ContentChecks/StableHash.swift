/// Hashing that gives the same value in every process and on every machine.
///
/// Fingerprints and band keys are stored in PostgreSQL and compared with values computed
/// by other processes later, and lexicon look-ups only need speed. Swift's `Hasher` is
/// seeded per process, so it cannot be used for either: this is FNV-1a (cheap, byte at a
/// time, easy to extend one byte further) followed where the bits must be well spread by
/// the MurmurHash3 finaliser.
enum StableHash {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    @inline(__always)
    static func fnv1a(_ bytes: ArraySlice<UInt8>, from basis: UInt64 = offsetBasis) -> UInt64 {
        var hash = basis
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* prime
        }
        return hash
    }

    @inline(__always)
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        fnv1a(bytes[...])
    }

    /// Feeds the eight bytes of `value`, least significant first, so the result does not
    /// depend on the machine's byte order.
    @inline(__always)
    static func fnv1a(_ value: UInt64, from basis: UInt64) -> UInt64 {
        var hash = basis
        var rest = value
        for _ in 0..<8 {
            hash = (hash ^ (rest & 0xff)) &* prime
            rest >>= 8
        }
        return hash
    }

    /// MurmurHash3's 64-bit finaliser: every input bit affects every output bit, which
    /// FNV alone does not guarantee for the high bits MinHash compares.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x &*= 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x &*= 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return x
    }

    /// SplitMix64: a fixed, documented sequence for deriving the MinHash seeds.
    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
