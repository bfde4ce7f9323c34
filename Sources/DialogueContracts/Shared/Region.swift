/// Hauts-de-France and its five départements, by the postcode prefixes that identify them.
public enum Region {
    public static let departements: [String: String] = [
        "02": "Aisne", "59": "Nord", "60": "Oise", "62": "Pas-de-Calais", "80": "Somme",
    ]

    /// A French postcode: five digits.
    public static func isValidPostcode(_ postcode: String) -> Bool {
        postcode.count == 5 && postcode.allSatisfy(\.isASCII) && postcode.allSatisfy(\.isNumber)
    }

    /// The département code for a postcode in the region, or nil for one outside it.
    public static func departement(ofPostcode postcode: String) -> String? {
        guard isValidPostcode(postcode) else { return nil }
        let prefix = String(postcode.prefix(2))
        return departements[prefix] == nil ? nil : prefix
    }
}
