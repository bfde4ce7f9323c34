/// The notices of the notification choices pages (see `PageNotice`).
enum NotificationNotice: String, PageNotice {
    case preferencesSaved = "notifications-enregistrees"
    case mailResent = "courriel-renvoye"

    var message: String {
        switch self {
        case .preferencesSaved: "Vos choix de notifications ont été enregistrés."
        case .mailResent: "Le courriel est de nouveau en file d'envoi : il part dans les secondes qui viennent. Son état se suit dans « Courriels envoyés »."
        }
    }
}
