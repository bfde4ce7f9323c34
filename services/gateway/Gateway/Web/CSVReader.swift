import Foundation

/// Reads CSV as staff's spreadsheets write it: UTF-8 with or without a byte-order mark, `;`
/// (French Excel) or `,` between fields, chosen from the header line, RFC 4180 quoting (a
/// quoted field may hold the separator, doubled quotes and line breaks), CRLF or LF line ends.
/// Records are numbered as a spreadsheet numbers its rows (the header is row 1), so a message
/// naming a line points at the row staff see, even when a field spans several lines of text.
enum CSVReader {
    struct Record: Equatable {
        /// The spreadsheet's row number, the header being 1.
        let line: Int
        let fields: [String]
    }

    enum Failure: Error, Equatable {
        case empty
        case tooLong(maximumCharacters: Int)
        case tooManyLines(maximumRecords: Int)
        /// A quote opened on this row and never closed.
        case unclosedQuote(line: Int)

        /// In French, for staff.
        var message: String {
            switch self {
            case .empty: "Le fichier est vide : collez le contenu du fichier CSV, sa première ligne nommant les colonnes."
            case .tooLong(let maximum):
                "Le fichier dépasse \(maximum.formatted(.number.locale(Locale(identifier: "fr_FR")))) caractères : découpez-le en plusieurs fichiers."
            case .tooManyLines(let maximum): "Le fichier compte plus de \(maximum) lignes de contributions : découpez-le en plusieurs fichiers."
            case .unclosedQuote(let line):
                "Ligne \(line) : un guillemet ouvert n'est jamais fermé. Vérifiez les guillemets de cette ligne (un guillemet dans un texte s'écrit \"\")."
            }
        }
    }

    /// The records, the header first; rows whose fields are all empty (a spreadsheet's trailing
    /// `;;;;`) are left out but keep their number.
    /// - Parameters:
    ///   - maximumCharacters: refused above, before anything is read.
    ///   - maximumRecords: the most records after the header.
    static func read(_ text: String, maximumCharacters: Int, maximumRecords: Int) throws(Failure) -> [Record] {
        var scalars = Substring(text).unicodeScalars
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        guard text.count <= maximumCharacters + 1 else { throw .tooLong(maximumCharacters: maximumCharacters) }
        let separator = self.separator(of: scalars)
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false
        var line = 1
        var index = scalars.startIndex

        func endRecord() throws(Failure) {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            if fields.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                records.append(Record(line: line, fields: fields))
                if records.count > maximumRecords + 1 { throw .tooManyLines(maximumRecords: maximumRecords) }
            }
            fields = []
            line += 1
        }

        while index < scalars.endIndex {
            let scalar = scalars[index]
            index = scalars.index(after: index)
            if quoted {
                if scalar == "\"" {
                    if index < scalars.endIndex, scalars[index] == "\"" {
                        field.append("\"")
                        index = scalars.index(after: index)
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case separator:
                fields.append(String(field))
                field = String.UnicodeScalarView()
            case "\r":
                if index < scalars.endIndex, scalars[index] == "\n" { index = scalars.index(after: index) }
                try endRecord()
            case "\n": try endRecord()
            default: field.append(scalar)
            }
        }
        if quoted { throw .unclosedQuote(line: line) }
        if !field.isEmpty || !fields.isEmpty { try endRecord() }
        guard !records.isEmpty else { throw .empty }
        return records
    }

    /// `;` unless the header line holds more commas than semicolons outside quotes.
    private static func separator(of scalars: Substring.UnicodeScalarView) -> Unicode.Scalar {
        var (semicolons, commas, quoted) = (0, 0, false)
        for scalar in scalars {
            if scalar == "\"" { quoted.toggle() }
            if quoted { continue }
            if scalar == "\n" || scalar == "\r" { break }
            if scalar == ";" { semicolons += 1 }
            if scalar == "," { commas += 1 }
        }
        return commas > semicolons ? "," : ";"
    }
}
