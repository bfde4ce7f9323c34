/// How the site names a petition's status, on public and staff pages alike.
enum PetitionStatusLabel {
    static func of(_ status: String) -> String {
        switch status {
        case "open": "Ouverte aux signatures"
        case "threshold_reached": "Seuil de saisine atteint"
        case "referred": "Transmise à l'assemblée"
        case "answered": "L'assemblée a répondu"
        case "closed": "Close"
        case "rejected": "Non publiée"
        default: "En cours de modération"
        }
    }
}
