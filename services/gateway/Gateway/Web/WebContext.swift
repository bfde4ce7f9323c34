import Foundation
public import Hummingbird
public import Identity
import NIOCore

/// Who is making the request: their account (from a session cookie on pages, from a bearer
/// token on the API) and the seed their forms' CSRF tokens derive from.
public struct Visitor: Sendable {
    public var account: Account?
    /// The session cookie's token, when signed in on the site.
    public var sessionToken: String?
    /// The anonymous CSRF cookie's value (forms before signing in).
    public var csrfSeed: String?
}

/// The request context of the gateway: Hummingbird's core, plus the visitor, the client's
/// address and, on pages, the submitted form.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the TCP connection (a proxy, when behind one).
    public let remoteAddress: String?
    /// The client's address: the peer, or what a trusted proxy says in `X-Forwarded-For`.
    public var clientAddress: String
    public var visitor = Visitor()
    /// The fields of a submitted form, read (and its CSRF token checked) by `FormMiddleware`.
    public var form = FormFields()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
        self.clientAddress = remoteAddress ?? "unknown"
    }

    public var account: Account? { visitor.account }

    /// The signed-in account of a route whose access already required one.
    func requireAccount() throws -> Account {
        guard let account else { throw AccessDenied(signedIn: false) }
        return account
    }

    /// The `{id}` of the route's path, or 404 when it is not a UUID.
    func requiredID() throws -> UUID {
        guard let id = parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw HTTPError(.notFound) }
        return id
    }
}

/// The fields of an `application/x-www-form-urlencoded` body, or of a `multipart/form-data`
/// one with its files (`MultipartReader`).
public struct FormFields: Sendable {
    private var values: [String: [String]] = [:]
    private var files: [String: UploadedFile] = [:]
    private var oversizedFiles: Set<String> = []

    public init() {}

    /// Decodes `a=1&b=x+y%C3%A9` (form encoding: `+` is a space).
    public init(urlEncoded body: String) {
        func decode(_ text: Substring) -> String {
            let spaced = text.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[decode(parts[0]), default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The field's first value, trimmed; nil when absent or blank.
    public subscript(_ name: String) -> String? {
        guard let value = values[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// The field's first value exactly as sent (passwords: spaces count).
    public func raw(_ name: String) -> String? {
        values[name]?.first
    }

    /// Every value of a repeated field (checkboxes).
    public func all(_ name: String) -> [String] {
        values[name] ?? []
    }

    /// Whether a name or value holds a NUL (U+0000), which only a forged request can send.
    public var holdsNullCharacter: Bool {
        values.contains { name, values in name.contains("\0") || values.contains { $0.contains("\0") } }
    }

    /// The file sent in a field of a multipart form; nil when none was (or it was too large).
    public func file(_ name: String) -> UploadedFile? {
        files[name]
    }

    /// Whether the file sent in this field was larger than the reader keeps.
    public func fileIsTooLarge(_ name: String) -> Bool {
        oversizedFiles.contains(name)
    }

    mutating func append(_ value: String, named name: String) {
        values[name, default: []].append(value)
    }

    /// The first file of a field counts, as a field's first value does.
    mutating func addFile(_ file: UploadedFile, named name: String) {
        if files[name] == nil && !oversizedFiles.contains(name) { files[name] = file }
    }

    mutating func markFileTooLarge(_ name: String) {
        if files[name] == nil { oversizedFiles.insert(name) }
    }

    /// A checkbox is checked when the field is present.
    public func isChecked(_ name: String) -> Bool {
        values[name] != nil
    }
}
