/// The notices of the notification choices pages (see `PageNotice`).
enum NotificationNotice: String, PageNotice {
    case preferencesSaved = "notifications-enregistrees"

    var message: String {
        switch self {
        case .preferencesSaved: "Vos choix de notifications ont été enregistrés."
        }
    }
}
