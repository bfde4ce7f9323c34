import Foundation
import Hummingbird
import NIOCore

/// The NUL character (U+0000): no person types it, and PostgreSQL cannot store it in text, so
/// a value holding one would fail deep in a service. It is refused at the door instead, with
/// the parameter or field that holds it, before anything reads the request.
enum NullCharacters {
    static let message = "Le texte contient un caractère non autorisé (caractère nul, U+0000)."

    /// The first query parameter whose name or value holds a NUL, once decoded.
    static func parameter(inQuery query: String?) -> String? {
        guard let query, query.range(of: "%00", options: .caseInsensitive) != nil else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0].removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (parts[1].removingPercentEncoding ?? String(parts[1])) : ""
            if name.contains("\0") || value.contains("\0") { return name.replacingOccurrences(of: "\0", with: "") }
        }
        return nil
    }

    /// The path (`phases[2].title`) of the first string of a JSON document holding a NUL; nil
    /// when none does. JSON can only carry a NUL escaped, so documents without `\u0000` are
    /// never parsed twice.
    static func field(inJSON body: ByteBuffer) -> String?? {
        let bytes = body.readableBytesView
        guard bytes.count >= 6, String(decoding: bytes, as: UTF8.self).range(of: "\\u0000", options: .caseInsensitive) != nil,
              let document = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        else { return nil }
        return path(toNullIn: document, at: nil)
    }

    private static func path(toNullIn value: Any, at path: String?) -> String?? {
        switch value {
        case let text as String:
            return text.contains("\0") ? .some(path) : nil
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                let child = path.map { "\($0).\(key)" } ?? key
                if key.contains("\0") { return .some(child.replacingOccurrences(of: "\0", with: "")) }
                if let found = Self.path(toNullIn: object[key]!, at: child) { return found }
            }
            return nil
        case let array as [Any]:
            for (index, element) in array.enumerated() {
                if let found = Self.path(toNullIn: element, at: "\(path ?? "")[\(index)]") { return found }
            }
            return nil
        default:
            return nil
        }
    }
}

/// Refuses a request whose query holds a NUL: 400 naming the parameter, as JSON under `/api`,
/// as a French page elsewhere.
struct NullCharacterQueryMiddleware: RouterMiddleware {
    typealias Context = WebContext

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        if let parameter = NullCharacters.parameter(inQuery: request.uri.query) {
            throw APIError.invalid(parameter, "Le paramètre « \(parameter) » contient un caractère non autorisé (caractère nul, U+0000).")
        }
        return try await next(request, context)
    }
}
