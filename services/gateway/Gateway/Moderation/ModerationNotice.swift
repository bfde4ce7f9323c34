/// The notices of the moderation decisions and settings pages (see `PageNotice`).
enum ModerationNotice: String, PageNotice {
    case decisionSaved = "decision-enregistree"
    case decisionsSaved = "decisions-enregistrees"
    case accountBlocked = "compte-bloque"
    case accountBlockedContentHidden = "compte-bloque-contenus-masques"
    case settingsSaved = "reglages-enregistres"
    case flagsIgnored = "signalements-ignores"
    case flagsIgnoredItemsShown = "signalements-ignores-contenus-visibles"
    case flagsRestored = "signalements-retablis"

    var message: String {
        switch self {
        case .decisionSaved: "La décision a été enregistrée ; l'auteur en sera informé."
        case .decisionsSaved: "Les décisions ont été enregistrées ; les auteurs en seront informés."
        case .accountBlocked: "Le compte est bloqué : ses prochaines contributions seront retenues pour examen."
        case .accountBlockedContentHidden: "Le compte est bloqué et ses contributions visibles ont été masquées."
        case .settingsSaved: "Les réglages ont été enregistrés."
        case .flagsIgnored: "Les signalements de ce signaleur sont désormais ignorés, passés et à venir."
        case .flagsIgnoredItemsShown:
            "Les signalements de ce signaleur sont désormais ignorés ; les contenus qu'ils avaient fait masquer sont de nouveau visibles, en attente de décision."
        case .flagsRestored: "Les signalements de ce signaleur sont de nouveau pris en compte."
        }
    }
}
