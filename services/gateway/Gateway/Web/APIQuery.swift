import Foundation
import Hummingbird

/// The query parameters of an API request, read as the API document declares them: a value
/// of the wrong type, outside its bounds or given twice is a 400 naming the parameter. A
/// silent default would hide the client's mistake (`limit=500` served as 200, `page=abc` as 1).
struct APIQuery {
    private let parameters: Parameters

    init(_ request: Request) {
        parameters = request.uri.queryParameters
    }

    /// The parameter's one value as sent; nil when absent.
    func text(_ name: String, length: ClosedRange<Int>? = nil) throws -> String? {
        let values = parameters.getAll(name)
        guard let value = values.first else { return nil }
        guard values.count == 1 else { throw APIError.invalid(name, "Le paramètre « \(name) » est donné plusieurs fois.") }
        if let length, !length.contains(value.count) {
            throw APIError.invalid(name, "Le paramètre « \(name) » compte de \(length.lowerBound) à \(length.upperBound) caractères.")
        }
        return String(value)
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        try text(name).map { text in
            guard let value = Int(text), range.contains(value) else {
                let bounds = range.upperBound == .max ? "supérieur ou égal à \(range.lowerBound)" : "de \(range.lowerBound) à \(range.upperBound)"
                throw APIError.invalid(name, "Le paramètre « \(name) » est un entier \(bounds).")
            }
            return value
        }
    }

    func boolean(_ name: String) throws -> Bool? {
        try text(name).map { text in
            switch text {
            case "true": return true
            case "false": return false
            default: throw APIError.invalid(name, "Le paramètre « \(name) » vaut true ou false.")
            }
        }
    }

    /// A UUID, such as the `next` of a page.
    func uuid(_ name: String) throws -> UUID? {
        try text(name).map { text in
            guard let id = UUID(uuidString: text) else { throw APIError.invalid(name, "Le paramètre « \(name) » est un identifiant (UUID).") }
            return id
        }
    }

    /// One of the values of a vocabulary, listed in the message when another is sent.
    func value<Value: RawRepresentable & CaseIterable>(_ name: String, as type: Value.Type) throws -> Value? where Value.RawValue == String {
        try text(name).map { text in
            guard let value = Value(rawValue: text) else {
                let known = Value.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError.invalid(name, "Le paramètre « \(name) » vaut l'une de ces valeurs : \(known).")
            }
            return value
        }
    }
}
