/// The notices of the process pages (see `PageNotice`).
enum ProcessNotice: String, PageNotice {
    case created = "demarche-creee"

    var message: String {
        switch self {
        case .created: "La démarche est enregistrée : sa frise chronologique est publique."
        }
    }
}
