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

/// The responses' exports for staff: the same columns for every path through the survey, a
/// codebook naming every column and code, cells safe in a spreadsheet, valid JSON, staff only
/// and audited.
@Suite struct SurveyExportTests {
    static let fivePoints = SurveyScale(minimum: 1, maximum: 5, minimumLabel: "Pas du tout", maximumLabel: "Tout à fait")

    /// A question of every type, a header and a condition.
    static let definition = SurveyDefinition(
        title: "Se déplacer", purpose: "Les réponses guideront le plan régional des mobilités.",
        sections: [
            SurveySection(id: "trajets", questions: [
                SurveyQuestion(id: "intro", prompt: "Vos trajets", kind: .sectionHeader),
                SurveyQuestion(
                    id: "mode", prompt: "Comment allez-vous au travail ?",
                    kind: .singleChoice(options: [SurveyOption(id: "train", label: "Train"), SurveyOption(id: "bus", label: "Bus")], allowsOther: true)
                ),
                SurveyQuestion(
                    id: "freins", prompt: "Qu'est-ce qui vous gêne ?", condition: .equals(question: "mode", value: "train"),
                    kind: .multipleChoice(
                        options: [SurveyOption(id: "prix", label: "Le prix"), SurveyOption(id: "temps", label: "Le temps")], allowsOther: true,
                        minimumChoices: nil, maximumChoices: nil
                    )
                ),
                SurveyQuestion(id: "satisfaction", prompt: "Êtes-vous satisfait ?", kind: .scale(fivePoints)),
                SurveyQuestion(id: "km", prompt: "Combien de kilomètres ?", kind: .number(minimum: 0, maximum: 500, unit: "km", wholeNumber: false)),
                SurveyQuestion(
                    id: "priorites", prompt: "Classez vos priorités",
                    kind: .ranking(options: [SurveyOption(id: "securite", label: "Sécurité"), SurveyOption(id: "prix", label: "Prix"), SurveyOption(id: "confort", label: "Confort")], rankedCount: 2)
                ),
                SurveyQuestion(
                    id: "qualite", prompt: "Notez la qualité",
                    kind: .matrix(rows: [SurveyOption(id: "proprete", label: "Propreté"), SurveyOption(id: "ponctualite", label: "Ponctualité")], scale: fivePoints)
                ),
                SurveyQuestion(id: "depuis", prompt: "Depuis quand ?", kind: .date(earliest: nil, latest: nil)),
                SurveyQuestion(id: "commune", prompt: "Votre commune", kind: .place(.commune)),
                SurveyQuestion(id: "dep", prompt: "Votre département de travail", kind: .place(.departement)),
                SurveyQuestion(id: "titre", prompt: "En un mot", kind: .shortText(maximumLength: 100)),
                SurveyQuestion(id: "avis", prompt: "Votre avis", kind: .longText(maximumLength: 2_000)),
            ]),
        ]
    )

    static let header = [
        "reponse", "canal", "soumise_le", "modifiee_le", "departement", "tranche_age", "situation", "association",
        "mode", "mode.*autre_texte", "freins.prix", "freins.temps", "freins.*autre", "freins.*autre_texte", "satisfaction", "km",
        "priorites.rang1", "priorites.rang2", "qualite.proprete", "qualite.ponctualite", "depuis", "commune", "dep", "titre", "avis",
    ]

    static func response(_ answers: [String: SurveyAnswer], channel: SurveyChannel = .web, profile: SurveyProfile = SurveyProfile()) -> SurveyResponseView {
        SurveyResponseView(
            id: UUID(uuidString: "00000000-0000-4000-8000-000000000001")!, surveyID: UUID(), channel: channel, profile: profile, answers: answers,
            submittedAt: Date(timeIntervalSince1970: 1_780_000_000), revisedAt: nil
        )
    }

    @Test func everyTypeHasStableColumnsWhateverThePath() throws {
        let layout = SurveyExportLayout(Self.definition)
        #expect(layout.header == Self.header.joined(separator: ";") + "\r\n")

        // every question answered, « autre » in both choices, texts a spreadsheet would run
        let full = Self.response(
            [
                "mode": .other("=cmd|' /C calc'!A0"), "freins": .choices(["temps"], other: "La foule; le bruit"), "satisfaction": .number(4),
                "km": .number(12.5), "priorites": .ranking(["prix", "securite"]), "qualite": .matrix(["proprete": 5, "ponctualite": 2]),
                "depuis": .date("2020-01-02"), "commune": .place("59350"), "dep": .place("62"), "titre": .text("-2+3"),
                "avis": .text("Ligne 1\nLigne \"2\""),
            ],
            channel: .paper, profile: SurveyProfile(departement: .nord, ageBand: .from18To24, occupation: .student, association: .member)
        )
        #expect(layout.line(full) == [
            "00000000-0000-4000-8000-000000000001", "paper", "2026-05-28T20:26:40Z", "", "59", "18_24", "student", "member",
            "*autre", "'=cmd|' /C calc'!A0", "0", "1", "1", "\"La foule; le bruit\"", "4", "12.5",
            "prix", "securite", "5", "2", "2020-01-02", "59350", "62", "'-2+3", "\"Ligne 1\nLigne \"\"2\"\"\"",
        ].joined(separator: ";") + "\r\n")

        // another path: « bus », so « freins » was never shown: empty cells, not zeros, and as many columns
        let short = Self.response(["mode": .choice("bus"), "km": .number(-3)])
        let cells = layout.line(short).replacingOccurrences(of: "\r\n", with: "").components(separatedBy: ";")
        #expect(cells.count == Self.header.count)
        #expect(cells[8...15] == ["bus", "", "", "", "", "", "", "-3"])
        #expect(cells[16...].allSatisfy { $0.isEmpty })
    }

    @Test func theCodebookNamesEveryColumnAndEveryCode() throws {
        let codebook = SurveyExportLayout(Self.definition).codebook
        #expect(codebook.hasPrefix("\u{FEFF}variable;question;type;valeur;libelle\r\n"))
        let lines = codebook.dropFirst().components(separatedBy: "\r\n").filter { !$0.isEmpty }.dropFirst()
        #expect(Set(lines.map { String($0.prefix { $0 != ";" }) }) == Set(Self.header))
        for expected in [
            "canal;Canal de réponse;code;paper;Questionnaire papier",
            "mode;Comment allez-vous au travail ?;Choix unique;train;Train",
            "mode;Comment allez-vous au travail ?;Choix unique;*autre;Autre (précisez)",
            "freins.prix;Qu'est-ce qui vous gêne ? — Le prix;Choix multiple;1;Coché",
            "freins.*autre;Qu'est-ce qui vous gêne ? — Autre (précisez);Choix multiple;0;Non coché",
            "satisfaction;Êtes-vous satisfait ?;Échelle;1;Pas du tout",
            "satisfaction;Êtes-vous satisfait ?;Échelle;3;",
            "km;Combien de kilomètres ?;Nombre;;nombre (point décimal), en km, au moins 0 et au plus 500",
            "priorites.rang2;Classez vos priorités — rang 2;Classement;confort;Confort",
            "qualite.ponctualite;Notez la qualité — Ponctualité;Tableau (lignes × échelle);5;Tout à fait",
            "depuis;Depuis quand ?;Date;;AAAA-MM-JJ",
            "commune;Votre commune;Commune ou département;;code INSEE de la commune",
            "dep;Votre département de travail;Commune ou département;62;Pas-de-Calais",
            "avis;Votre avis;Texte long;;le texte saisi",
        ] {
            #expect(lines.contains(expected), "\(expected)")
        }
        #expect(!lines.contains { $0.hasPrefix("intro;") })
    }

    @Test func cellsAreQuotedAndFormulasNeutralised() {
        #expect(CSV.field("simple") == "simple")
        #expect(CSV.field("a;b") == "\"a;b\"")
        #expect(CSV.field("a,b") == "a,b")
        #expect(CSV.field("dit \"oui\"") == "\"dit \"\"oui\"\"\"")
        #expect(CSV.field("deux\r\nlignes") == "\"deux\r\nlignes\"")
        #expect(CSV.field("=SOMME(A1:A9)") == "'=SOMME(A1:A9)")
        #expect(CSV.field("+33 6 12") == "'+33 6 12")
        #expect(CSV.field("@cmd") == "'@cmd")
        #expect(CSV.field("\t=1") == "'\t=1")
        #expect(CSV.field("-1+1") == "'-1+1")
        #expect(CSV.field("=HYPERLINK(\"x\";\"y\")") == "\"'=HYPERLINK(\"\"x\"\";\"\"y\"\")\"")
        // numbers stay numbers
        #expect(CSV.field("-3") == "-3")
        #expect(CSV.field("-2.75") == "-2.75")
        #expect(CSV.field("12") == "12")
        #expect(CSV.line(["a", "b;c", ""]) == "a;\"b;c\";\r\n")
    }

    @Test func staffExportEveryResponseAsCSVAndJSONAndOthersCannot() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup: the API tests' survey, 5 paper sheets, one with a formula for a reason
            let draft = try await stack.rpc.request(CreateSurvey(definition: SurveysAPITests.definition(), staffID: UUID(), staffName: "Agnès Lefebvre"))
            let survey = try await stack.rpc.request(PublishSurvey(surveyID: draft.id, staffID: UUID(), staffName: "Agnès Lefebvre"))
            let id = survey.id.uuidString.lowercased()
            for km in 1...4 {
                let body = #"{"channel": "paper", "answers": {"mode": {"optionIDs": ["train"]}, "km": {"number": \#(km)}}, "profile": {"departement": "59"}}"#
                #expect(try await client.post("/api/v1/surveys/\(id)/responses", json: body).status == .accepted)
            }
            let formula = #"{"channel": "paper", "answers": {"mode": {"optionIDs": ["voiture"]}, "pourquoi": {"text": "=1+1; \"vite\""}, "km": {"number": 7.5}}}"#
            #expect(try await client.post("/api/v1/surveys/\(id)/responses", json: formula).status == .accepted)
            try await eventually(timeout: .seconds(30), "every sheet counted") {
                try await client.get("/api/v1/surveys/\(id)/results").decode(SurveyResults.self).responseCount == 5
            }
            let (web, _) = try await SurveyBuilderPagesTests.staffSession(stack, client)
            let moderator = WebSession(client.anonymous)
            moderator.setCookie(moderator.sessionCookieName, try await stack.openSession(for: try await stack.makeStaff([.moderator])))

            // act
            let csv = try await web.get("/admin/enquetes/\(id)/reponses.csv")
            let json = try await web.get("/admin/enquetes/\(id)/reponses.json")
            let codebook = try await web.get("/admin/enquetes/\(id)/dictionnaire.csv")
            let unknown = try await web.get("/admin/enquetes/\(UUID().uuidString.lowercased())/reponses.csv")
            let refused = try await moderator.get("/admin/enquetes/\(id)/reponses.csv")
            let anonymous = try await WebSession(client.anonymous).get("/admin/enquetes/\(id)/reponses.json")
            let editor = try await web.get("/admin/enquetes/\(id)")

            // check: a BOM, the header, one line per response, the formula neutralised and quoted
            #expect(csv.status == .ok)
            #expect(csv.header("Content-Type") == "text/csv; charset=utf-8")
            let lines = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.first == "\u{FEFF}reponse;canal;soumise_le;modifiee_le;departement;tranche_age;situation;association;mode;pourquoi;km")
            #expect(lines.count == 6)
            #expect(lines.contains { $0.hasSuffix(";voiture;\"'=1+1; \"\"vite\"\"\";7.5") })
            #expect(lines.filter { $0.contains(";paper;") && $0.contains(";59;") }.count == 4)

            // JSON: an array of every response, readable back as the contract's type
            #expect(json.status == .ok)
            #expect(json.header("Content-Type") == "application/json")
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let responses = try decoder.decode([SurveyResponseView].self, from: Data(json.text.utf8))
            #expect(responses.count == 5)
            #expect(Set(responses.map(\.id)).count == 5)
            #expect(responses.map { $0.answers["km"]?.number ?? 0 }.sorted() == [1, 2, 3, 4, 7.5])

            #expect(codebook.status == .ok)
            #expect(codebook.text.contains("pourquoi;Pourquoi la voiture ?;Texte court;;le texte saisi\r\n"))

            // unknown survey, another role, no session: nothing exported
            #expect(unknown.status == .notFound)
            #expect(refused.status == .forbidden)
            #expect(anonymous.status != .ok)
            #expect(!anonymous.text.contains("\"km\""))
            // each export is in the survey service's audit
            #expect(try await probe.int("SELECT count(*)::int8 FROM surveys.staff_audit WHERE action = 'survey.responses_exported' AND object_id = \(id)") == 2)
            #expect(editor.text.contains("/admin/enquetes/\(id)/reponses.csv"))
            #expect(editor.text.contains("/admin/enquetes/\(id)/dictionnaire.csv"))
        }
    }
}
