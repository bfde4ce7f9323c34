/// The notices of the forum pages (see `PageNotice`).
enum ForumNotice: String, PageNotice {
    case opened = "forum-ouvert"
    case threadSent = "fil-envoye"
    case postSent = "message-envoye"
    case postEdited = "message-modifie"
    case concluded = "forum-conclu"
    case threadClosed = "fil-ferme"
    case threadsMerged = "fils-fusionnes"
    case postPinned = "message-epingle"
    case postUnpinned = "message-desepingle"
    case statementSent = "affirmation-envoyee"
    case statementAnswered = "reponse-enregistree"

    var message: String {
        switch self {
        case .opened: "Le forum est ouvert : il prend des fils de discussion entre ses dates."
        case .threadSent: "Votre fil de discussion est envoyé à la modération : il apparaîtra ici dès qu'elle l'aura accepté."
        case .postSent: "Votre message est envoyé à la modération : les autres participants le verront dès qu'elle l'aura accepté."
        case .postEdited: "Votre message est modifié : la modération relit le nouveau texte."
        case .concluded: "La conclusion du forum est enregistrée : elle s'affiche sur sa page."
        case .threadClosed: "Le fil est fermé : sa conclusion s'affiche en tête."
        case .threadsMerged: "Les fils sont fusionnés : les messages du doublon sont ici, et son lien mène à ce fil."
        case .postPinned: "Le message est épinglé en tête du fil."
        case .postUnpinned: "Le message n'est plus épinglé."
        case .statementSent: "Votre affirmation est envoyée à la modération : elle sera proposée aux participants dès qu'elle l'aura acceptée."
        case .statementAnswered: "Votre réponse est enregistrée."
        }
    }
}
