import DialogueContracts
import Foundation
import Identity
import ServiceKit
import Wording

/// A process's indicators as tables, for the page and for the CSV alike: each figure written
/// once, with the count behind each percentage (« 12 sur 40, soit 30 % »).
struct ProcessIndicatorsPage {
    /// One table of the page, with its caption; its first column names the lines.
    struct Table {
        struct Row {
            let label: String
            let cells: [String]
        }

        let id: String
        let heading: String
        let caption: String
        let lineHeader: String
        let columns: [String]
        let rows: [Row]
        /// How the figures are counted, in a sentence.
        let note: String?
        /// What replaces the table when it has no line.
        let empty: String
        let hasRows: Bool

        init(id: String, heading: String, caption: String, lineHeader: String, columns: [String], rows: [Row], note: String?, empty: String) {
            self.id = id
            self.heading = heading
            self.caption = caption
            self.lineHeader = lineHeader
            self.columns = columns
            self.rows = rows
            self.note = note
            self.empty = empty
            hasRows = !rows.isEmpty
        }
    }

    let processID: String
    let title: String
    let staff: Bool
    let computedAt: String
    let summary: String
    let tables: [Table]
    /// Said instead of the age table when no participant's age band is known.
    let ageBandsUnknown: Bool
    let csvLink: String
    let otherViewLink: String

    init(_ indicators: ProcessIndicators) {
        processID = indicators.processID.uuidString.lowercased()
        title = indicators.processTitle
        staff = indicators.audience == .staff
        computedAt = FrenchDate.dateTime(indicators.computedAt)
        csvLink = staff ? "/admin/processus/\(processID)/indicateurs.csv" : "/processus/\(processID)/indicateurs.csv"
        otherViewLink = staff ? "/processus/\(processID)/indicateurs" : "/admin/processus/\(processID)/indicateurs"
        ageBandsUnknown = !indicators.knowsAgeBands
        tables = Self.tables(indicators)
        let people = Self.people(indicators.participants)
        let contributions = indicators.contributions.total
        summary = "Participants : \(people). Contributions : \(contributions). Ateliers terminés : \(indicators.workshops.count). "
            + "Recommandations : \(indicators.recommendations.total)."
    }

    /// What the public sees in place of a count from 1 to 4.
    static let small = "moins de \(PeopleCount.threshold)"
    /// What the public sees in place of a count that would give back a hidden one.
    static let complement = "non communiqué"

    static func people(_ count: PeopleCount) -> String {
        switch count.hidden {
        case .small?: small
        case .complement?: complement
        case nil: String(count.count ?? 0)
        }
    }

    /// « 12 sur 40, soit 30 % »; « 0 sur 0 » says there is nothing to divide.
    static func share(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "\(part) sur \(whole)" }
        let percent = Int((Double(part) * 100 / Double(whole)).rounded())
        return "\(part) sur \(whole), soit \(percent)\u{202F}%"
    }

    /// A share of people: hidden parts stay hidden, and so does the share of a hidden whole.
    static func share(_ part: PeopleCount, of whole: PeopleCount) -> String {
        guard let count = part.count else { return people(part) }
        guard let total = whole.count else { return String(count) }
        return share(count, of: total)
    }

    static func tables(_ indicators: ProcessIndicators) -> [Table] {
        let total = indicators.participants
        var tables: [Table] = []
        tables.append(Table(
            id: "phases", heading: "Participants par étape", caption: "Personnes ayant pris part à chaque étape, chacune comptée une fois par étape",
            lineHeader: "Étape", columns: ["Personnes"],
            rows: indicators.byPhase.map { phase in
                let name = phase.title.isEmpty ? phase.kind.label : phase.title
                return Table.Row(label: "Étape \(phase.position) : \(name)", cells: [people(phase.people)])
            } + [Table.Row(label: "Toute la démarche (chaque personne une fois)", cells: [people(total)])],
            note: "Une personne prend part à une étape quand elle dépose une contribution à sa consultation, en soutient une, "
                + "ou s'inscrit à l'un de ses ateliers (inscription non annulée). Un compte compte pour une personne ; une inscription sans compte, "
                + "pour la personne de son adresse ; une contribution recueillie en présentiel, dont l'auteur n'a pas de compte, pour une personne.",
            empty: "La démarche n'a pas encore d'étape."
        ))
        tables.append(breakdown(
            id: "departements", heading: "Participants par département", caption: "Participants par département de résidence",
            lineHeader: "Département", cells: indicators.byDepartement, total: total,
            label: { code in
                guard let code else { return "Non renseigné ou hors région" }
                return Region.departements[code].map { "\($0) (\(code))" } ?? "Département \(code)"
            },
            note: "Le département est celui du code postal que la personne a donné dans son profil. La plateforme ne garde pas le département "
                + "d'un code postal hors de la région : ces personnes sont comptées avec celles qui ne l'ont pas renseigné."
        ))
        tables.append(breakdown(
            id: "arrondissements", heading: "Participants par arrondissement", caption: "Participants par arrondissement de l'atelier suivi",
            lineHeader: "Arrondissement", cells: indicators.byArrondissement, total: total, label: { $0 ?? "Non renseigné" },
            note: "L'arrondissement est celui du premier atelier auquel la personne s'est inscrite. La plateforme ne connaît pas "
                + "l'arrondissement de résidence : les personnes qui ne se sont inscrites à aucun atelier sont comptées en « non renseigné »."
        ))
        if indicators.knowsAgeBands {
            let order = AgeBand.allCases.map(\.rawValue)
            let cells = indicators.byAgeBand.sorted { first, second in
                (first.key.flatMap(order.firstIndex(of:)) ?? order.count) < (second.key.flatMap(order.firstIndex(of:)) ?? order.count)
            }
            tables.append(breakdown(
                id: "ages", heading: "Participants par tranche d'âge", caption: "Participants par tranche d'âge, quand elle est connue",
                lineHeader: "Tranche d'âge", cells: cells, total: total,
                label: { key in key.map { AgeBand(rawValue: $0)?.label ?? $0 } ?? "Non renseignée" },
                note: "La tranche d'âge vient du profil des personnes qui ont accepté de la donner et ont déposé une contribution en ligne."
            ))
        }
        let contributions = indicators.contributions
        tables.append(Table(
            id: "contributions", heading: "Contributions", caption: "Contributions par origine et suite donnée",
            lineHeader: "Contributions", columns: ["Nombre (part des contributions)"],
            rows: [
                Table.Row(label: "Déposées en ligne", cells: [share(contributions.online, of: contributions.total)]),
                Table.Row(label: "Recueillies en présentiel", cells: [share(contributions.inPerson, of: contributions.total)]),
                Table.Row(label: "Ayant reçu une réponse", cells: [share(contributions.answered, of: contributions.total)]),
                Table.Row(label: "Retenues (ou reprises dans un rapport)", cells: [share(contributions.retained, of: contributions.total)]),
                Table.Row(label: "Total", cells: [String(contributions.total)]),
            ],
            note: "Contributions des consultations des étapes, publiées ou non, hors celles que leur auteur a retirées. "
                + "Temps médian avant une première réponse : \(medianText(contributions.medianDaysToAnswer)).",
            empty: ""
        ))
        tables.append(Table(
            id: "ateliers", heading: "Présence aux ateliers", caption: "Inscriptions, présence et absence par atelier terminé",
            lineHeader: "Atelier", columns: ["Inscrits", "Présents", "Absents", "Taux d'absence"],
            rows: indicators.workshops.map { workshop in
                Table.Row(
                    label: "\(FrenchDate.day(workshop.startsAt)), \(workshop.arrondissement) (\(workshop.themes.joined(separator: ", ")))",
                    cells: [
                        people(workshop.registered), people(workshop.attended), people(workshop.noShows),
                        workshop.noShows.count == nil ? people(workshop.noShows) : share(workshop.noShows, of: workshop.registered),
                    ]
                )
            },
            note: "Seuls les ateliers terminés et maintenus comptent. Inscrits : personnes qui avaient une place (hors liste d'attente et annulations) ; "
                + "présents : celles pointées à l'entrée ; absents : les autres.",
            empty: "Aucun atelier de la démarche n'est encore terminé."
        ))
        let report = indicators.recommendations
        tables.append(Table(
            id: "recommandations", heading: "Rapport d'orientation et mise en œuvre",
            caption: "Recommandations, contributions citoyennes reprises et avancement de la mise en œuvre",
            lineHeader: "Indicateur", columns: ["Valeur"],
            rows: [
                Table.Row(label: "Recommandations citant au moins une contribution citoyenne", cells: [share(report.citingContributions, of: report.total)]),
                Table.Row(label: "Recommandations adoptées par les élus (telles quelles ou modifiées)", cells: [share(report.adopted, of: report.total)]),
                Table.Row(label: "Jalons de mise en œuvre atteints", cells: [share(report.milestonesReached, of: report.milestones)]),
                Table.Row(
                    label: "Avancement moyen des recommandations adoptées",
                    cells: [report.meanProgress.map { "\(Int($0.rounded()))\u{202F}%" } ?? "aucune recommandation adoptée"]
                ),
            ],
            note: "L'avancement d'une recommandation adoptée est la moyenne de celui de ses jalons ; une recommandation sans jalon compte pour 0 %.",
            empty: ""
        ))
        return tables
    }

    private static func breakdown(
        id: String, heading: String, caption: String, lineHeader: String, cells: [PeopleCell], total: PeopleCount, label: (String?) -> String,
        note: String
    ) -> Table {
        Table(
            id: id, heading: heading, caption: caption, lineHeader: lineHeader, columns: ["Personnes (part des participants)"],
            rows: cells.map { Table.Row(label: label($0.key), cells: [share($0.people, of: total)]) }, note: note, empty: ""
        )
    }

    static func medianText(_ days: Double?) -> String {
        guard let days else { return "aucune réponse pour l'instant" }
        return days < 1 ? "moins d'un jour" : days < 1.5 ? "1 jour" : "\(Int(days.rounded())) jours"
    }

    /// Every table as CSV, one line per figure: the table, the line, the column, the value as
    /// the page writes it (hidden numbers stay hidden in the public file).
    static func csv(_ indicators: ProcessIndicators) -> String {
        var text = CSV.byteOrderMark + CSV.line(["tableau", "ligne", "colonne", "valeur"])
        for table in tables(indicators) {
            for row in table.rows {
                for (column, value) in zip(table.columns, row.cells) { text += CSV.line([table.caption, row.label, column, value]) }
            }
        }
        return text
    }
}
