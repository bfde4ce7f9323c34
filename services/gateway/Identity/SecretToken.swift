import Crypto
import Foundation
import Signing
public import NIOCore

/// Random secrets handed to a person (session cookies, links, API tokens), and the hash
/// under which the database keeps them: a copy of the database opens nothing.
public enum SecretToken {
    /// 32 random bytes, base64url without padding (43 characters, safe in URLs and cookies).
    public static func generate(prefix: String = "") -> String {
        Signing.randomToken(prefix: prefix)
    }

    /// SHA-256 of the token: enough for 256-bit random values (no need for a slow hash).
    public static func hash(_ token: String) -> ByteBuffer {
        ByteBuffer(bytes: Array(SHA256.hash(data: Data(token.utf8))))
    }
}
