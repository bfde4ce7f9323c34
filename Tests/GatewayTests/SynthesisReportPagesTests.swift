import DialogueContracts
import Foundation
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// `/admin/synthese/groupes` and `/admin/synthese/rapport` (with its CSV and JSON): a
/// consultation's published contributions, fed to the synthesis reporter by the consultation
/// service's events, grouped by topic and counted; every figure names the texts it counts,
/// a contribution in moderation counts among the received only; a bad choice comes back next
/// to its field.
@Suite struct SynthesisReportPagesTests {
    static let topics: [[String]] = [
        [
            "Les transports en commun manquent le soir.", "Il faut plus de bus entre les villages.",
            "Le train régional arrive souvent en retard.", "La gare routière reste fermée le dimanche.",
            "Le billet de train coûte trop cher aux étudiants.",
        ],
        [
            "Les urgences de l'hôpital ferment la nuit.", "On attend des mois un rendez-vous chez le médecin.",
            "La maternité de proximité doit rester ouverte.", "Le centre de santé manque de généralistes.",
            "La pharmacie de garde est trop loin.",
        ],
    ]
    static let triples = [[0, 1, 2], [1, 2, 3], [2, 3, 4], [0, 3, 4], [0, 1, 4]]

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    @Test func aConsultationsGroupsAndReportNameTheTextsTheyRestOn() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup: a consultation with two topics of five published contributions, and one in moderation
            let consultation = UUID()
            var planted: [Set<UUID>] = []
            var published: [UUID] = []
            for (index, sentences) in Self.topics.enumerated() {
                var ids: Set<UUID> = []
                for (number, triple) in Self.triples.enumerated() {
                    let id = UUID()
                    ids.insert(id)
                    published.append(id)
                    let facts = ContributionFacts(
                        contributionID: id, consultationID: consultation, kind: number % 2 == 0 ? .proposal : .testimony,
                        theme: index == 0 ? "mobilite" : "sante", themeLabel: index == 0 ? "Mobilités" : "Santé", title: "Contribution \(index)-\(number)",
                        text: triple.map { sentences[$0] }.joined(separator: " "), reasons: nil, commune: nil, origin: .online,
                        authorDepartement: nil, authorAgeBand: nil
                    )
                    try await publishEvent(ContributionReceived(contribution: facts, submittedAt: Date()), topology: stack.topology)
                    try await publishEvent(ContributionPublished(contribution: facts, publishedAt: Date()), topology: stack.topology)
                }
                planted.append(ids)
            }
            let waiting = UUID()
            try await publishEvent(
                ContributionReceived(contribution: ContributionFacts(
                    contributionID: waiting, consultationID: consultation, kind: .proposal, theme: "sante", themeLabel: "Santé", title: "En attente",
                    text: "Un texte pas encore modéré.", reasons: nil, commune: nil, origin: .inPerson, authorDepartement: nil, authorAgeBand: nil
                ), submittedAt: Date()),
                topology: stack.topology
            )
            try await eventually(timeout: .seconds(30), "the reporter kept the contributions") {
                let documents = try await probe.texts("SELECT count(*)::text FROM synthesis.text_documents")
                let decisions = try await probe.texts("SELECT count(*)::text FROM synthesis.text_moderation")
                return documents == ["11"] && decisions == ["10"]
            }
            let (web, _) = try await SurveyBuilderPagesTests.staffSession(stack, client)
            let choice = "contributions:\(consultation.uuidString.lowercased())"

            // act
            let form = try await web.get("/admin/synthese/groupes")
            let groups = try await web.get("/admin/synthese/groupes?perimetre=\(choice)")
            let report = try await web.get("/admin/synthese/rapport?perimetre=\(choice)")
            let csv = try await web.get("/admin/synthese/rapport.csv?perimetre=\(choice)")
            let json = try await web.get("/admin/synthese/rapport.json?perimetre=\(choice)")
            let badChoice = try await web.get("/admin/synthese/groupes?perimetre=contributions:pas-un-id")
            let noScope = try await web.get("/admin/synthese/rapport?perimetre=contributions")
            let trends = try await web.get("/admin/synthese?source=\(choice):sante")

            // check: the consultation is offered, and its groups are the planted topics
            #expect(form.status == .ok)
            #expect(form.text.contains(#"<option value="\#(choice)""#))
            #expect(groups.status == .ok)
            #expect(groups.text.contains("10 textes publiés, 2 groupes."))
            let sections = groups.text.components(separatedBy: #"<section aria-labelledby="groupe-"#).dropFirst()
            #expect(sections.count == 2)
            let linked = sections.map { section in
                Set(section.components(separatedBy: "#c-").dropFirst().compactMap { UUID(uuidString: String($0.prefix(36))) })
            }
            #expect(Set(linked) == Set(planted))
            // every link opens the contribution on its consultation's page
            #expect(groups.text.contains(SitePath.consultation(consultation).path + "#c-"))

            // the report: counts with the texts they rest on, the same in JSON and CSV
            #expect(report.status == .ok)
            #expect(report.text.contains("11 textes reçus, dont 10 publiés."))
            let decoded = try Self.decoder.decode(SynthesisReport.self, from: Data(json.text.utf8))
            #expect(decoded.received.count == 11 && decoded.published.count == 10)
            #expect(Set(decoded.published.documentIDs) == Set(published))
            #expect(decoded.byStatus.first { $0.key == "in_moderation" }?.documentIDs == [waiting])
            #expect(decoded.byTheme.map(\.label) == ["Mobilités", "Santé"])
            #expect(decoded.byTheme.first { $0.key == "mobilite" }.map { Set($0.documentIDs) } == planted[0])
            #expect(decoded.byKind.first { $0.key == "proposal" }?.label == "Proposition")
            #expect(decoded.byKind.first { $0.key == "proposal" }?.count == 6)
            #expect(Set(decoded.groups.map { Set($0.documentIDs) }) == Set(planted))
            #expect(json.headers[.contentType] == "application/json")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = csv.text.components(separatedBy: "\r\n")
            #expect(lines.first == "\u{FEFF}section;cle;libelle;nombre;textes")
            let health = try #require(lines.first { $0.hasPrefix("theme;sante;") })
            #expect(Set(health.components(separatedBy: ";")[4].split(separator: " ").compactMap { UUID(uuidString: String($0)) }) == planted[1])
            #expect(lines.contains { $0.hasPrefix("statut;in_moderation;En cours de modération;1;\(waiting.uuidString.lowercased())") })
            // each figure of the page cites numbered texts listed in the annex with their ids
            for id in published { #expect(report.text.contains(id.uuidString.lowercased())) }
            #expect(!report.text.contains(waiting.uuidString.lowercased()))

            // a bad choice comes back next to its field; the trends of one theme
            #expect(badChoice.status == .unprocessableContent)
            #expect(badChoice.text.contains(#"id="perimetre-error""#))
            #expect(noScope.status == .unprocessableContent)
            #expect(noScope.text.contains("Choisissez une consultation ou un forum."))
            #expect(trends.status == .ok)
            #expect(trends.text.contains("Consultation « sans titre », thème « Santé » du"))
            #expect(trends.text.contains("5 textes."))
        }
    }
}
