/// The notices of the survey pages (see `PageNotice`).
enum SurveyNotice: String, PageNotice {
    case saved = "enquete-enregistree"
    case published = "enquete-publiee"
    case duplicated = "enquete-dupliquee"
    case imported = "enquete-importee"
    case trialFinished = "essai-termine"
    case linkSent = "lien-envoye"
    case settingsSaved = "reglages-enquetes-enregistres"

    var message: String {
        switch self {
        case .saved: "L'enquête est enregistrée."
        case .published: "L'enquête est publiée : elle prend les réponses entre ses dates d'ouverture et de clôture."
        case .duplicated: "Voici la copie de l'enquête, en brouillon : modifiez-la puis enregistrez-la."
        case .imported: "L'enquête est importée en brouillon : relisez-la avant de la publier."
        case .trialFinished: "Essai terminé : vos réponses d'essai n'ont pas été enregistrées."
        case .linkSent: "Un courriel vient de partir vers l'adresse indiquée avec un lien pour répondre. Pensez à regarder dans les courriers indésirables."
        case .settingsSaved: "Les réglages des enquêtes sont enregistrés : les pages de résultats les appliquent dès maintenant."
        }
    }
}
