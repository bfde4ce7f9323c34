import DialogueContracts
import Foundation

/// The opinion map on a forum's page (template `forum-opinion-map`): an SVG where each
/// participant is an anonymous dot whose shape says its group, each group outlined and
/// labelled; and the same facts as text — the groups, their sizes, what each thinks
/// distinctively, the consensus and divisive statements. Built only when the map is shown
/// (15 qualifying participants); statements no longer shown are left out.
struct OpinionMapSection {
    struct Dot {
        let path: String
        let group: Int
    }

    struct Outline {
        let cx: String
        let cy: String
        let r: String
        let labelX: String
        let labelY: String
        let label: String
        let group: Int
    }

    struct Leaning {
        let text: String
        let direction: String
        let share: Int
    }

    struct GroupRow {
        let name: String
        let size: Int
        let pluralSize: Bool
        let shape: String
        let statements: [Leaning]
        let hasStatements: Bool
    }

    struct Consensus {
        let text: String
        let direction: String
        let shares: String
    }

    struct Divisive {
        let text: String
        let agreeing: String
        let disagreeing: String
    }

    static let width = 600.0
    static let height = 400.0
    static let margin = 48.0

    let width = Int(OpinionMapSection.width)
    let height = Int(OpinionMapSection.height)
    let participants: Int
    let description: String
    let dots: [Dot]
    let outlines: [Outline]
    let groups: [GroupRow]
    let consensus: [Consensus]
    let hasConsensus: Bool
    let divisive: [Divisive]
    let hasDivisive: Bool

    /// A group's name: « Groupe A », « Groupe B »…
    static func name(_ group: Int) -> String {
        let letters = Array("ABCDEFGHIJ")
        return "Groupe \(group < letters.count ? String(letters[group]) : String(group + 1))"
    }

    /// The shape of a group's dots, so that groups are told apart without colour.
    static let shapes = ["ronds", "carrés", "triangles", "losanges", "croix"]

    static func direction(_ reaction: ForumReaction) -> String {
        reaction == .disagree ? "pas d'accord" : "d'accord"
    }

    static func share(_ leaning: OpinionMapStatementLeaning) -> Int {
        leaning.voters == 0 ? 0 : Int((100 * Double(leaning.votes) / Double(leaning.voters)).rounded())
    }

    init?(_ map: ForumOpinionMapView, statements: [StatementView]) {
        guard map.shown, !map.groups.isEmpty else { return nil }
        var texts: [UUID: String] = [:]
        for statement in statements where statement.visible { texts[statement.id] = statement.text }
        participants = map.qualifyingParticipants

        // The plane scaled to the picture, y upwards.
        let xs = map.points.map(\.x) + map.groups.map(\.centreX)
        let ys = map.points.map(\.y) + map.groups.map(\.centreY)
        let (minX, maxX, minY, maxY) = (xs.min() ?? 0, xs.max() ?? 0, ys.min() ?? 0, ys.max() ?? 0)
        let spanX = max(maxX - minX, 1e-9)
        let spanY = max(maxY - minY, 1e-9)
        func place(_ x: Double, _ y: Double) -> (Double, Double) {
            (
                Self.margin + (x - minX) / spanX * (Self.width - 2 * Self.margin),
                Self.height - Self.margin - (y - minY) / spanY * (Self.height - 2 * Self.margin)
            )
        }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }

        dots = map.points.map { point in
            let (x, y) = place(point.x, point.y)
            return Dot(path: Self.shapePath(group: point.group, x: x, y: y, number: number), group: point.group % Self.shapes.count)
        }
        outlines = map.groups.enumerated().map { index, group in
            let (cx, cy) = place(group.centreX, group.centreY)
            let radius = map.points.filter { $0.group == index }.map { point -> Double in
                let (x, y) = place(point.x, point.y)
                return ((x - cx) * (x - cx) + (y - cy) * (y - cy)).squareRoot()
            }.max() ?? 0
            let r = min(radius + 10, Self.height / 2)
            return Outline(
                cx: number(cx), cy: number(cy), r: number(r), labelX: number(cx), labelY: number(max(cy - r - 6, 14)),
                label: "\(Self.name(index)) (\(group.size))", group: index % Self.shapes.count
            )
        }
        groups = map.groups.enumerated().map { index, group in
            let statements = group.representative.compactMap { leaning in
                texts[leaning.statementID].map { Leaning(text: $0, direction: Self.direction(leaning.direction), share: Self.share(leaning)) }
            }
            return GroupRow(
                name: Self.name(index), size: group.size, pluralSize: group.size > 1, shape: Self.shapes[index % Self.shapes.count],
                statements: statements, hasStatements: !statements.isEmpty
            )
        }
        consensus = map.consensus.compactMap { item in
            texts[item.statementID].map { text in
                Consensus(
                    text: text, direction: Self.direction(item.direction),
                    shares: item.byGroup.enumerated().map { "\(Self.name($0)) : \(Self.share($1)) %" }.joined(separator: ", ")
                )
            }
        }
        hasConsensus = !consensus.isEmpty
        divisive = map.divisive.compactMap { item in
            texts[item.statementID].map { text in
                Divisive(
                    text: text, agreeing: item.agreeingGroups.map(Self.name).joined(separator: ", "),
                    disagreeing: item.disagreeingGroups.map(Self.name).joined(separator: ", ")
                )
            }
        }
        hasDivisive = !divisive.isEmpty
        let parts = groups.map { "\($0.name) : \($0.size) participant\($0.pluralSize ? "s" : ""), en \($0.shape)" }
        description = "\(participants) participants placés selon leurs réponses aux affirmations, répartis en \(groups.count) groupes : "
            + parts.joined(separator: " ; ") + ". Les personnes proches ont répondu de façon semblable. Le détail de chaque groupe suit la carte."
    }

    /// A dot of the group's shape centred on (x, y).
    static func shapePath(group: Int, x: Double, y: Double, number: (Double) -> String) -> String {
        let size = 4.0
        switch group % shapes.count {
        case 0: // circle, as two arcs
            return "M \(number(x - size)) \(number(y)) a \(number(size)) \(number(size)) 0 1 0 \(number(2 * size)) 0 a \(number(size)) \(number(size)) 0 1 0 \(number(-2 * size)) 0 Z"
        case 1:
            return "M \(number(x - size)) \(number(y - size)) h \(number(2 * size)) v \(number(2 * size)) h \(number(-2 * size)) Z"
        case 2:
            return "M \(number(x)) \(number(y - size - 1)) L \(number(x + size + 1)) \(number(y + size)) L \(number(x - size - 1)) \(number(y + size)) Z"
        case 3:
            return "M \(number(x)) \(number(y - size - 1)) L \(number(x + size + 1)) \(number(y)) L \(number(x)) \(number(y + size + 1)) L \(number(x - size - 1)) \(number(y)) Z"
        default:
            let arm = size / 2.5
            return "M \(number(x - arm)) \(number(y - size)) h \(number(2 * arm)) v \(number(size - arm)) h \(number(size - arm)) v \(number(2 * arm)) "
                + "h \(number(arm - size)) v \(number(size - arm)) h \(number(-2 * arm)) v \(number(arm - size)) h \(number(arm - size)) v \(number(-2 * arm)) "
                + "h \(number(size - arm)) Z"
        }
    }
}
