import Crypto
public import DialogueContracts
public import Foundation
import Signing

/// The links the worker puts in its mails: to the site, and signed unsubscribe links that
/// work without signing in and only for the person and topic they were made for.
public struct NotificationLinks: Sendable {
    /// The site's public address.
    public let site: SiteAddress
    /// The signing key, derived from `NOTIFICATION_LINK_SECRET` (`SymmetricKey` is not `Sendable`).
    private let keyBytes: [UInt8]

    public init(baseURL: String, secret: String) {
        self.site = SiteAddress(baseURL: baseURL)
        self.keyBytes = Signing.keyBytes(secret: secret, purpose: "unsubscribe")
    }

    public func url(_ path: SitePath) -> String { site.url(path) }

    public var preferencesURL: String { url(.notificationPreferences) }

    public func unsubscribeURL(account: UUID, topic: NotificationTopic) -> String {
        url(.unsubscribe(token: unsubscribeToken(account: account, topic: topic)))
    }

    /// `<payload>.<signature>`, both base64url: the payload names the account and the topic.
    func unsubscribeToken(account: UUID, topic: NotificationTopic) -> String {
        let payload = Signing.base64URL(Array("\(account.uuidString.lowercased()):\(topic.rawValue)".utf8))
        return payload + "." + signature(of: payload)
    }

    /// The account and topic of a genuine token; nil for anything else.
    func verify(_ token: String) -> (account: UUID, topic: NotificationTopic)? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, Signing.constantTimeEquals(signature(of: String(parts[0])), String(parts[1])),
              let bytes = Signing.bytes(base64URL: String(parts[0])), let text = String(bytes: bytes, encoding: .utf8)
        else { return nil }
        let fields = text.split(separator: ":", maxSplits: 1)
        guard fields.count == 2, let account = UUID(uuidString: String(fields[0])),
              let topic = NotificationTopic(rawValue: String(fields[1]))
        else { return nil }
        return (account, topic)
    }

    private func signature(of payload: String) -> String {
        Signing.signature(of: payload, key: SymmetricKey(data: keyBytes))
    }
}
