import DialogueContracts
import Foundation

/// The official list of the communes of Hauts-de-France (INSEE's *Code officiel
/// géographique*, shipped with the project: see `Communes/SOURCE.md`): a commune answer is
/// one of its codes, and a name typed in the answering form is matched to its code here.
public enum SurveyCommunes {
    public struct Commune: Sendable, Hashable {
        /// The INSEE code, five characters, starting with the département's code.
        public let code: String
        /// The official name, with its article (« Le Quesnoy »).
        public let name: String
        public var departement: String { String(code.prefix(2)) }
        /// « Amiens (80) »: how the form shows it, and a name it matches when one name
        /// belongs to communes of several départements.
        public var label: String { "\(name) (\(departement))" }

        public init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }

    /// The year of the COG the list comes from.
    public static let sourceYear = 2026

    /// Every commune, by code order; loaded once from the file shipped with the library.
    public static let all: [Commune] = {
        guard let url = Bundle.module.url(forResource: "communes-hauts-de-france", withExtension: "tsv", subdirectory: "Communes"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { preconditionFailure("the list of communes (Communes/communes-hauts-de-france.tsv) is missing from the SurveyRules bundle") }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 else { return nil }
            return Commune(code: String(fields[0]), name: String(fields[1]))
        }
    }()

    private static let byCode: [String: Commune] = Dictionary(all.map { ($0.code, $0) }) { first, _ in first }
    /// Communes by folded name (several when a name exists in more than one département).
    private static let byName: [String: [Commune]] = Dictionary(grouping: all) { folded($0.name) }

    public static func commune(_ code: String) -> Commune? { byCode[code] }

    public static func communes(in departement: String) -> [Commune] { all.filter { $0.departement == departement } }

    /// What a typed text names.
    public enum Match: Equatable, Sendable {
        case commune(Commune)
        /// Several communes bear this name: the département must be said.
        case ambiguous([Commune])
        case unknown
    }

    /// Matches what a person typed: an INSEE code, a name (whatever its case, accents,
    /// hyphens or apostrophes: « saint quentin » is Saint-Quentin), or a name followed by its
    /// département in brackets, as the form's suggestions write it (« Bailleul (59) »).
    public static func match(_ typed: String) -> Match {
        let text = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        if let commune = byCode[text.uppercased()] { return .commune(commune) }
        var name = text
        var departement: String?
        if text.hasSuffix(")"), let open = text.lastIndex(of: "(") {
            let inside = text[text.index(after: open)..<text.index(before: text.endIndex)].trimmingCharacters(in: .whitespaces)
            if Region.departements[inside] != nil {
                departement = inside
                name = String(text[..<open])
            }
        }
        let found = (byName[folded(name)] ?? []).filter { departement == nil || $0.departement == departement }
        switch found.count {
        case 0: return .unknown
        case 1: return .commune(found[0])
        default: return .ambiguous(found)
        }
    }

    /// A name as it is compared: lower case, without accents, hyphens, apostrophes or extra spaces.
    static func folded(_ name: String) -> String {
        let plain = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
            .replacingOccurrences(of: "œ", with: "oe").replacingOccurrences(of: "æ", with: "ae")
        let spaced = plain.map { character -> Character in character.isLetter || character.isNumber ? character : " " }
        return String(spaced).split(separator: " ").joined(separator: " ")
    }
}
