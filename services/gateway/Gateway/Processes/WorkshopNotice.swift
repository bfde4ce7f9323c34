/// The notices of the workshop pages (see `PageNotice`).
enum WorkshopNotice: String, PageNotice {
    case registered = "inscription-confirmee"
    case waitlisted = "inscription-en-attente"
    case registrationCancelled = "inscription-annulee"
    case promotionConfirmed = "place-confirmee"
    case scheduled = "atelier-programme"
    case changed = "atelier-modifie"
    case checkedIn = "presence-notee"
    case alreadyCheckedIn = "presence-deja-notee"
    case workshopCancelled = "atelier-annule"

    var message: String {
        switch self {
        case .registered: "Votre inscription est confirmée : un courriel vous en donne le code et l'invitation pour votre agenda."
        case .waitlisted: "L'atelier est complet : vous êtes en liste d'attente. Un courriel vous prévient dès qu'une place se libère pour vous."
        case .registrationCancelled: "Votre inscription est annulée : votre place est libérée."
        case .promotionConfirmed: "Votre place est confirmée : elle vous reste acquise."
        case .scheduled: "L'atelier est programmé : il est public, avec son formulaire d'inscription."
        case .changed: "L'atelier est modifié. Si sa date, son horaire ou son lieu a changé, les personnes inscrites en sont prévenues par courriel."
        case .checkedIn: "La présence est notée."
        case .alreadyCheckedIn: "Cette personne était déjà notée présente."
        case .workshopCancelled: "L'atelier est annulé : il ne prend plus d'inscriptions."
        }
    }
}
