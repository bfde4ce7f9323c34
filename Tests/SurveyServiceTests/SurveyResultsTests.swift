import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import SurveyService
import Testing
import TestSupport

/// Results and cross-tabs computed by the database, checked against figures the test computes
/// itself from the responses it sent.
@Suite struct SurveyResultsTests {
    let topology = TestEnvironment.isolatedTopology()

    /// One person's response, as the test knows it.
    struct Sheet: Sendable {
        var channel: SurveyChannel
        var profile: SurveyProfile
        /// An option id, or « autre » text when it starts with a capital.
        var mode: String
        var satisfaction: Int?
        var km: Double
        var freins: [String] = []
        var qualite: [String: Int] = [:]
    }

    static let sheets: [Sheet] = [
        Sheet(channel: .web, profile: SurveyProfile(departement: .nord, ageBand: .from18To24), mode: "train", satisfaction: 5, km: 10, freins: ["prix"], qualite: ["proprete": 2]),
        Sheet(channel: .web, profile: SurveyProfile(departement: .nord, ageBand: .from25To34), mode: "bus", satisfaction: 4, km: 20, freins: ["prix", "temps"], qualite: ["proprete": 4, "ponctualite": 3]),
        Sheet(channel: .web, profile: SurveyProfile(departement: .somme, ageBand: .from18To24), mode: "train", satisfaction: 3, km: 30, freins: ["temps"]),
        Sheet(channel: .web, profile: SurveyProfile(departement: .aisne, ageBand: .from65, association: .member), mode: "voiture", satisfaction: 1, km: 40, qualite: ["proprete": 5]),
        Sheet(channel: .paper, profile: SurveyProfile(departement: .nord, ageBand: .from18To24), mode: "train", satisfaction: 2, km: 50, freins: ["confort", "prix"]),
        Sheet(channel: .paper, profile: SurveyProfile(departement: .nord), mode: "À pied", satisfaction: 5, km: 60),
        Sheet(channel: .inPerson, profile: SurveyProfile(departement: .outsideRegion, ageBand: .from25To34), mode: "bus", satisfaction: nil, km: 70.5),
        Sheet(channel: .web, profile: SurveyProfile(departement: .oise, ageBand: .from35To49, occupation: .retired), mode: "train", satisfaction: 4, km: 80, freins: ["prix", "temps"]),
    ]

    static func command(_ sheet: Sheet, survey: UUID) -> SubmitSurveyResponse {
        var answers: [String: SurveyAnswer] = ["km": .number(sheet.km)]
        answers["mode"] = sheet.mode.first?.isUppercase == true ? .other(sheet.mode) : .choice(sheet.mode)
        if sheet.mode == "voiture" { answers["pourquoi"] = .text("Pas de bus") }
        if let satisfaction = sheet.satisfaction { answers["satisfaction"] = .number(Double(satisfaction)) }
        if !sheet.freins.isEmpty { answers["freins"] = .choices(sheet.freins) }
        if !sheet.qualite.isEmpty { answers["qualite"] = .matrix(sheet.qualite) }
        let staffEntry = sheet.channel == .web ? nil : SurveyStaffEntry(staffID: staff.id, staffName: staff.name)
        return SubmitSurveyResponse(
            surveyID: survey, respondent: sheet.channel == .web ? .account(UUID()) : .unidentified, channel: sheet.channel, answers: answers,
            profile: sheet.profile, enteredBy: staffEntry
        )
    }

    /// The value a sheet takes for « mode » on an axis.
    static func modeValue(_ sheet: Sheet) -> String { sheet.mode.first?.isUppercase == true ? SurveyCrossTab.otherValue : sheet.mode }

    /// `percentile_cont` as textbooks define it: linear interpolation between the two closest ranks.
    static func percentile(_ fraction: Double, of values: [Double]) -> Double {
        let sorted = values.sorted()
        let position = fraction * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    /// Runs the service with every sheet stored, then `body`.
    func withStoredSheets<Result: Sendable>(_ body: @Sendable (SurveyHarness, UUID) async throws -> Result) async throws -> Result {
        let database = try await surveyDatabase()
        return try await withSurveyResponses(database, topology: topology) { harness in
            let survey = try await harness.openSurvey(everyTypeDefinition())
            for sheet in Self.sheets { try await harness.submit(Self.command(sheet, survey: survey)) }
            try await eventually("every sheet stored") { try await harness.int("SELECT count(*)::int8 FROM surveys.responses") == Self.sheets.count }
            return try await body(harness, survey)
        }
    }

    @Test func countsPercentagesAndQuartilesComeFromTheDatabase() async throws {
        let (all, nord, paper) = try await withStoredSheets { harness, survey in
            (
                try await harness.rpc.request(GetSurveyResults(surveyID: survey)),
                try await harness.rpc.request(GetSurveyResults(surveyID: survey, filter: SurveyResultsFilter(departements: [.nord]))),
                try await harness.rpc.request(GetSurveyResults(surveyID: survey, filter: SurveyResultsFilter(channels: [.paper])))
            )
        }

        // check: counts and shares of a single choice with « autre »
        #expect(all.responseCount == Self.sheets.count)
        let mode = try #require(all.questions.first { $0.questionID == "mode" })
        #expect(mode.answeredCount == 8)
        #expect(mode.counts.map(\.value) == ["train", "bus", "voiture"])
        #expect(mode.counts.map(\.count) == ["train", "bus", "voiture"].map { option in Self.sheets.count { $0.mode == option } })
        #expect(mode.counts.first?.percentage == 50)
        #expect(mode.otherCount == 1)

        // a multiple choice: shares of those who answered, adding up to more than 100
        let freins = try #require(all.questions.first { $0.questionID == "freins" })
        let answeredFreins = Self.sheets.filter { !$0.freins.isEmpty }
        #expect(freins.answeredCount == answeredFreins.count)
        #expect(freins.counts.map(\.count) == ["prix", "temps", "confort"].map { option in answeredFreins.count { $0.freins.contains(option) } })
        #expect(abs((freins.counts.first?.percentage ?? 0) - 100 * Double(answeredFreins.count { $0.freins.contains("prix") }) / Double(answeredFreins.count)) < 1e-9)

        // a scale: a line per point, and its quartiles
        let satisfaction = try #require(all.questions.first { $0.questionID == "satisfaction" })
        let points = Self.sheets.compactMap(\.satisfaction)
        #expect(satisfaction.answeredCount == points.count)
        #expect(satisfaction.counts.map(\.value) == ["1", "2", "3", "4", "5"])
        #expect(satisfaction.counts.map(\.count) == (1...5).map { point in points.count { $0 == point } })
        let scaleSummary = try #require(satisfaction.summary)
        let scaleValues = points.map(Double.init)
        #expect(scaleSummary.median == Self.percentile(0.5, of: scaleValues))
        #expect(scaleSummary.lowerQuartile == Self.percentile(0.25, of: scaleValues))
        #expect(scaleSummary.upperQuartile == Self.percentile(0.75, of: scaleValues))

        // numbers: median and quartiles, minimum, maximum, mean
        let km = try #require(all.questions.first { $0.questionID == "km" }?.summary)
        let distances = Self.sheets.map(\.km)
        #expect(km.count == distances.count)
        #expect(abs(km.median - Self.percentile(0.5, of: distances)) < 1e-9)
        #expect(abs(km.lowerQuartile - Self.percentile(0.25, of: distances)) < 1e-9)
        #expect(abs(km.upperQuartile - Self.percentile(0.75, of: distances)) < 1e-9)
        #expect(km.minimum == 10 && km.maximum == 80)
        #expect(abs(km.mean - distances.reduce(0, +) / Double(distances.count)) < 1e-9)

        // a matrix: a line per row, its points and its median
        let qualite = try #require(all.questions.first { $0.questionID == "qualite" })
        let proprete = try #require(qualite.rows.first { $0.rowID == "proprete" })
        #expect(proprete.answeredCount == 3)
        #expect(proprete.counts.map(\.count) == [0, 1, 0, 1, 1])
        #expect(proprete.summary?.median == 4)

        // the filter applies to every figure
        let nordSheets = Self.sheets.filter { $0.profile.departement == .nord }
        #expect(nord.responseCount == nordSheets.count)
        let nordMode = try #require(nord.questions.first { $0.questionID == "mode" })
        #expect(nordMode.counts.map(\.count) == ["train", "bus", "voiture"].map { option in nordSheets.count { $0.mode == option } })
        #expect(nordMode.otherCount == 1)
        #expect(nord.questions.first { $0.questionID == "km" }?.summary?.median == Self.percentile(0.5, of: nordSheets.map(\.km)))
        #expect(paper.responseCount == 2)
        #expect(paper.questions.first { $0.questionID == "satisfaction" }?.counts.map(\.count) == [0, 1, 0, 0, 1])
    }

    @Test func crossTabsCountEveryPairUnderTheFilter() async throws {
        let (byAge, byChannelInNord, byMode, twice) = try await withStoredSheets { harness, survey in
            (
                try await harness.rpc.request(GetSurveyCrossTab(surveyID: survey, rows: .question("mode"), columns: .profile(.ageBand))),
                try await harness.rpc.request(GetSurveyCrossTab(
                    surveyID: survey, rows: .channel, columns: .question("mode"), filter: SurveyResultsFilter(departements: [.nord])
                )),
                try await harness.rpc.request(GetSurveyCrossTab(
                    surveyID: survey, rows: .question("satisfaction"), columns: .question("mode"), filter: SurveyResultsFilter(channels: [.web])
                )),
                try await harness.rpc.request(GetSurveyCrossTab(surveyID: survey, rows: .question("freins"), columns: .question("mode")))
            )
        }

        // check: every possible value listed in order, and each cell counted by the test from the sheets
        let modes = ["train", "bus", "voiture", SurveyCrossTab.otherValue]
        #expect(byAge.rowValues == modes)
        #expect(byAge.columnValues == SurveyAgeBand.allCases.map(\.rawValue))
        #expect(byAge.counts == modes.map { mode in
            SurveyAgeBand.allCases.map { band in Self.sheets.count { Self.modeValue($0) == mode && $0.profile.ageBand == band } }
        })
        #expect(byAge.responseCount == Self.sheets.count)
        #expect(!byAge.responsesMayCountTwice)

        let nord = Self.sheets.filter { $0.profile.departement == .nord }
        #expect(byChannelInNord.rowValues == SurveyChannel.allCases.map(\.rawValue))
        #expect(byChannelInNord.counts == SurveyChannel.allCases.map { channel in
            modes.map { mode in nord.count { $0.channel == channel && Self.modeValue($0) == mode } }
        })
        #expect(byChannelInNord.responseCount == nord.count)

        let web = Self.sheets.filter { $0.channel == .web }
        #expect(byMode.rowValues == ["1", "2", "3", "4", "5"])
        #expect(byMode.counts == (1...5).map { point in modes.map { mode in web.count { $0.satisfaction == point && Self.modeValue($0) == mode } } })

        #expect(twice.responsesMayCountTwice)
        #expect(twice.rowValues == ["prix", "temps", "confort"])
        #expect(twice.counts == ["prix", "temps", "confort"].map { option in modes.map { mode in Self.sheets.count { $0.freins.contains(option) && Self.modeValue($0) == mode } } })
    }

    @Test func aCrossTabOfWhatCannotBeCrossedIsRefusedNamingTheAxis() async throws {
        let failures = try await withStoredSheets { harness, survey in
            var failures: [RequestFailure?] = []
            for (rows, columns) in [
                (SurveyDimension.question("avis"), SurveyDimension.channel), (.channel, .question("inconnue")), (.channel, .channel),
            ] {
                failures.append(await #expect(throws: RequestFailure.self) {
                    try await harness.rpc.request(GetSurveyCrossTab(surveyID: survey, rows: rows, columns: columns))
                })
            }
            failures.append(await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(GetSurveyResults(surveyID: UUID()))
            })
            return failures
        }

        #expect(failures.map { $0?.code } == [.invalid, .invalid, .invalid, .notFound])
        #expect(failures.map { $0?.field } == ["rows", "columns", "columns", nil])
        #expect(failures[0]?.message.contains("Votre avis") == true)
        #expect(failures[1]?.message.contains("inconnue") == true)
    }
}
