import DialogueContracts
import Foundation
import ServiceKit
import Wording

// What the public process templates (`processes`, `process`) show.

/// `/processus`: every process, the latest begun first, with where each stands.
struct ProcessListPage {
    struct Item {
        let id: String
        let title: String
        let policy: String
        let stage: String
        let phases: Int
    }

    let items: [Item]
    let empty: Bool

    init(_ list: ProcessList, at date: Date = Date()) {
        items = list.items.map {
            Item(id: $0.id.uuidString.lowercased(), title: $0.title, policy: $0.policy, stage: ProcessLabels.stage($0, at: date), phases: $0.phases.count)
        }
        empty = items.isEmpty
    }
}

/// `/processus/{id}`: the process, where it stands, and its timeline — an ordered list of its
/// phases, each saying in words whether it is over, running or to come (never by colour alone).
struct ProcessPageModel {
    struct Link {
        let label: String
        let href: String
    }

    struct Phase {
        let anchor: String
        let number: Int
        let title: String
        let kind: String
        let days: String
        let timing: String
        let timingClass: String
        let current: Bool
        let description: [String]
        let links: [Link]
        let hasLinks: Bool
        let documents: [Link]
        let hasDocuments: Bool
    }

    let id: String
    let title: String
    let policy: String
    let purpose: [String]
    let stage: String
    let phases: [Phase]
    let phaseCount: Int
    let signedIn: Bool
    let following: Bool
    /// Where the sign-in page sends the visitor back.
    let signInLink: String
    /// Its workshops, with their seats left (`process-workshops`).
    var workshops: ProcessWorkshops?

    init(_ process: ProcessView, signedIn: Bool = false, at date: Date = Date()) {
        id = process.id.uuidString.lowercased()
        self.signedIn = signedIn
        following = process.followedByViewer
        signInLink = "/connexion?retour=" + ("/processus/\(id)".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        title = process.title
        policy = process.policy
        purpose = TextParagraphs.of(process.purpose)
        stage = ProcessLabels.stage(process, at: date)
        phaseCount = process.phases.count
        phases = process.phases.map { phase in
            let timing = phase.timing(at: date)
            var links: [Link] = []
            if let id = phase.consultationID { links.append(Link(label: "La consultation de l'étape", href: "/consultations/\(id.uuidString.lowercased())")) }
            if let id = phase.forumID { links.append(Link(label: "Le forum de l'étape", href: "/forums/\(id.uuidString.lowercased())")) }
            if let id = phase.surveyID { links.append(Link(label: "L'enquête de l'étape", href: "/enquetes/\(id.uuidString.lowercased())")) }
            let documents = phase.documents.map { Link(label: $0.title, href: $0.url) }
            return Phase(
                anchor: "etape-\(phase.position)", number: phase.position, title: phase.shownTitle,
                kind: phase.title.isEmpty || phase.kind == .free ? "" : phase.kind.label, days: ProcessLabels.days(phase),
                timing: ProcessLabels.timing(timing), timingClass: timing.rawValue, current: timing == .current,
                description: TextParagraphs.of(phase.description), links: links, hasLinks: !links.isEmpty, documents: documents,
                hasDocuments: !documents.isEmpty
            )
        }
    }
}
