public import Foundation

/// The rules of what staff enter from paper (signatures of a petition, supports of a
/// proposal): how many, where and when they were gathered. One place for both, so a count or
/// a place petitions accept is one consultations accept too.
public enum PaperCollection {
    public static let countRange = 1...100_000
    public static let placeLength = 2...200

    /// Every rule the batch breaks, each naming its field (`count`, `place`, `collected_on`).
    /// A day ahead is tolerated: staff in another time zone enter today's sheets.
    /// - Parameter counted: what is counted, in the plural (« signatures », « soutiens »).
    public static func problems(count: Int, counted: String, place: String, collectedOn: Date, now: Date = Date()) -> [RequestFailure] {
        var problems: [RequestFailure] = []
        if !countRange.contains(count) {
            problems.append(RequestFailure(code: .invalid, message: "Le nombre de \(counted) va de 1 à 100 000.", field: "count"))
        }
        if !placeLength.contains(place.trimmingCharacters(in: .whitespacesAndNewlines).count) {
            problems.append(RequestFailure(code: .invalid, message: "Indiquez le lieu de la collecte (200 caractères au plus).", field: "place"))
        }
        if collectedOn > now.addingTimeInterval(86_400) {
            problems.append(RequestFailure(code: .invalid, message: "La date de collecte ne peut pas être dans le futur.", field: "collected_on"))
        }
        return problems
    }
}
