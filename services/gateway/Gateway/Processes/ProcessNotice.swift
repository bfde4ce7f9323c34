/// The notices of the process pages (see `PageNotice`).
enum ProcessNotice: String, PageNotice {
    case created = "demarche-creee"
    case followed = "demarche-suivie"
    case unfollowed = "demarche-plus-suivie"

    var message: String {
        switch self {
        case .created: "La démarche est enregistrée : sa frise chronologique est publique."
        case .followed: "Vous suivez cette démarche : vous recevrez un courriel au début de chaque nouvelle étape."
        case .unfollowed: "Vous ne suivez plus cette démarche."
        }
    }
}
