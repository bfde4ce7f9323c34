import DialogueContracts
import Foundation

/// The columns of a survey's CSV export and of its codebook, drawn from the definition alone:
/// every response has the same columns whatever path it took through the conditions, and a
/// question it did not see is an empty cell.
///
/// Names are the question id, and for questions that take several columns the id, a point and
/// what the column holds (`freins.prix`, `priorites.rang1`, `qualite.proprete`). Ids hold only
/// `a-z`, `0-9`, `-` and `_`, so no two names can meet; « autre » columns start with `*`,
/// which no option id holds.
struct SurveyExportLayout {
    /// One column: its name, what the codebook says of it, and its cell for a response.
    struct Variable {
        let name: String
        let question: String
        let type: String
        /// The codes the column may hold and their labels; empty for free values.
        let values: [(code: String, label: String)]
        /// What the column holds when `values` does not list it.
        let description: String
        let cell: @Sendable (SurveyResponseView) -> String
    }

    let variables: [Variable]

    /// The code of « autre, précisez » in a single-choice column.
    static let otherCode = "*autre"

    init(_ definition: SurveyDefinition) {
        let binary: [(code: String, label: String)] = [(code: "0", label: "Non coché"), (code: "1", label: "Coché")]
        var variables: [Variable] = [
            Variable(name: "reponse", question: "Identifiant de la réponse", type: "identifiant", values: [], description: "UUID", cell: { $0.id.uuidString.lowercased() }),
            Variable(
                name: "canal", question: "Canal de réponse", type: "code", values: SurveyChannel.allCases.map { ($0.rawValue, $0.label) }, description: "",
                cell: { $0.channel.rawValue }
            ),
            Variable(
                name: "soumise_le", question: "Date et heure de la réponse", type: "date et heure", values: [], description: "ISO 8601, UTC",
                cell: { $0.submittedAt.ISO8601Format() }
            ),
            Variable(
                name: "modifiee_le", question: "Date et heure de la dernière modification", type: "date et heure", values: [],
                description: "ISO 8601, UTC ; vide si la réponse n'a pas été modifiée", cell: { $0.revisedAt?.ISO8601Format() ?? "" }
            ),
            Variable(
                name: "departement", question: "Profil : département (tel que déclaré le jour de la réponse)", type: "code",
                values: SurveyDepartement.allCases.map { ($0.rawValue, SurveyProfileForm.label($0)) }, description: "",
                cell: { $0.profile.departement?.rawValue ?? "" }
            ),
            Variable(
                name: "tranche_age", question: "Profil : tranche d'âge (le jour de la réponse)", type: "code",
                values: SurveyAgeBand.allCases.map { ($0.rawValue, SurveyProfileForm.label($0)) }, description: "", cell: { $0.profile.ageBand?.rawValue ?? "" }
            ),
            Variable(
                name: "situation", question: "Profil : situation (le jour de la réponse)", type: "code",
                values: SurveyOccupation.allCases.map { ($0.rawValue, SurveyProfileForm.label($0)) }, description: "",
                cell: { $0.profile.occupation?.rawValue ?? "" }
            ),
            Variable(
                name: "association", question: "Profil : membre d'une association (le jour de la réponse)", type: "code",
                values: SurveyAssociationMembership.allCases.map { ($0.rawValue, SurveyProfileForm.label($0)) }, description: "",
                cell: { $0.profile.association?.rawValue ?? "" }
            ),
        ]

        for (_, question) in definition.orderedQuestions {
            let id = question.id
            let prompt = question.prompt
            let type = question.kind.type.label
            func otherText() -> Variable {
                Variable(
                    name: "\(id).\(Self.otherCode)_texte", question: "\(prompt) — « autre », précisé", type: "texte libre", values: [],
                    description: "le texte saisi ; vide si « autre » n'a pas été choisi", cell: { $0.answers[id]?.otherText ?? "" }
                )
            }
            switch question.kind {
            case .singleChoice(let options, let allowsOther):
                var codes: [(code: String, label: String)] = options.map { ($0.id, $0.label) }
                if allowsOther { codes.append((Self.otherCode, "Autre (précisez)")) }
                variables.append(Variable(name: id, question: prompt, type: type, values: codes, description: "") { response in
                    guard let answer = response.answers[id] else { return "" }
                    return answer.optionIDs?.first ?? (answer.otherText == nil ? "" : Self.otherCode)
                })
                if allowsOther { variables.append(otherText()) }
            case .multipleChoice(let options, let allowsOther, _, _):
                for option in options {
                    variables.append(Variable(name: "\(id).\(option.id)", question: "\(prompt) — \(option.label)", type: type, values: binary, description: "") { response in
                        guard let answer = response.answers[id] else { return "" }
                        return answer.optionIDs?.contains(option.id) == true ? "1" : "0"
                    })
                }
                if allowsOther {
                    variables.append(Variable(name: "\(id).\(Self.otherCode)", question: "\(prompt) — Autre (précisez)", type: type, values: binary, description: "") { response in
                        guard let answer = response.answers[id] else { return "" }
                        return answer.otherText == nil ? "0" : "1"
                    })
                    variables.append(otherText())
                }
            case .scale(let scale):
                variables.append(Variable(
                    name: id, question: prompt, type: type, values: Self.points(of: scale), description: ""
                ) { $0.answers[id]?.number.map(Self.number) ?? "" })
            case .ranking(let options, let rankedCount):
                let codes: [(code: String, label: String)] = options.map { ($0.id, $0.label) }
                for position in 1...max(1, rankedCount ?? options.count) {
                    variables.append(Variable(
                        name: "\(id).rang\(position)", question: "\(prompt) — rang \(position)", type: type, values: codes,
                        description: "l'option classée à ce rang"
                    ) { response in
                        guard let ranked = response.answers[id]?.optionIDs, ranked.count >= position else { return "" }
                        return ranked[position - 1]
                    })
                }
            case .matrix(let rows, let scale):
                for row in rows {
                    variables.append(Variable(
                        name: "\(id).\(row.id)", question: "\(prompt) — \(row.label)", type: type, values: Self.points(of: scale), description: ""
                    ) { $0.answers[id]?.rows?[row.id].map(String.init) ?? "" })
                }
            case .number(let minimum, let maximum, let unit, let wholeNumber):
                let bounds = [minimum.map { "au moins \(Self.number($0))" }, maximum.map { "au plus \(Self.number($0))" }].compactMap { $0 }
                let description = (wholeNumber ? "nombre entier" : "nombre (point décimal)") + (unit.map { ", en \($0)" } ?? "")
                    + (bounds.isEmpty ? "" : ", " + bounds.joined(separator: " et "))
                variables.append(Variable(name: id, question: prompt, type: type, values: [], description: description) { $0.answers[id]?.number.map(Self.number) ?? "" })
            case .shortText, .longText:
                variables.append(Variable(name: id, question: prompt, type: type, values: [], description: "le texte saisi") { $0.answers[id]?.text ?? "" })
            case .date:
                variables.append(Variable(name: id, question: prompt, type: type, values: [], description: "AAAA-MM-JJ") { $0.answers[id]?.date ?? "" })
            case .place(let level):
                let values: [(code: String, label: String)] = level == .departement ? Region.departements.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } : []
                let description = level == .commune ? "code INSEE de la commune" : ""
                variables.append(Variable(name: id, question: prompt, type: type, values: values, description: description) { $0.answers[id]?.place ?? "" })
            case .sectionHeader:
                break
            }
        }
        self.variables = variables
    }

    /// The first line of the CSV export.
    var header: String { CSV.line(variables.map(\.name)) }

    /// A response's line of the CSV export.
    func line(_ response: SurveyResponseView) -> String { CSV.line(variables.map { $0.cell(response) }) }

    /// The codebook as CSV: a line per code of each column, or one line saying what it holds.
    var codebook: String {
        var text = CSV.byteOrderMark + CSV.line(["variable", "question", "type", "valeur", "libelle"])
        for variable in variables {
            if variable.values.isEmpty || !variable.description.isEmpty {
                text += CSV.line([variable.name, variable.question, variable.type, "", variable.description])
            }
            for value in variable.values { text += CSV.line([variable.name, variable.question, variable.type, value.code, value.label]) }
        }
        return text
    }

    /// A scale's points, its ends labelled.
    private static func points(of scale: SurveyScale) -> [(code: String, label: String)] {
        (scale.minimum...max(scale.minimum, scale.maximum)).map { point in
            let label = point == scale.minimum ? scale.minimumLabel : point == scale.maximum ? scale.maximumLabel : ""
            return (String(point), label)
        }
    }

    /// A number as a spreadsheet reads it: no « .0 » on a whole number, a point before decimals.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
