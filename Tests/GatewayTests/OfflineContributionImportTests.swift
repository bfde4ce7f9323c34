import DialogueContracts
import Foundation
@testable import Gateway
import Testing

/// Reading a CSV file of contributions gathered in person: spreadsheets' encodings and
/// separators, quoted fields over several lines, the caps, and every problem named by its
/// line and column before anything is sent.
@Suite struct OfflineContributionImportTests {
    static let themes = ["Simplification administrative", "Emploi associatif"].map { ConsultationTheme(code: ConsultationTheme.code(for: $0), label: $0) }
        + [ConsultationTheme(code: ConsultationTheme.freeCode, label: "")]
    static let consultation = ConsultationDefinition(
        title: "Assises", question: "Qu'est-ce qui aiderait votre association ?", context: "", use: "Nourrir l'avis du CESER.", themes: themes,
        opensAt: Date(timeIntervalSinceNow: -3_600), closesAt: Date(timeIntervalSinceNow: 86_400), accepted: .both
    )
    static let header = "type;thématique;titre;texte;pourquoi;auteur;lieu;date;rencontre;canal"
    static let testimonyLine = "témoignage;Emploi associatif;Trésorière depuis dix ans;Chaque année les mêmes pièces à fournir.;;Jeanne;Hirson;14/03/2026;Forum des associations;atelier"
    static let proposalLine = "Proposition;simplification-administrative;Un guichet unique;Un seul dossier pour toutes les aides.;Les bénévoles y passent leurs soirées.;;Laon;2026-03-15;Marché de Laon;animation in situ"

    @Test func aValidFileGivesEveryEntryWithItsOrigin() {
        let reading = OfflineContributionImport(csv: [Self.header, Self.testimonyLine, Self.proposalLine, ";;;;;;;;;"].joined(separator: "\r\n"), consultation: Self.consultation)

        #expect(reading.problems == [])
        #expect(reading.isValid)
        #expect(reading.rows.map(\.line) == [2, 3])
        let (testimony, proposal) = (reading.entries[0], reading.entries[1])
        #expect(testimony.draft.kind == .testimony && testimony.draft.theme == "emploi-associatif")
        #expect(testimony.authorName == "Jeanne")
        #expect(testimony.origin == OfflineOrigin(place: "Hirson", collectedOn: "2026-03-14", session: "Forum des associations", channel: .workshop))
        #expect(proposal.draft.kind == .proposal && proposal.draft.reasons == "Les bénévoles y passent leurs soirées.")
        #expect(proposal.authorName == nil)
        #expect(proposal.origin.channel == .inSitu)
        #expect(proposal.origin.publicLabel == "Recueillie lors de « Marché de Laon » (animation in situ), Laon, le 15 mars 2026")
    }

    @Test func aByteOrderMarkCommasAndQuotedLineBreaksAreRead() throws {
        let csv = "\u{FEFF}Type,Thematique,Titre,Texte,Lieu,Date,Rencontre,Canal\n"
            + "témoignage,Emploi associatif,\"Trésorière, depuis dix ans\",\"Chaque année\nles mêmes \"\"pièces\"\".\",Hirson,14/03/2026,Forum,courrier\n"
            + "témoignage,libre,Un autre témoignage,\"Deux lignes\r\nde texte ici.\",Hirson,14/03/2026,Forum,formulaire papier\n"
        let reading = OfflineContributionImport(csv: csv, consultation: Self.consultation)

        #expect(reading.problems == [])
        #expect(reading.entries.map(\.draft.title) == ["Trésorière, depuis dix ans", "Un autre témoignage"])
        #expect(reading.entries[0].draft.text == "Chaque année\nles mêmes \"pièces\".")
        #expect(reading.entries[1].draft.theme == ConsultationTheme.freeCode)
        #expect(reading.entries.map(\.origin.channel) == [.mail, .paperForm])
        // Rows are numbered as the spreadsheet shows them, whatever the line breaks inside fields.
        #expect(reading.rows.map(\.line) == [2, 3])
        let semicolons = try CSVReader.read("a;b,c\n1;2,3", maximumCharacters: 100, maximumRecords: 10)
        #expect(semicolons.map(\.fields) == [["a", "b,c"], ["1", "2,3"]])
    }

    @Test func everyBadLineIsNamedWithItsColumnAndNothingIsKept() {
        let csv = [
            Self.header, Self.testimonyLine,
            "témoignage;Culture;Un titre;Un texte assez long pour passer.;;;Hirson;14/03/2026;Forum;atelier",
            "proposition;Emploi associatif;Ab;Un texte assez long pour passer.;;;Hirson;31/02/2026;Forum;radio",
        ].joined(separator: "\n")
        let reading = OfflineContributionImport(csv: csv, consultation: Self.consultation)

        #expect(!reading.isValid)
        #expect(reading.rows.isEmpty)
        let named = reading.problems.map { "\($0.line ?? 0) \($0.column ?? "-")" }
        #expect(named == ["3 thématique", "4 canal", "4 date", "4 titre", "4 pourquoi"])
        #expect(reading.problems[0].text.hasPrefix("Ligne 3, colonne « thématique » : thématique inconnue."))
    }

    @Test func theHeaderTheQuotesAndTheCapsAreChecked() {
        func problems(_ csv: String) -> [String] { OfflineContributionImport(csv: csv, consultation: Self.consultation).problems.map(\.text) }

        #expect(problems("type;titre;couleur\n").contains("Ligne 1, colonne « couleur » : colonne inconnue. Les colonnes sont : \(OfflineContributionImport.columnList)."))
        #expect(problems("type;titre\n").contains("Ligne 1, colonne « lieu » : cette colonne obligatoire manque."))
        #expect(problems(Self.header + "\n").contains("Ligne 1 : le fichier ne contient aucune contribution après la ligne des colonnes."))
        #expect(problems(Self.header + "\n" + Self.testimonyLine + "\ntémoignage;\"Emploi") == [
            "Ligne 3 : un guillemet ouvert n'est jamais fermé. Vérifiez les guillemets de cette ligne (un guillemet dans un texte s'écrit \"\")."
        ])
        #expect(problems(Self.header + "\n" + Self.testimonyLine + ";en trop") == [
            "Ligne 2 : 11 champs pour 10 colonnes. Vérifiez le séparateur et les guillemets de cette ligne."
        ])
        #expect(problems("") == ["Le fichier est vide : collez le contenu du fichier CSV, sa première ligne nommant les colonnes."])
        let long = Self.header + "\n" + String(repeating: Self.testimonyLine + "\n", count: 300)
        #expect(problems(long).first?.hasPrefix("Le fichier dépasse 30") == true)
        let many = Self.header + "\n" + String(repeating: "témoignage;libre;Titre;Un texte assez long.;;;L;14/03/2026;F;atelier\n", count: 201)
        #expect(many.count < OfflineContributionImport.maximumCharacters)
        #expect(problems(many) == ["Le fichier compte plus de 200 lignes de contributions : découpez-le en plusieurs fichiers."])
    }
}
