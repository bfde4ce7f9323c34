import DialogueContracts
import Foundation
import Hummingbird

extension PetitionsAPI {
    var depositor: PetitionDepositor {
        PetitionDepositor(call: ServiceCall(web: web), limiter: limiter, rule: settings.rateLimits.petitionDeposit)
    }

    /// `GET /api/v1/petitions/similaires?titre=…&texte=…`: the published petitions closest to a
    /// draft, open ones first, so a client can offer to sign one instead of depositing.
    func similar(_ request: Request) async throws -> Response {
        let parameters = request.uri.queryParameters
        let title = parameters.get("titre")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let text = parameters.get("texte")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        // The title is what a draft always has (the deposit form requires it); the text refines the search.
        guard !title.isEmpty else {
            throw APIError(status: .badRequest, code: "invalid_parameter", message: "Indiquez le titre du projet de pétition (`titre`).", field: "titre")
        }
        guard title.count <= PetitionDraft.titleLength.upperBound, text.count <= PetitionDraft.textLength.upperBound else {
            throw APIError(status: .badRequest, code: "invalid_parameter", message: "`titre` compte 200 caractères au plus, `texte` 10 000.")
        }
        let similar = try await ServiceCall(web: web).ask(FindSimilarPetitions(title: title, text: text))
        return try JSONResponse.make(similar)
    }
}

extension APIError {
    /// Depositing needs a confirmed address: moderation's decision is mailed to it.
    static let unconfirmedEmail = APIError(
        status: .forbidden, code: "email_unconfirmed",
        message: "Confirmez d'abord l'adresse électronique de votre compte (lien envoyé par courriel) pour déposer une pétition."
    )
}
