import Crypto
import Foundation
import Signing

/// The key CSRF tokens are signed with. A form's token is the HMAC of the visitor's session
/// token (or, before signing in, of their anonymous CSRF cookie): another site can neither
/// read it nor make one, and a new session at sign-in invalidates the old forms.
public struct CSRFKey: Sendable {
    /// The key's bytes (swift-crypto's `SymmetricKey` is not `Sendable`; one is made per use).
    private let keyBytes: [UInt8]

    /// From the gateway's secret (`GATEWAY_SECRET`), at least 32 characters.
    public init(secret: String) {
        self.keyBytes = Signing.keyBytes(secret: secret, purpose: "csrf")
    }

    public func token(for visitor: Visitor) -> String? {
        guard let seed = visitor.sessionToken ?? visitor.csrfSeed else { return nil }
        return Signing.signature(of: seed, key: SymmetricKey(data: keyBytes))
    }

    public func isValid(_ token: String?, for visitor: Visitor) -> Bool {
        guard let token, let expected = self.token(for: visitor) else { return false }
        return Signing.constantTimeEquals(token, expected)
    }
}
