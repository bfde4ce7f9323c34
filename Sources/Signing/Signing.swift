public import Crypto
import Foundation

/// Keyed signatures for tokens handed to people (CSRF tokens, signed links), shared by the
/// services that make them and those that check them.
public enum Signing {
    /// A keyed signature of `message`, base64url without padding.
    public static func signature(of message: String, key: SymmetricKey) -> String {
        base64URL(Array(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key)))
    }

    /// Compares two strings in time independent of where they differ.
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    /// 32 random bytes, base64url without padding (43 characters, safe in URLs and cookies):
    /// the secrets handed to people (session cookies, links, API tokens).
    public static func randomToken(prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix + base64URL(bytes)
    }

    /// base64url without padding (safe in URLs and cookies).
    public static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes of base64url text, with or without padding; nil when it is not base64url.
    public static func bytes(base64URL text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }

    /// A key derived from a configured secret for one purpose, so one secret never signs two kinds of token alike.
    public static func keyBytes(secret: String, purpose: String) -> [UInt8] {
        Array(SHA256.hash(data: Data((purpose + ":" + secret).utf8)))
    }
}
