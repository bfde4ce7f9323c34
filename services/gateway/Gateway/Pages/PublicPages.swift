import DialogueContracts
import Foundation
import Hummingbird

/// Messages shown after a redirect, chosen by a fixed code in `?statut=` (never text from the URL).
enum Notice: String {
    case signedOut = "deconnecte"
    case accountDeleted = "compte-supprime"
    case passwordChanged = "mot-de-passe-change"
    case registered = "inscrit"
    case profileSaved = "profil-enregistre"
    case confirmationSent = "confirmation-envoyee"
    case staffCreated = "membre-cree"
    case rolesSaved = "roles-enregistres"
    case accountDisabled = "compte-desactive"
    case accountEnabled = "compte-reactive"
    case tokenRevoked = "jeton-revoque"
    case decisionSaved = "decision-enregistree"
    case decisionsSaved = "decisions-enregistrees"
    case accountBlocked = "compte-bloque"
    case accountBlockedContentHidden = "compte-bloque-contenus-masques"
    case settingsSaved = "reglages-enregistres"
    case preferencesSaved = "notifications-enregistrees"
    case paperAdded = "papier-ajoute"
    case signaturesInvalidated = "signatures-invalidees"
    case blocked = "blocage-ajoute"
    case unblocked = "blocage-retire"
    case petitionReferred = "petition-transmise"
    case petitionAnswered = "reponse-publiee"
    case petitionClosed = "petition-close"

    var message: String {
        switch self {
        case .signedOut: "Vous êtes déconnecté·e."
        case .accountDeleted: "Votre compte et vos données personnelles ont été supprimés. Vos contributions restent, signées « Participant anonyme »."
        case .passwordChanged: "Votre mot de passe a été changé. Connectez-vous avec le nouveau."
        case .registered: "Votre compte est créé. Un courriel de confirmation vient de vous être envoyé : ouvrez le lien qu'il contient pour pouvoir participer."
        case .profileSaved: "Vos informations ont été enregistrées."
        case .confirmationSent: "Un nouveau courriel de confirmation vous a été envoyé."
        case .staffCreated: "Le compte a été créé. Un courriel d'invitation a été envoyé pour choisir un mot de passe."
        case .rolesSaved: "Les rôles ont été enregistrés."
        case .accountDisabled: "Le compte a été désactivé."
        case .accountEnabled: "Le compte a été réactivé."
        case .tokenRevoked: "Le jeton a été révoqué."
        case .decisionSaved: "La décision a été enregistrée ; l'auteur en sera informé."
        case .decisionsSaved: "Les décisions ont été enregistrées ; les auteurs en seront informés."
        case .accountBlocked: "Le compte est bloqué : ses prochaines contributions seront retenues pour examen."
        case .accountBlockedContentHidden: "Le compte est bloqué et ses contributions visibles ont été masquées."
        case .settingsSaved: "Les réglages ont été enregistrés."
        case .signaturesInvalidated: "Les signatures ont été invalidées et le compteur abaissé ; l'invalidation est journalisée avec sa raison."
        case .blocked: "L'entrée a été ajoutée à la liste de blocage : ses prochaines signatures seront refusées sur toutes les pétitions."
        case .unblocked: "L'entrée a été retirée de la liste de blocage."
        case .preferencesSaved: "Vos choix de notifications ont été enregistrés."
        case .paperAdded: "Le lot de signatures sur papier a été ajouté."
        case .petitionReferred: "La pétition est transmise à l'assemblée ; son auteur en est informé."
        case .petitionAnswered: "La réponse de l'assemblée est publiée ; l'auteur et les signataires qui l'ont demandé en seront informés."
        case .petitionClosed: "La pétition est close ; son auteur en est informé."
        }
    }

    static func values(from request: Request) -> [String: Any] {
        guard let code = request.uri.queryParameters.get("statut"), let notice = Notice(rawValue: code) else { return [:] }
        return ["notice": notice.message]
    }
}

/// The home page and the pages the law asks for.
struct PublicPages: Sendable {
    let web: WebDependencies

    func register(on pages: SecuredRoutes) {
        pages.get("", .everyone) { request, context in
            var values = Notice.values(from: request)
            // The home page stays up when the petitions service is away: it says so instead.
            let mostSigned = ListPetitions(selection: .open, order: .mostSigned, limit: 5)
            if let open = try? await web.petitionLists.value(for: "home", load: { try await ServiceCall(web: web).ask(mostSigned) }) {
                values["noPetition"] = open.items.isEmpty
                if !open.items.isEmpty {
                    values["petitionList"] = ["items": open.items.map { petition -> [String: Any] in
                        ["id": petition.id.uuidString.lowercased(), "title": petition.title, "count": petition.signatureCount,
                         "plural": petition.signatureCount > 1]
                    }]
                }
            } else {
                values["petitionsUnavailable"] = true
            }
            return web.render(Page("home", title: "Accueil", values: values), request, context)
        }
        pages.get("mentions-legales", .everyone) { request, context in
            web.render(Page("legal", title: "Mentions légales"), request, context)
        }
        pages.get("accessibilite", .everyone) { request, context in
            web.render(Page("accessibility", title: "Déclaration d'accessibilité"), request, context)
        }
        pages.get("donnees-personnelles", .everyone) { request, context in
            web.render(Page("privacy", title: "Données personnelles"), request, context)
        }
    }
}
