/// The notices of the petition staff pages (see `PageNotice`).
enum PetitionNotice: String, PageNotice {
    case settingsSaved = "reglages-enregistres"
    case paperAdded = "papier-ajoute"
    case signaturesInvalidated = "signatures-invalidees"
    case blocked = "blocage-ajoute"
    case unblocked = "blocage-retire"
    case heldReleased = "retenues-liberees"
    case heldInvalidated = "retenues-invalidees"
    case heldNone = "aucune-retenue"
    case petitionReferred = "petition-transmise"
    case petitionAnswered = "reponse-publiee"
    case petitionClosed = "petition-close"

    var message: String {
        switch self {
        case .settingsSaved: "Les réglages ont été enregistrés."
        case .paperAdded: "Le lot de signatures sur papier a été ajouté."
        case .signaturesInvalidated: "Les signatures ont été invalidées et le compteur abaissé ; l'invalidation est journalisée avec sa raison."
        case .blocked: "L'entrée a été ajoutée à la liste de blocage : ses prochaines signatures seront refusées sur toutes les pétitions."
        case .unblocked: "L'entrée a été retirée de la liste de blocage."
        case .heldReleased: "Les signatures retenues sont libérées : celles dont l'adresse est confirmée comptent dès maintenant, les autres à leur confirmation."
        case .heldInvalidated: "Les signatures retenues sont invalidées : elles ne compteront pas ; la décision est journalisée avec sa raison."
        case .heldNone: "Plus aucune signature n'était retenue pour cette source : rien n'a changé."
        case .petitionReferred: "La pétition est transmise à l'assemblée ; son auteur en est informé."
        case .petitionAnswered: "La réponse de l'assemblée est publiée ; l'auteur et les signataires qui l'ont demandé en seront informés."
        case .petitionClosed: "La pétition est close ; son auteur en est informé."
        }
    }
}
