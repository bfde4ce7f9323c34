public import DialogueContracts

// How the site and the mails name a workshop, in French.

extension WorkshopView {
    /// « Mobilité, Logement »
    public var frenchThemes: String { themes.joined(separator: ", ") }

    /// « Atelier citoyen — Lille : Mobilité, Logement »
    public var frenchTitle: String { "Atelier citoyen — \(arrondissement) : \(frenchThemes)" }

    /// The place, or « En ligne » for an online workshop.
    public var frenchPlace: String { place.isEmpty ? "En ligne" : place }
}
