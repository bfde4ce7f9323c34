#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The client addresses and networks the fraud controls take: checked before they reach a
/// PostgreSQL `inet` cast, where a bad one would fail a whole batch.
public enum ClientAddress {
    /// An IPv4 or IPv6 address.
    public static func isValid(_ text: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }

    /// An address, or a network written `address/prefix` with a prefix that fits it.
    public static func isValidNetwork(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, isValid(String(parts[0])) else { return false }
        guard parts.count == 2 else { return true }
        let maximum = parts[0].contains(":") ? 128 : 32
        return Int(parts[1]).map { (0...maximum).contains($0) } ?? false
    }
}
