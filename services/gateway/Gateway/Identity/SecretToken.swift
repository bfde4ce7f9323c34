import Crypto
import Foundation
public import NIOCore

/// Random secrets handed to a person (session cookies, links, API tokens), and the hash
/// under which the database keeps them: a copy of the database opens nothing.
public enum SecretToken {
    /// 32 random bytes, base64url without padding (43 characters, safe in URLs and cookies).
    public static func generate(prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix + base64URL(bytes)
    }

    /// SHA-256 of the token: enough for 256-bit random values (no need for a slow hash).
    public static func hash(_ token: String) -> ByteBuffer {
        ByteBuffer(bytes: Array(SHA256.hash(data: Data(token.utf8))))
    }

    /// A keyed signature of `message` (CSRF tokens, signed links).
    static func signature(of message: String, key: SymmetricKey) -> String {
        base64URL(Array(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key)))
    }

    /// Compares two strings in time independent of where they differ.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
