import DialogueContracts
import Foundation
import Hummingbird

/// The home page and the pages the law asks for.
struct SitePages: Sendable {
    let web: WebDependencies
    let homePetitions: ShortLivedCache<String, PetitionList>

    func register(on pages: SecuredRoutes) {
        pages.get("", .everyone) { request, context in
            // The home page stays up when the petitions service is away: it says so instead.
            let mostSigned = ListPetitions(selection: .open, order: .mostSigned, limit: 5)
            let open = try? await homePetitions.value(for: "home", load: { try await ServiceCall(web: web).ask(mostSigned) })
            return web.render(Page("home", title: "Accueil", model: HomePage(mostSigned: open)), request, context)
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

/// The home page: the most signed open petitions, or why there are none.
struct HomePage {
    struct Petition {
        let id: String
        let title: String
        let count: Int
        let plural: Bool
    }

    struct Listing {
        let items: [Petition]
    }

    let petitionsUnavailable: Bool
    let noPetition: Bool
    let petitionList: Listing?

    /// - Parameter mostSigned: nil when the petitions service did not answer.
    init(mostSigned: PetitionList?) {
        petitionsUnavailable = mostSigned == nil
        noPetition = mostSigned?.items.isEmpty ?? false
        let items = (mostSigned?.items ?? []).map { petition in
            Petition(id: petition.id.uuidString.lowercased(), title: petition.title, count: petition.signatureCount, plural: petition.signatureCount > 1)
        }
        petitionList = items.isEmpty ? nil : Listing(items: items)
    }
}
