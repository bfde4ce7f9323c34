import Foundation
import Hummingbird
import NIOCore

/// Reads a JSON request body within the size limit, naming the field at fault on failure.
enum JSONBody {
    /// Answered when a body is not declared as JSON: a browser can send `text/plain` or a form
    /// to another site without asking first, never `application/json`.
    static let unsupportedMediaType = APIError(
        status: .unsupportedMediaType, code: "unsupported_media_type",
        message: "Envoyez le contenu en JSON, avec l'en-tête « Content-Type: application/json ».", field: "Content-Type"
    )

    /// True when `Content-Type` names `application/json`, with or without parameters.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request, limit: Int) async throws -> Value {
        guard isJSON(request.headers[.contentType]) else { throw unsupportedMediaType }
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        if let field = NullCharacters.field(inJSON: buffer) {
            throw APIError.invalid(field, field.map { "Le champ « \($0) » : \(NullCharacters.message)" } ?? NullCharacters.message)
        }
        let decoder = JSONDecoder()
        do {
            return try decoder.decode(type, from: Data(buffer: buffer))
        } catch DecodingError.keyNotFound(let key, _) {
            throw APIError.invalid(key.stringValue, "Le champ « \(key.stringValue) » est obligatoire.")
        } catch DecodingError.valueNotFound(_, let context) {
            let field = context.codingPath.last?.stringValue
            throw APIError.invalid(field, "Le champ « \(field ?? "?") » est obligatoire.")
        } catch DecodingError.typeMismatch(_, let context) {
            let field = context.codingPath.last?.stringValue
            throw APIError.invalid(field, "Le champ « \(field ?? "?") » n'a pas le bon type.")
        } catch {
            throw APIError(status: .badRequest, code: "malformed_json", message: "Le contenu n'est pas un JSON valide.")
        }
    }
}

import NIOFoundationCompat

/// Writes a JSON response: ISO 8601 dates, sorted keys.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, location: String? = nil) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let location { headers[.location] = location }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
