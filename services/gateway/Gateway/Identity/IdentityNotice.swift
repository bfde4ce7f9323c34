/// The notices of the accounts, sign-in and staff accounts pages (see `PageNotice`).
enum IdentityNotice: String, PageNotice {
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

    var message: String {
        switch self {
        case .signedOut: "Vous êtes déconnecté·e."
        case .accountDeleted: "Votre compte et vos données personnelles ont été supprimés. Vos contributions restent, signées « Participant anonyme »."
        case .passwordChanged: "Votre mot de passe a été changé. Connectez-vous avec le nouveau."
        case .registered: "Un courriel vient d'être envoyé à l'adresse indiquée : suivez ses indications pour confirmer votre adresse, puis connectez-vous ici. Sans nouvelles d'ici quelques minutes, regardez dans vos courriers indésirables."
        case .profileSaved: "Vos informations ont été enregistrées."
        case .confirmationSent: "Un nouveau courriel de confirmation vous a été envoyé, sauf si un autre est parti il y a moins d'une heure : le lien du précédent reste valable."
        case .staffCreated: "Le compte a été créé. Un courriel d'invitation a été envoyé pour choisir un mot de passe."
        case .rolesSaved: "Les rôles ont été enregistrés."
        case .accountDisabled: "Le compte a été désactivé."
        case .accountEnabled: "Le compte a été réactivé."
        case .tokenRevoked: "Le jeton a été révoqué."
        }
    }
}
