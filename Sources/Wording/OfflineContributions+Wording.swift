public import DialogueContracts

// How the site names where a contribution gathered in person comes from.

extension OfflineChannel {
    /// As staff write it in a CSV file and read it in the form.
    public var label: String {
        switch self {
        case .inSitu: "Animation in situ"
        case .workshop: "Atelier"
        case .paperForm: "Formulaire papier"
        case .mail: "Courrier"
        }
    }
}
