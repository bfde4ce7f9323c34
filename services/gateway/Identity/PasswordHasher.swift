import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt, run on the blocking thread pool: a hash takes a quarter of a second by design
/// and must not hold an event loop.
public struct PasswordHasher: Sendable {
    /// bcrypt's work factor; tests lower it (each step doubles the cost).
    public let cost: UInt8
    private let dummy = DummyHash()

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    /// The shortest and longest passwords accepted (ANSSI and CNIL recommend at least 12 characters).
    public static let lengthRange = 12...256

    /// Why a password is refused, in French, or nil when it is acceptable.
    public static func weakness(of password: String) -> String? {
        if password.count < lengthRange.lowerBound {
            return "Le mot de passe doit compter au moins \(lengthRange.lowerBound) caractères."
        }
        if password.count > lengthRange.upperBound {
            return "Le mot de passe doit compter au plus \(lengthRange.upperBound) caractères."
        }
        if Set(password).count < 5 {
            return "Le mot de passe est trop répétitif : variez les caractères."
        }
        return nil
    }

    public func hash(_ password: String) async throws -> String {
        let input = Self.prehashed(password)
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(input, cost: cost) }
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        let input = Self.prehashed(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(input, hash: hash) }
    }

    /// A hash of a password nobody has: signing in with an unknown address costs the same
    /// time as with a known one, so timing does not tell which addresses have accounts.
    /// Made once per hasher (at the first unknown address), not at every attempt.
    public func dummyHash() async throws -> String {
        if let hash = dummy.value.withLock({ $0 }) { return hash }
        let hash = try await hash(SecretToken.generate())
        dummy.value.withLock { $0 = $0 ?? hash }
        return hash
    }

    /// bcrypt reads only 72 bytes: a long passphrase is first reduced to its SHA-256 so
    /// every character counts.
    private static func prehashed(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }
}

/// The dummy hash of a `PasswordHasher`, shared by its copies.
private final class DummyHash: Sendable {
    let value = Mutex<String?>(nil)
}
