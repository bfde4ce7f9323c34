import DialogueContracts
import HTTPTypes

extension APIError {
    /// A service's refusal as the API answers it: one case per `RequestFailure.Code`, so a new
    /// code cannot reach a citizen unmapped. The service's message is already French.
    init(_ failure: RequestFailure) {
        switch failure.code {
        case .invalid: self = APIError.invalid(failure.field, failure.message)
        case .notFound: self = APIError(status: .notFound, code: failure.code.rawValue, message: failure.message)
        case .conflict: self = APIError(status: .conflict, code: failure.code.rawValue, message: failure.message, field: failure.field)
        case .internal: self = APIError(status: .badGateway, code: "service_error", message: "Le service n'a pas pu répondre.")
        }
    }
}
